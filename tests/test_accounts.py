"""Accounts: setup tokens, argon2id passwords, roles and zones, throttling, session expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from cpwb_stats.problems import Refused
from cpwb_stats.workspace import accounts, audit
from cpwb_stats.workspace.access import Actor
from cpwb_stats.workspace.audit import audit_trail
from cpwb_stats.workspace.tables import setup_tokens, users

ADMIN = Actor("root-admin", "admin")
PASSWORD = "correct horse battery"


def newcomer(engine, name="vera", role="zone_viewer", zones=("Gent",)) -> Actor:
    token = accounts.create_user(engine, ADMIN, name, role, list(zones))
    return accounts.redeem_token(engine, token, PASSWORD)


def test_a_newcomer_gets_in_with_the_setup_token_in_one_step(engine):
    actor = newcomer(engine)
    assert actor == Actor("vera", "zone_viewer", frozenset({"Gent"}))
    assert accounts.authenticate(engine, "vera", PASSWORD) == actor


def test_passwords_are_stored_as_argon2id_and_tokens_only_as_digests(engine):
    token = accounts.create_user(engine, ADMIN, "vera", "analyst")
    accounts.redeem_token(engine, token, PASSWORD)
    with engine.connect() as conn:
        stored_hash = conn.execute(sa.select(users.c.password_hash)).scalar()
        digests = conn.execute(sa.select(setup_tokens.c.token_hash)).scalars().all()
    assert stored_hash.startswith("$argon2id$") and PASSWORD not in stored_hash
    assert token not in digests


def test_an_account_has_no_password_until_its_owner_chooses_one(engine):
    accounts.create_user(engine, ADMIN, "vera", "analyst")
    with pytest.raises(Refused, match="login_failed"):
        accounts.authenticate(engine, "vera", "")
    assert accounts.actor_for(engine, "vera") is None


def test_a_setup_token_works_once(engine):
    token = accounts.create_user(engine, ADMIN, "vera", "analyst")
    accounts.redeem_token(engine, token, PASSWORD)
    with pytest.raises(Refused, match="token_invalid"):
        accounts.redeem_token(engine, token, "another long password")


def test_an_expired_setup_token_is_refused(engine, monkeypatch):
    monkeypatch.setenv("CPWB_SETUP_TOKEN_HOURS", "-1")
    token = accounts.create_user(engine, ADMIN, "vera", "analyst")
    with pytest.raises(Refused, match="token_invalid"):
        accounts.redeem_token(engine, token, PASSWORD)


def test_the_first_admin_is_made_with_a_token_while_there_is_none(engine):
    token = accounts.first_admin_token(engine)
    admin = accounts.redeem_token(engine, token, PASSWORD, username="chief")
    assert admin.role == "admin"
    assert accounts.first_admin_token(engine) is None


def test_the_first_admin_link_dies_once_an_administrator_exists(engine):
    """A bootstrap link printed at start must not make a second administrator after one was
    added at the terminal: opening it and choosing a password are both refused."""
    token = accounts.first_admin_token(engine)
    boss_token = accounts.create_user(engine, ADMIN, "boss", "admin")
    accounts.redeem_token(engine, boss_token, PASSWORD)
    with pytest.raises(Refused, match="token_invalid"):
        accounts.token_owner(engine, token)
    with pytest.raises(Refused, match="token_invalid"):
        accounts.redeem_token(engine, token, PASSWORD, username="evil")
    admins = accounts.list_users(engine, ADMIN).query("role == 'admin'")["username"].tolist()
    assert admins == ["boss"]


@pytest.mark.parametrize("password, code", [
    ("short", "password_too_short"),
    ("vera-the-viewer", "password_is_username"),
    ("VERA-THE-VIEWER ", "password_is_username"),
])
def test_passwords_are_long_and_not_the_account_name(engine, password, code):
    token = accounts.create_user(engine, ADMIN, "vera-the-viewer", "analyst")
    with pytest.raises(Refused, match=code):
        accounts.redeem_token(engine, token, password)


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(engine):
    newcomer(engine)
    with pytest.raises(Refused) as wrong:
        accounts.authenticate(engine, "vera", "not the password")
    with pytest.raises(Refused) as unknown:
        accounts.authenticate(engine, "nobody", "not the password")
    assert wrong.value.messages("fr") == unknown.value.messages("fr")


def test_repeated_failures_lock_the_account_for_a_while(engine):
    newcomer(engine)
    for _ in range(accounts.THROTTLE_AFTER):
        with pytest.raises(Refused, match="login_failed"):
            accounts.authenticate(engine, "vera", "not the password")
    with pytest.raises(Refused, match="login_throttled"):
        accounts.authenticate(engine, "vera", PASSWORD)
    with engine.begin() as conn:
        conn.execute(users.update().values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert accounts.authenticate(engine, "vera", PASSWORD).name == "vera"


@pytest.mark.parametrize("failures, lock", [
    (4, None), (5, timedelta(seconds=30)), (6, timedelta(seconds=60)), (20, timedelta(minutes=15)),
])
def test_the_lock_doubles_up_to_a_quarter_hour(failures, lock):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    expected = None if lock is None else now + lock
    assert accounts._lock_until(failures, now) == expected


def test_role_and_zone_changes_apply_at_the_next_page_view(engine):
    newcomer(engine)
    accounts.update_user(engine, ADMIN, "vera", zone_names=["Gent", "Aalst"])
    assert accounts.actor_for(engine, "vera").zones == {"Gent", "Aalst"}
    accounts.update_user(engine, ADMIN, "vera", active=False)
    assert accounts.actor_for(engine, "vera") is None
    with pytest.raises(Refused, match="login_failed"):
        accounts.authenticate(engine, "vera", PASSWORD)


@pytest.mark.parametrize("name, role, zones, code", [
    ("v", "analyst", [], "bad_username"),
    ("vera smith", "analyst", [], "bad_username"),
    ("vera", "superuser", [], "bad_role"),
    ("vera", "zone_viewer", [], "zones_required"),
])
def test_accounts_are_checked_before_they_are_made(engine, name, role, zones, code):
    with pytest.raises(Refused, match=code):
        accounts.create_user(engine, ADMIN, name, role, zones)


def test_only_admins_manage_accounts(engine):
    viewer = newcomer(engine)
    with pytest.raises(Refused, match="admin_only"):
        accounts.create_user(engine, viewer, "eve", "admin")
    with pytest.raises(Refused, match="admin_only"):
        accounts.list_users(engine, viewer)


def test_sign_ins_and_account_changes_are_audited(engine):
    newcomer(engine)
    accounts.authenticate(engine, "vera", PASSWORD)
    with pytest.raises(Refused):
        accounts.authenticate(engine, "vera", "wrong password!")
    actions = audit_trail(engine, ADMIN)[["actor", "action"]].values.tolist()
    assert actions == [["vera", "login_failed"], ["vera", "login"], ["vera", "setup"],
                       ["root-admin", "account"]]


@pytest.mark.parametrize("idle, age, expired", [
    (timedelta(minutes=5), timedelta(hours=1), False),
    (timedelta(minutes=31), timedelta(hours=1), True),
    (timedelta(minutes=1), timedelta(hours=13), True),
])
def test_sessions_expire_when_idle_and_after_a_working_day(idle, age, expired):
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert accounts.session_expired(now - age, now - idle, now) is expired


def test_a_setup_link_says_whose_account_it_opens(engine):
    token = accounts.create_user(engine, ADMIN, "vera", "analyst")
    assert accounts.token_owner(engine, token) == "vera"
    assert accounts.token_owner(engine, accounts.first_admin_token(engine)) is None
    with pytest.raises(Refused, match="token_invalid"):
        accounts.token_owner(engine, "made-up")


def _attempts(engine, name: str, count: int) -> list[str]:
    """What each attempt answers, with the lock's time left out (it moves with the clock)."""
    answers = []
    for _ in range(count):
        with pytest.raises(Refused) as refused:
            accounts.authenticate(engine, name, "not the password")
        answers.append(f"{refused.value.problems[0].code}")
    return answers


def test_an_unknown_name_is_throttled_and_answered_exactly_like_an_account(engine, monkeypatch):
    """Issue 11 item 3: after five failures both answer "too many attempts", until the same time.

    The clock is held still, so "the same time" is exact whatever the machine's speed."""
    newcomer(engine)
    frozen = audit.now()
    monkeypatch.setattr(audit, "now", lambda: frozen)
    expected = ["login_failed"] * accounts.THROTTLE_AFTER + ["login_throttled"] * 2
    assert _attempts(engine, "vera", 7) == expected
    assert _attempts(engine, "nobody", 7) == expected
    with pytest.raises(Refused) as known:
        accounts.authenticate(engine, "vera", PASSWORD)
    with pytest.raises(Refused) as unknown:
        accounts.authenticate(engine, "nobody", PASSWORD)
    for language in ("en", "nl", "fr"):
        assert known.value.messages(language)[0].split(" ")[:4] == \
            unknown.value.messages(language)[0].split(" ")[:4]
    known_until = known.value.problems[0].params["until"]
    unknown_until = unknown.value.problems[0].params["until"]
    assert known_until == unknown_until


@pytest.mark.parametrize("name", ["vera", "nobody", "inactive"])
def test_every_attempt_costs_one_argon2_verification_whatever_the_name(engine, monkeypatch, name):
    """Comparable timing: a wrong password, an unknown name and an inactive account each verify
    exactly one argon2 hash (a dummy one when there is no usable account)."""
    newcomer(engine)
    newcomer(engine, "inactive")
    accounts.update_user(engine, ADMIN, "inactive", active=False)
    accounts._dummy_hash()
    calls = []

    class Counting:
        def __init__(self, hasher):
            self.hasher = hasher

        def verify(self, stored, password):
            calls.append(stored)
            return self.hasher.verify(stored, password)

        def __getattr__(self, name):
            return getattr(self.hasher, name)

    monkeypatch.setattr(accounts, "_hasher", Counting(accounts._hasher))
    with pytest.raises(Refused, match="login_failed"):
        accounts.authenticate(engine, name, "not the password")
    assert len(calls) == 1


def _revoked_by(engine, operation: str) -> None:
    if operation == "password":
        accounts.set_password(engine, "vera", "another long password")
    elif operation == "reset":
        accounts.reset_password(engine, ADMIN, "vera")
    elif operation == "deactivate":
        accounts.update_user(engine, ADMIN, "vera", active=False)
    elif operation == "remove":
        accounts.delete_user(engine, ADMIN, "vera")


@pytest.mark.parametrize("operation", ["password", "reset", "deactivate", "remove"])
def test_a_password_change_deactivation_or_removal_revokes_links_and_sessions(engine, operation):
    """Issue 11 item 2: the setup link handed out and the session begun before no longer work."""
    token = accounts.create_user(engine, ADMIN, "vera", "zone_viewer", ["Gent"])
    spare = accounts.reset_password(engine, ADMIN, "vera")  # the newest link, still unused
    accounts.set_password(engine, "vera", PASSWORD)
    signed_in = datetime.now(UTC)
    assert accounts.actor_for(engine, "vera", signed_in) is not None
    _revoked_by(engine, operation)
    for link in (token, spare):
        with pytest.raises(Refused, match="token_invalid"):
            accounts.token_owner(engine, link)
    if operation != "deactivate":
        with pytest.raises(Refused):
            accounts.redeem_token(engine, spare, "a password for the taker")
    assert accounts.actor_for(engine, "vera", signed_in) is None


def test_a_setup_link_used_ends_the_other_sessions_and_voids_the_other_links(engine):
    token = accounts.create_user(engine, ADMIN, "vera", "zone_viewer", ["Gent"])
    accounts.set_password(engine, "vera", PASSWORD)
    before = datetime.now(UTC)
    fresh = accounts.reset_password(engine, ADMIN, "vera")
    accounts.redeem_token(engine, fresh, "a new long password")
    after = datetime.now(UTC)
    assert accounts.actor_for(engine, "vera", before) is None
    assert accounts.actor_for(engine, "vera", after).name == "vera"
    with pytest.raises(Refused, match="token_invalid"):
        accounts.token_owner(engine, token)


def test_a_removed_account_s_session_does_not_open_a_new_account_of_the_same_name(engine):
    newcomer(engine)
    signed_in = datetime.now(UTC)
    accounts.delete_user(engine, ADMIN, "vera")
    newcomer(engine, role="analyst", zones=())
    assert accounts.actor_for(engine, "vera", signed_in) is None
