"""Workbooks built to hurt (issue 11, item 5) and text that is not UTF-8 (item 7), refused or
warned about by the command line, within a time and memory bound."""

import io
import json
import resource
import subprocess
import sys
import zipfile

import pytest

from cpwb_stats.ingest import workbook
from cpwb_stats.ingest.load import read_extract
from cpwb_stats.problems import ExtractRejected
from tests.conftest import ROOT

MEMORY_LIMIT = 2 * 1024 ** 3


def _limited() -> None:  # runs in the child before the command starts
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args: str) -> subprocess.CompletedProcess:
    """The command line as a user runs it, with 2 GB of address space and one minute."""
    return subprocess.run([sys.executable, "-m", "cpwb_stats", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, preexec_fn=_limited)


def xlsx_part(sheet_data: str, dimension: str = "A1") -> bytes:
    """A minimal XLSX written by hand: one sheet with the given <sheetData> content."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
             f'.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}'
             '</sheetData></worksheet>')
    return _xlsx({"xl/worksheets/sheet1.xml": sheet.encode()})


def _xlsx(parts: dict[str, bytes]) -> bytes:
    main = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{main}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{main}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{main}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}/spreadsheetml/2006/main" '
        f'xmlns:r="{main}/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{main}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{main}/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def ods(table: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:'
               'oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:'
               'opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
               'text:1.0"><office:body><office:spreadsheet><table:table table:name="Data">'
               f'{table}</table:table></office:spreadsheet></office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                         '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns'
                         ':manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:'
                         'full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
                         'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                         'manifest:media-type="text/xml"/></manifest:manifest>')
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def ods_cell(text: str, repeat: int = 1) -> str:
    return (f'<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="string">'
            f'<text:p>{text}</text:p></table:table-cell>')


@pytest.fixture
def write(tmp_path):
    def write_file(name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)
    return write_file


def codes_of(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stderr
    return [p["code"] for p in json.loads(result.stdout)["errors"]]


# --- Far cells, huge extents and zip bombs ------------------------------------------------------

def test_the_far_cell_workbook_is_refused_quickly(write):
    # A1 and XFD1048576: a 1.6 KB file that spans 17 billion cells.
    content = xlsx_part(f'<row r="1">{cell("A1", "rank")}{cell("B1", "count")}</row>'
                        f'<row r="1048576">{cell("XFD1048576", "x")}</row>', "A1:XFD1048576")
    assert len(content) < 2048
    result = run("validate", write("far.xlsx", content), "--format", "json")
    assert result.returncode == 1
    assert codes_of(result) == ["sheet_too_large"]


def test_a_workbook_whose_only_cell_is_far_away_is_measured_from_a1(write):
    """Excel shows such a sheet from A1 to XFD1048576: it is refused by its size, never expanded."""
    content = xlsx_part(f'<row r="1048576">{cell("XFD1048576", "x")}</row>', "XFD1048576")
    result = run("validate", write("one-far-cell.xlsx", content), "--format", "json")
    assert result.returncode == 1 and codes_of(result) == ["sheet_too_large"]


@pytest.mark.parametrize("far_row", [
    "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>",  # single quotes
    '<row r="1048576"><c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # spaces
    '<row r="1048576"><c r="&#88;FD1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # &#88; = X
])
def test_a_far_cell_written_in_any_legal_xml_way_is_refused_not_expanded(write, far_row):
    """XML allows single quotes, spaces around '=' and character references in an attribute: a
    far cell written so must still be measured (or the sheet refused), never handed to the
    reader, which would build the whole grid and bring the process down."""
    content = xlsx_part(f'<row r="1">{cell("A1", "rank")}{cell("B1", "count")}</row>{far_row}', "A1")
    result = run("validate", write("far.xlsx", content), "--format", "json")
    assert result.returncode == 1
    assert codes_of(result) in (["sheet_too_large"], ["unreadable_excel"])


def test_a_sheet_whose_part_cannot_be_found_is_refused_not_read_unmeasured(write):
    content = xlsx_part(f'<row r="1">{cell("A1", "rank")}</row><row r="1048576">'
                        f'{cell("XFD1048576", "x")}</row>', "A1")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b'Target="worksheets/sheet1.xml"', b"Target='worksheets/sheet1.xml'")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = run("validate", write("quoted-rels.xlsx", buffer.getvalue()), "--format", "json")
    assert result.returncode == 1
    assert codes_of(result) == ["sheet_too_large"]


@pytest.mark.parametrize("language, words", [("en", "cells"), ("nl", "cellen"),
                                             ("fr", "cellules")])
def test_the_refusal_is_in_the_users_language(write, language, words):
    content = xlsx_part(f'<row r="1">{cell("A1", "a")}</row>'
                        f'<row r="200000">{cell("ZZ200000", "b")}</row>')
    result = run("--lang", language, "validate", write("wide.xlsx", content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "'Data'" in result.stdout + result.stderr and words in result.stdout + result.stderr


def test_an_ods_of_repeated_cells_is_refused_before_it_is_expanded(write):
    # one row repeated a million times, each with a value repeated over 16384 columns
    content = ods(f'<table:table-row table:number-rows-repeated="1048576">{ods_cell("x", 16384)}'
                  '</table:table-row>')
    assert len(content) < 2048
    result = run("validate", write("repeated.ods", content), "--format", "json")
    assert codes_of(result) == ["sheet_too_large"]


def test_trailing_empty_repeats_of_an_ods_are_fine():
    # LibreOffice writes the empty rest of a sheet as repeated empty cells and rows
    content = ods('<table:table-row>' + ods_cell("rank") + ods_cell("count") +
                  '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
                  '<table:table-row>' + ods_cell("agent") + ods_cell("3") + '</table:table-row>'
                  '<table:table-row table:number-rows-repeated="1048574">'
                  '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    table = read_extract(content)
    assert table.source == "ods" and table.cells.values.tolist() == [["agent", "3"]]


def test_a_zip_bomb_is_refused_by_what_it_unpacks_to(write):
    sheet = io.BytesIO()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _ in range(workbook.MAX_UNPACKED_BYTES // len(chunk) + 8):
                part.write(chunk)
    del sheet
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    result = run("validate", write("bomb.xlsx", buffer.getvalue()), "--format", "json")
    assert codes_of(result) == ["workbook_unpacks_too_large"]


def test_a_part_that_lies_about_its_size_is_counted_as_it_unpacks(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1024 * 1024)
    content = xlsx_part(f'<row r="1">{cell("A1", "rank")}{cell("B1", "count")}</row>'
                        + "<row/>" * 400_000)
    with pytest.raises(ExtractRejected) as rejected:
        read_extract(content)
    assert [p.code for p in rejected.value.problems] == ["workbook_unpacks_too_large"]


# --- Text that is not UTF-8, through the command line -------------------------------------------

WORKFORCE = "reference_date;zone;rank;gender\n"


def test_one_invalid_byte_is_a_warning_naming_its_line(write):
    content = (WORKFORCE + "2024-12-31;Géant;agent;woman\n").encode() + \
        "2024-12-31;Géant;inspector;man\n".encode("cp1252")
    result = run("validate", write("zone.csv", content), "--format", "json")
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    [found] = [w for w in report["warnings"] if w["code"] == "lines_not_utf8"]
    assert "3: 2024-12-31;Géant;inspector;man" in found["message"]


def test_a_windows_1252_file_is_read_with_a_warning(write):
    content = (WORKFORCE + "2024-12-31;Liège;agent;woman\n").encode("cp1252")
    result = run("validate", write("zone.csv", content), "--format", "json")
    report = json.loads(result.stdout)
    assert [w["code"] for w in report["warnings"]][:1] == ["encoding_fallback"]
    assert "Liège" in report["warnings"][0]["message"]


def test_a_shift_jis_file_is_refused(write):
    content = (WORKFORCE + "2024-12-31;東京;agent;woman\n2024-12-31;大阪;agent;man\n").encode(
        "shift_jis")
    result = run("validate", write("zone.csv", content), "--format", "json")
    assert result.returncode == 1 and codes_of(result) == ["unknown_encoding"]


HOME_OFFICE_ODS = ROOT / "../shared/data/uk-home-office-police-workforce-2018-09-tables.ods"


def test_the_command_line_reads_the_sheet_it_is_told():
    chosen = run("validate", str(HOME_OFFICE_ODS), "--sheet", "Table_2", "--format", "json")
    default = run("validate", str(HOME_OFFICE_ODS), "--format", "json")
    for result in (chosen, default):
        assert "Traceback" not in result.stderr and result.returncode in (0, 1)
    chosen_codes = [w["code"] for w in json.loads(chosen.stdout)["warnings"]]
    default_codes = [w["code"] for w in json.loads(default.stdout)["warnings"]]
    assert "notes_skipped" in chosen_codes and "sheet_chosen" not in chosen_codes
    assert "sheet_chosen" in default_codes
    missing = run("validate", str(HOME_OFFICE_ODS), "--sheet", "Table_9", "--format", "json")
    assert codes_of(missing) == ["sheet_not_found"]
