"""One upload limit for the web app and the loader, read from Streamlit's own setting."""

import io
import json
import os
import resource
import subprocess
import sys

import pytest

from cpwb_stats.ingest.limits import MAX_CELLS, MAX_ROWS, upload_limit_mb
from cpwb_stats.ingest.load import read_extract
from tests.conftest import ROOT
from tests.test_workbook import _xlsx, ods


def streamlit_setting() -> int:
    """What Streamlit itself reads, run where the app runs (the project folder)."""
    code = "from streamlit import config; print(config.get_option('server.maxUploadSize'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    return int(result.stdout.strip().splitlines()[-1])


def test_the_app_takes_files_of_at_least_200_mb_and_the_loader_the_same():
    assert streamlit_setting() >= 200
    assert upload_limit_mb() == streamlit_setting()


def test_the_environment_setting_that_streamlit_run_reads_moves_the_loader_too(monkeypatch):
    monkeypatch.setenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "7")
    assert upload_limit_mb() == 7


def test_an_unreadable_config_falls_back_to_streamlit_s_default(tmp_path, monkeypatch):
    monkeypatch.delenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", raising=False)
    broken = tmp_path / "config.toml"
    broken.write_text("[server\nmaxUploadSize = ", encoding="utf-8")
    assert upload_limit_mb(broken) == upload_limit_mb(tmp_path / "missing.toml") == 200


@pytest.mark.parametrize(("megabytes", "refused"), [(0.9, False), (1.1, True)])
def test_the_command_line_refuses_a_file_over_the_limit_naming_it(tmp_path, megabytes, refused):
    header = "reference_date,rank,gender\n"
    row = "2024-12-31,inspector,woman\n"
    path = tmp_path / "w.csv"
    path.write_text(header + row * int(megabytes * 1024 * 1024 / len(row)), encoding="utf-8")
    env = {**os.environ, "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "1", "LANG": "en"}
    result = subprocess.run([sys.executable, "-m", "cpwb_stats", "validate", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env=env)
    assert ("larger than 1 MB" in result.stdout + result.stderr) is refused


# --- Files small on disk that expand to millions of rows (issue 11, item 5) --------------------
# Each is read by the command line in its own process under a memory bound, as a user runs it;
# what is checked is the refusal, in the reader's language, not the time it takes.

ROWS_OVER = MAX_ROWS + 10
ADDRESS_SPACE = 1536 * 1024 ** 2
REFUSALS = {"too_many_rows": {"en": "rows", "nl": "rijen", "fr": "lignes"},
            "too_many_cells": {"en": "cells", "nl": "cellen", "fr": "cellules"}}


def _bounded() -> None:  # runs in the child before the command starts
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def validate_bounded(path, language: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpwb_stats", "--lang", language, "validate",
                           str(path), "--format", "json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, preexec_fn=_bounded)


def one_cell_rows_xlsx(rows: int) -> bytes:
    """A workbook of ``rows`` one-cell rows under a header, its dimension claiming A1 only."""
    sheet = io.BytesIO()
    sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>rank</t></is></c></row>')
    sheet.writelines(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                     for n in range(2, rows + 2))
    sheet.write(b"</sheetData></worksheet>")
    return _xlsx({"xl/worksheets/sheet1.xml": sheet.getvalue()})


def one_cell_rows_ods(rows: int) -> bytes:
    row = ('<table:table-row><table:table-cell office:value-type="float" office:value="1"/>'
           '</table:table-row>')
    return ods('<table:table-row><table:table-cell office:value-type="string"><text:p>rank'
               '</text:p></table:table-cell></table:table-row>' + row * rows)


HOSTILE = {
    "two-million-rows.xlsx": (lambda: one_cell_rows_xlsx(2_000_000), "too_many_rows"),
    "rows-over-the-limit.xlsx": (lambda: one_cell_rows_xlsx(ROWS_OVER), "too_many_rows"),
    "rows-over-the-limit.ods": (lambda: one_cell_rows_ods(ROWS_OVER), "too_many_rows"),
    "short-lines.csv": (lambda: b"rank;count\n" + b"1\n" * ROWS_OVER, "too_many_rows"),
    "blank-lines.csv": (lambda: b"rank;count\n" + b"\n" * ROWS_OVER, "too_many_rows"),
    "one-endless-line.csv": (lambda: b"rank;count\n" + b";" * (MAX_CELLS + 5), "too_many_cells"),
    "wide-lines.csv": (lambda: b"rank;count\n" + (b"1;" * 99 + b"1\n") * (MAX_CELLS // 100 + 5),
                       "too_many_cells"),
    "short-lines-windows-1252.csv": (lambda: "grade;n\nVéronique;1\n".encode("cp1252")
                                     + b"1\n" * (2 * MAX_ROWS + 10), "too_many_rows"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_small_file_that_expands_to_millions_of_rows_or_cells_is_refused_within_bounds(
        tmp_path, name):
    make, code = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(make())
    assert path.stat().st_size < 60 * 1024 * 1024
    result = validate_bounded(path)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr
    assert [p["code"] for p in json.loads(result.stdout)["errors"]] == [code]


@pytest.mark.parametrize("code, content, language", [
    ("too_many_rows", b"rank;count\n" + b"1\n" * ROWS_OVER, "nl"),
    ("too_many_cells", b"rank;count\n" + b";" * (MAX_CELLS + 5), "en"),
    ("too_many_cells", b"rank;count\n" + b";" * (MAX_CELLS + 5), "nl"),
    ("too_many_cells", b"rank;count\n" + b";" * (MAX_CELLS + 5), "fr")])
def test_the_refusal_names_the_limit_in_the_reader_s_language(tmp_path, language, code,
                                                               content):
    path = tmp_path / "hostile.csv"
    path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "cpwb_stats", "--lang", language, "validate",
                             str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            preexec_fn=_bounded)
    shown = result.stdout + result.stderr
    limit = MAX_ROWS if code == "too_many_rows" else MAX_CELLS
    assert result.returncode == 1 and "Traceback" not in shown
    assert f"{limit:,}".replace(",", " ") in shown and REFUSALS[code][language] in shown


def test_a_file_of_exactly_the_largest_size_is_still_read():
    """The limits are on what a file holds, not a guess: a file of MAX_ROWS rows (the header
    and one row fewer of data) is read to its end."""
    raw = read_extract(b"rank;count\n" + b"inspector;1\n" * (MAX_ROWS - 1), "largest.csv")
    assert len(raw.cells) == MAX_ROWS - 1 and raw.cells.index[-1] == MAX_ROWS
