from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlalchemy.engine import make_url

from cpwb_stats.workspace.database import connect, migrate

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SAMPLE_DATA = ROOT / "sample_data"

# CI draws the same examples on every run, so a red build is reproducible and never a coin toss;
# on a developer's machine hypothesis explores new ones (and replays any failure it found).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[object]], merged: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merged:
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A throw-away local data folder, so tests never write into the project."""
    monkeypatch.setenv("CPWB_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A new, empty database: a SQLite file, and a database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
        return
    server = os.environ.get("CPWB_TEST_POSTGRES_URL")
    if not server:
        if os.environ.get("CI"):
            pytest.fail("CPWB_TEST_POSTGRES_URL is not set: scripts/test.sh starts PostgreSQL")
        pytest.skip("no PostgreSQL server: run the tests with scripts/test.sh")
    name = f"cpwb_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(database_url):
    """A migrated, empty workspace."""
    engine = connect(database_url)
    migrate(engine)
    yield engine
    engine.dispose()
