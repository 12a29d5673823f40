"""The audit log: who did what, when, to which zone, with which file (name, SHA-256, rows).

Entries are written in the same transaction as the change they describe, so the log and the
data can never disagree. Only admins read it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select

from cpwb_stats.workspace.access import Actor, require_admin
from cpwb_stats.workspace.tables import audit_log

# Actions recorded: upload, restore, delete, targets, benchmarks (data); account, setup, login,
# login_failed (people).
DATA_ACTIONS = ("upload", "restore", "delete", "targets", "benchmarks")


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back times without their zone; every time stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def record(conn: Connection, actor: Actor | str, action: str, **details: object) -> None:
    name = actor if isinstance(actor, str) else actor.name
    conn.execute(audit_log.insert().values(at=now(), actor=name[:100], action=action, **details))


def audit_trail(engine: Engine, actor: Actor, limit: int = 500) -> pd.DataFrame:
    """The newest entries first."""
    require_admin(actor)
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    columns = [c.name for c in audit_log.columns]
    return pd.DataFrame([dict(r) for r in rows], columns=columns).drop(columns="id")
