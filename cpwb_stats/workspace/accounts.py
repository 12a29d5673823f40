"""Accounts: roles and zones, argon2id passwords, one-time setup tokens, throttled sign-in.

There is no default password. A newcomer is given a one-time setup token (printed in the
terminal for the first administrator, handed over by an administrator for everyone else) and
chooses a password with it, in one step. Tokens are stored only as their SHA-256; passwords
only as argon2id hashes.

After ``THROTTLE_AFTER`` failed attempts a name is locked for 30 seconds, doubling at each
further failure up to 15 minutes. Names that are not accounts are counted and locked the same
way, and each attempt verifies one argon2 hash (a dummy one for an unknown name), so the answer
and its timing never tell which names exist.

Setting or resetting a password, deactivating or removing an account ends every session it had
and voids every setup link it had not used yet.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import Connection, Engine, select

from cpwb_stats.problems import Refused, error
from cpwb_stats.workspace import audit
from cpwb_stats.workspace.access import ROLES, ZONE_ROLES, Actor, require_admin
from cpwb_stats.workspace.database import reading, transaction
from cpwb_stats.workspace.tables import setup_tokens, sign_in_failures, user_zones, users, zones
from cpwb_stats.workspace.versions import create_zone

THROTTLE_AFTER = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)
MIN_PASSWORD = 12
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,100}$")

_hasher = PasswordHasher()  # argon2id, with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that a miss costs as much as a hit."""
    return _hasher.hash(secrets.token_hex(16))


def token_lifetime() -> timedelta:
    return timedelta(hours=float(os.environ.get("CPWB_SETUP_TOKEN_HOURS", "72")))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(engine: Engine, actor: Actor, username: str, role: str,
                zone_names: list[str] = ()) -> str:
    """Create an account without a password; returns its one-time setup token."""
    require_admin(actor)
    _check_account(username, role, zone_names)
    with transaction(engine) as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise Refused([error("user_exists", value=username)])
        user_id = conn.execute(users.insert().values(
            username=username, role=role, active=True, failed_logins=0,
            created_at=audit.now(), sessions_revoked_at=audit.now())).inserted_primary_key[0]
        _set_zones(conn, user_id, zone_names)
        audit.record(conn, actor, "account", detail=f"created {username} as {role} "
                     f"for {', '.join(zone_names) or 'all zones'}")
        return _issue_token(conn, user_id)


def update_user(engine: Engine, actor: Actor, username: str, role: str | None = None,
                zone_names: list[str] | None = None, active: bool | None = None) -> None:
    require_admin(actor)
    with transaction(engine) as conn:
        user = _user(conn, username)
        new_role = role or user.role
        new_zones = zone_names if zone_names is not None else _zones_of(conn, user.id)
        _check_account(username, new_role, new_zones)
        changes = {"role": new_role} | ({} if active is None else {"active": active})
        conn.execute(users.update().where(users.c.id == user.id).values(**changes))
        if active is False:
            _revoke(conn, user.id)
        _set_zones(conn, user.id, new_zones)
        audit.record(conn, actor, "account", detail=f"changed {username}: role {new_role}, "
                     f"zones {', '.join(new_zones) or '-'}, active {changes.get('active', user.active)}")


def delete_user(engine: Engine, actor: Actor, username: str) -> None:
    require_admin(actor)
    if username == actor.name:
        raise Refused([error("cannot_remove_self")])
    with transaction(engine) as conn:
        user = _user(conn, username)
        conn.execute(user_zones.delete().where(user_zones.c.user_id == user.id))
        conn.execute(setup_tokens.delete().where(setup_tokens.c.user_id == user.id))
        conn.execute(users.delete().where(users.c.id == user.id))
        audit.record(conn, actor, "account", detail=f"removed {username}")


def reset_password(engine: Engine, actor: Actor, username: str) -> str:
    """Clear the password and hand out a new setup token (for a forgotten password)."""
    require_admin(actor)
    with transaction(engine) as conn:
        user = _user(conn, username)
        conn.execute(users.update().where(users.c.id == user.id)
                     .values(password_hash=None, failed_logins=0, locked_until=None))
        _revoke(conn, user.id)
        audit.record(conn, actor, "account", detail=f"reset the password of {username}")
        return _issue_token(conn, user.id)


def list_users(engine: Engine, actor: Actor) -> pd.DataFrame:
    require_admin(actor)
    with reading(engine) as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).all()
        table = [{"username": r.username, "role": r.role, "zones": ", ".join(_zones_of(conn, r.id)),
                  "active": bool(r.active), "password_set": r.password_hash is not None,
                  "last_login_at": audit.as_utc(r.last_login_at)} for r in rows]
    return pd.DataFrame(table, columns=["username", "role", "zones", "active", "password_set",
                                        "last_login_at"])


def _an_admin_exists(conn: Connection) -> bool:
    return conn.execute(select(users.c.id).where(users.c.role == "admin",
                                                 users.c.active.is_(True))).first() is not None


def first_admin_token(engine: Engine) -> str | None:
    """A token to create the first administrator, while the workspace has none."""
    with transaction(engine) as conn:
        if _an_admin_exists(conn):
            return None
        conn.execute(setup_tokens.delete().where(setup_tokens.c.user_id.is_(None)))
        return _issue_token(conn, None)


def token_owner(engine: Engine, token: str) -> str | None:
    """The account a setup token is for; None for the first-admin token. Refuses a bad token."""
    with reading(engine) as conn:
        row = conn.execute(select(setup_tokens.c.user_id, setup_tokens.c.used_at,
                                  setup_tokens.c.expires_at, users.c.username)
                           .outerjoin(users, users.c.id == setup_tokens.c.user_id)
                           .where(setup_tokens.c.token_hash == _digest(token))).first()
    if row is None or row.used_at is not None or audit.as_utc(row.expires_at) < audit.now():
        raise Refused([error("token_invalid")])
    if row.username is None:
        with reading(engine) as conn:
            if _an_admin_exists(conn):
                raise Refused([error("token_invalid")])
    return row.username


def redeem_token(engine: Engine, token: str, password: str, username: str | None = None
                 ) -> Actor:
    """Set a password with a setup token (creating the first admin for a bootstrap token)."""
    now = audit.now()
    with transaction(engine) as conn:
        row = conn.execute(select(setup_tokens).where(setup_tokens.c.token_hash == _digest(token))
                           .with_for_update()).first()
        if row is None or row.used_at is not None or audit.as_utc(row.expires_at) < now:
            raise Refused([error("token_invalid")])
        if row.user_id is None:
            if _an_admin_exists(conn):  # the bootstrap link dies with the first administrator
                raise Refused([error("token_invalid")])
            user_id = _create_first_admin(conn, username or "")
        else:
            user_id = row.user_id
        user = conn.execute(select(users).where(users.c.id == user_id)).first()
        _check_password(password, user.username)
        conn.execute(setup_tokens.update().where(setup_tokens.c.id == row.id).values(used_at=now))
        _revoke(conn, user_id)
        conn.execute(users.update().where(users.c.id == user_id).values(
            password_hash=_hasher.hash(password), failed_logins=0, locked_until=None,
            last_login_at=now))
        audit.record(conn, user.username, "setup", detail="password chosen with a setup token")
        return _actor(conn, user)


def set_password(engine: Engine, username: str, password: str) -> None:
    """For the operator at the command line (who has the database in hand anyway)."""
    _check_password(password, username)
    with transaction(engine) as conn:
        user = _user(conn, username)
        conn.execute(users.update().where(users.c.id == user.id).values(
            password_hash=_hasher.hash(password), failed_logins=0, locked_until=None))
        _revoke(conn, user.id)
        audit.record(conn, "command line", "account", detail=f"set the password of {username}")


def authenticate(engine: Engine, username: str, password: str) -> Actor:
    """The signed-in actor, or a refusal that says no more than it must.

    Failed attempts are counted and logged even though the caller is refused.
    """
    now = audit.now()
    with transaction(engine) as conn:
        user = conn.execute(select(users).where(users.c.username == username)
                            .with_for_update()).first()
        refusal = _refusal(conn, user, username, password, now)
        if refusal is None:
            return _signed_in(conn, user, password, now)
    raise Refused([refusal])


def _refusal(conn: Connection, user, username: str, password: str, now: datetime):
    """None when the password is right; else the same refusal whether the name exists or not."""
    failures, locked_until = _throttle_state(conn, user, username)
    if locked_until is not None and audit.as_utc(locked_until) > now:
        audit.record(conn, username[:100], "login_failed", detail="throttled")
        return error("login_throttled",
                     until=audit.as_utc(locked_until).strftime("%H:%M:%S UTC"))
    usable = user is not None and user.active
    if _verifies(user.password_hash if usable else None, password) and usable:
        return None
    _count_failure(conn, user, username, failures + 1, now)
    audit.record(conn, username[:100], "login_failed")
    return error("login_failed")


def _throttle_state(conn: Connection, user, username: str) -> tuple[int, datetime | None]:
    if user is not None:
        return user.failed_logins, user.locked_until
    row = conn.execute(select(sign_in_failures).where(
        sign_in_failures.c.username == username[:100]).with_for_update()).first()
    return (0, None) if row is None else (row.failures, row.locked_until)


def _count_failure(conn: Connection, user, username: str, failures: int, now: datetime) -> None:
    values = {"locked_until": _lock_until(failures, now)}
    if user is not None:
        conn.execute(users.update().where(users.c.id == user.id).values(
            failed_logins=failures, **values))
    elif failures == 1:
        conn.execute(sign_in_failures.insert().values(username=username[:100], failures=1,
                                                      **values))
    else:
        conn.execute(sign_in_failures.update().where(
            sign_in_failures.c.username == username[:100]).values(failures=failures, **values))


def _signed_in(conn: Connection, user, password: str, now: datetime) -> Actor:
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if _hasher.check_needs_rehash(user.password_hash):
        values["password_hash"] = _hasher.hash(password)
    conn.execute(users.update().where(users.c.id == user.id).values(**values))
    audit.record(conn, user.username, "login")
    return _actor(conn, user)


def actor_for(engine: Engine, username: str, signed_in_at: datetime | None = None
              ) -> Actor | None:
    """The account's current role and zones (read afresh, so changes apply at once).

    None when the account is gone, inactive or without a password, or when its sessions were
    revoked after ``signed_in_at`` (the moment the asking session began).
    """
    with reading(engine) as conn:
        user = conn.execute(select(users).where(users.c.username == username)).first()
        if user is None or not user.active or user.password_hash is None:
            return None
        revoked = audit.as_utc(user.sessions_revoked_at)
        if signed_in_at is not None and revoked is not None and signed_in_at <= revoked:
            return None
        return _actor(conn, user)


def session_expired(signed_in_at: datetime, last_seen: datetime, now: datetime,
                    idle: timedelta = timedelta(minutes=30),
                    longest: timedelta = timedelta(hours=12)) -> bool:
    """A session ends after ``idle`` without activity, and after ``longest`` in any case."""
    return now - last_seen > idle or now - signed_in_at > longest


def _lock_until(failures: int, now: datetime) -> datetime | None:
    if failures < THROTTLE_AFTER:
        return None
    return now + min(FIRST_LOCK * 2 ** (failures - THROTTLE_AFTER), LONGEST_LOCK)


def _verifies(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


def _revoke(conn: Connection, user_id: int) -> None:
    """End every session the account has now, and void every setup link it has not used."""
    now = audit.now()
    conn.execute(users.update().where(users.c.id == user_id).values(sessions_revoked_at=now))
    conn.execute(setup_tokens.update().where(setup_tokens.c.user_id == user_id,
                                             setup_tokens.c.used_at.is_(None))
                 .values(expires_at=now))


def _issue_token(conn: Connection, user_id: int | None) -> str:
    token = secrets.token_urlsafe(32)
    now = audit.now()
    conn.execute(setup_tokens.update().where(setup_tokens.c.user_id == user_id,
                                             setup_tokens.c.used_at.is_(None))
                 .values(expires_at=now))
    conn.execute(setup_tokens.insert().values(user_id=user_id, token_hash=_digest(token),
                                              created_at=now, expires_at=now + token_lifetime()))
    return token


def _create_first_admin(conn: Connection, username: str) -> int:
    _check_account(username, "admin", [])
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise Refused([error("user_exists", value=username)])
    user_id = conn.execute(users.insert().values(
        username=username, role="admin", active=True, failed_logins=0,
        created_at=audit.now(), sessions_revoked_at=audit.now())).inserted_primary_key[0]
    audit.record(conn, username, "account", detail=f"created {username} as the first admin")
    return user_id


def _check_account(username: str, role: str, zone_names) -> None:
    if not USERNAME.match(username or ""):
        raise Refused([error("bad_username", value=username)])
    if role not in ROLES:
        raise Refused([error("bad_role", value=role, accepted=", ".join(ROLES))])
    if role in ZONE_ROLES and not zone_names:
        raise Refused([error("zones_required", value=role)])


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Refused([error("password_too_short", minimum=MIN_PASSWORD)])
    if password.strip().lower() == username.strip().lower():
        raise Refused([error("password_is_username")])


def _user(conn: Connection, username: str):
    user = conn.execute(select(users).where(users.c.username == username)).first()
    if user is None:
        raise Refused([error("user_not_found", value=username)])
    return user


def _zones_of(conn: Connection, user_id: int) -> list[str]:
    query = (select(zones.c.name).join(user_zones, user_zones.c.zone_id == zones.c.id)
             .where(user_zones.c.user_id == user_id).order_by(zones.c.name))
    return list(conn.execute(query).scalars())


def _set_zones(conn: Connection, user_id: int, zone_names) -> None:
    conn.execute(user_zones.delete().where(user_zones.c.user_id == user_id))
    for name in dict.fromkeys(zone_names):
        conn.execute(user_zones.insert().values(user_id=user_id, zone_id=create_zone(conn, name)))


def _actor(conn: Connection, user) -> Actor:
    zone_names = _zones_of(conn, user.id) if user.role in ZONE_ROLES else []
    return Actor(user.username, user.role, frozenset(zone_names))
