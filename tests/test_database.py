"""Faults: an interrupted upload, a database that is down or full, and the migrations."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cpwb_stats.pipeline import store_file
from cpwb_stats.problems import Refused
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import SYSTEM
from cpwb_stats.workspace.database import connect, migrate
from cpwb_stats.workspace.tables import audit_log, metadata, uploads, versions, workforce_counts
from tests.test_workspace import count_rows, women_in, workforce_csv

# Stores a large extract, and stops for good right after its first counts are written: the
# test kills this process there, in the middle of the transaction.
_HALFWAY = """
import sys, time
from cpwb_stats.workspace import versions as workspace
from cpwb_stats.workspace.access import SYSTEM
from cpwb_stats.workspace.database import connect
from cpwb_stats.pipeline import store_file
url, marker = sys.argv[1], sys.argv[2]
engine = connect(url)
written = workspace.bulk_insert

def halfway(conn, table, frame):
    written(conn, table, frame)
    if table.name == "workforce_counts":
        open(marker, "w").close()
        time.sleep(600)

workspace.bulk_insert = halfway

lines = ["reference_date,zone,rank,staff_category,gender,migration_background,disability"]
lines += ["2024-12-31,Gent,inspector,operational,woman,no,no"] * 40
store_file(engine, SYSTEM, "\\n".join(lines).encode(), "interrupted.csv")
"""


def test_an_upload_killed_halfway_leaves_no_partial_version(engine, database_url, tmp_path):
    store_file(engine, SYSTEM, workforce_csv(women=3), "kept.csv")
    marker = tmp_path / "halfway"
    child = subprocess.Popen([sys.executable, "-c", _HALFWAY, database_url, str(marker)],
                             cwd=os.getcwd(), env={**os.environ, "PYTHONPATH": os.getcwd()})
    deadline = time.monotonic() + 60
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the upload never reached its counts"
    child.send_signal(signal.SIGKILL)
    child.wait()
    engine.dispose()
    assert stored.history(engine, SYSTEM, "Gent")["filename"].tolist() == ["kept.csv"]
    assert women_in(stored.stored_workforce(engine, SYSTEM, ["Gent"])) == 3
    assert count_rows(engine, uploads) == 1
    assert count_rows(engine, audit_log) == 1
    store_file(engine, SYSTEM, workforce_csv(women=5), "after.csv")
    assert women_in(stored.stored_workforce(engine, SYSTEM, ["Gent"])) == 5


def test_counts_are_stored_in_bulk_copy_on_postgresql_one_statement_on_sqlite(engine):
    """No statement per row: COPY on PostgreSQL, one prepared INSERT over all rows on SQLite."""
    statements = []
    sa.event.listen(engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: statements.append(statement))
    people = [f"2024-12-31,Zone {z},{rank},operational,{gender},{answer},no"
              for z in range(40) for rank in ("agent", "inspector", "commissioner")
              for gender in ("woman", "man", "x") for answer in ("yes", "no", "unknown")]
    content = ("reference_date,zone,rank,staff_category,gender,migration_background,disability\n"
               + "\n".join(people)).encode()
    report, versions_ = store_file(engine, SYSTEM, content, "forty zones.csv")
    assert len(versions_) == 40
    inserts = [s for s in statements if "workforce_counts" in s and "INSERT" in s.upper()]
    assert len(inserts) == (0 if engine.dialect.name == "postgresql" else 40)
    expected = report.extract.counts.sort_values(["zone", "rank", "dimension", "group"])
    back = pd.read_sql(sa.select(workforce_counts), engine).sort_values(
        ["zone", "rank", "dimension", "group"])
    assert len(back) == len(expected) == count_rows(engine, workforce_counts)
    for column in ("zone", "rank", "dimension", "group", "count"):
        assert back[column].tolist() == expected[column].tolist()


def test_a_database_that_is_down_gives_a_message_not_a_traceback():
    engine = connect(f"postgresql+psycopg://cpwb@127.0.0.1:{closed_port()}/cpwb?connect_timeout=2")
    with pytest.raises(Refused) as refused:
        store_file(engine, SYSTEM, workforce_csv(), "gent.csv")
    with pytest.raises(Refused, match="storage_unavailable"):
        stored.visible_zones(engine, SYSTEM)
    assert refused.value.problems[0].code == "storage_unavailable"
    assert "nothing was changed" in refused.value.messages("en")[0]
    assert "niets gewijzigd" in refused.value.messages("nl")[0]


def test_a_full_database_refuses_the_upload_and_keeps_what_it_had(tmp_path):
    url = f"sqlite:///{tmp_path / 'full.sqlite3'}"
    engine = connect(url)
    migrate(engine)
    store_file(engine, SYSTEM, workforce_csv(women=3), "kept.csv")
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    full = connect(url)
    sa.event.listen(full, "connect",
                    lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count={pages}"))
    big = workforce_csv(women=3) + b"\n" + b"\n".join(
        f"{year}-12-31,Gent,inspector,operational,woman,no,no".encode()
        for year in range(1900, 2024))
    with pytest.raises(Refused, match="storage_unavailable"):
        store_file(full, SYSTEM, big, "too-big.csv")
    assert stored.history(engine, SYSTEM, "Gent")["filename"].tolist() == ["kept.csv"]
    assert women_in(stored.stored_workforce(engine, SYSTEM, ["Gent"])) == 3


def test_the_migrations_build_exactly_the_tables_the_code_uses(engine):
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_migrating_again_changes_nothing(engine):
    store_file(engine, SYSTEM, workforce_csv(), "gent.csv")
    migrate(engine)
    assert count_rows(engine, versions) == 1


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
