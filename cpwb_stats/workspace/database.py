"""Where the workspace lives, and bringing its schema up to date.

One setting chooses the database: ``CPWB_DATABASE_URL``, a SQLAlchemy URL such as
``postgresql+psycopg://cpwb@db.example/cpwb``. Without it the workspace is a SQLite file in the
local data folder (``$CPWB_DATA_DIR``, default ``local_data/``), created on first use. The same
tables and migrations serve both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from cpwb_stats.problems import Refused, error
from cpwb_stats.workspace.profile_store import data_root

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any number will do as long as every instance uses the same one: it serialises migrations
# when several app instances start at once against one PostgreSQL database.
_MIGRATION_LOCK = 4_211_977


def database_url(configured: str | None = None) -> str:
    url = configured or os.environ.get("CPWB_DATABASE_URL", "")
    if url:
        return url
    root = data_root()
    root.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{root / 'workspace.sqlite3'}"


def connect(url: str | None = None) -> Engine:
    """An engine for the configured database, with SQLite set up for several writers."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # Python's sqlite3 would open transactions lazily; we open them ourselves (below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers queue instead of one failing
    # halfway with "database is locked".
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (safe to run at every start)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One atomic unit of work: all of it is stored, or none of it.

    A database that cannot be reached, or is full, becomes a refusal a person can act on.
    """
    with _refusing():
        with engine.begin() as conn:
            yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    with _refusing():
        with engine.connect() as conn:
            yield conn


@contextmanager
def _refusing() -> Iterator[None]:
    try:
        yield
    except IntegrityError:
        raise
    except DBAPIError as failure:
        raise Refused([error("storage_unavailable", detail=_reason(failure))]) from failure


def _reason(failure: DBAPIError) -> str:
    lines = str(failure.orig).strip().splitlines()
    return lines[0][:200] if lines else type(failure.orig).__name__


def bulk_insert(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Store every row of ``frame`` in ``table`` in one go, inside the caller's transaction.

    PostgreSQL: one ``COPY ... FROM STDIN`` (the rows streamed, no statement per row). SQLite:
    one prepared ``INSERT`` run over all rows by the driver, the rows as plain tuples.
    """
    columns = [column.name for column in table.columns if column.name in frame.columns]
    rows = frame[columns].to_dict(orient="split", index=False)["data"]
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})",
                             [tuple(row) for row in rows])
        return
    conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
