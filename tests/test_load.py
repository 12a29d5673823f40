import math

import pytest

from cpwb_stats.ingest.load import read_extract
from cpwb_stats.problems import ExtractRejected
from tests.conftest import xlsx_bytes

HEADER_AND_ROW = "reference_date;rank;gender\n2024-12-31;inspector;woman\n"


def codes(content: bytes) -> list[str]:
    with pytest.raises(ExtractRejected) as rejected:
        read_extract(content)
    return [p.code for p in rejected.value.problems]


@pytest.mark.parametrize("content, encoding", [
    (HEADER_AND_ROW.encode("utf-8"), "utf-8"),
    (HEADER_AND_ROW.encode("utf-8-sig"), "utf-8"),
    ("date de référence;grade\n31/12/2024;Inspecteur principal\n".encode("cp1252"), "cp1252"),
])
def test_encodings(content, encoding):
    table = read_extract(content)
    assert table.encoding == encoding
    assert "ref" in table.cells.columns[0] or "date" in table.cells.columns[0]


def test_accents_survive_windows_1252():
    table = read_extract("grade;genre\nInspecteur principal;féminin\n".encode("cp1252"))
    assert table.cells.iloc[0, 1] == "féminin"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(delimiter):
    text = HEADER_AND_ROW.replace(";", delimiter)
    table = read_extract(text.encode())
    assert list(table.cells.columns) == ["reference_date", "rank", "gender"]
    assert table.delimiter == delimiter


def test_quoted_thousands_do_not_confuse_the_delimiter():
    text = 'rank,count\n"Inspector"," 1,976 "\nSergeant,3\n'
    table = read_extract(text.encode())
    assert table.cells["count"].tolist() == ["1,976", "3"]


def test_rows_are_numbered_as_in_the_file_with_title_and_blank_lines():
    text = "Personeel 2024\n\nreference_date;rank\n2024;agent\n\n2024;inspecteur\n"
    table = read_extract(text.encode())
    assert table.cells.index.tolist() == [4, 6]


def test_xlsx_is_read_with_numbers_and_dates_as_text():
    import datetime as dt

    content = xlsx_bytes([["reference_date", "rank", "count"],
                          [dt.datetime(2024, 12, 31), "inspector", 12.0]])
    table = read_extract(content)
    assert table.source == "xlsx"
    assert table.cells.iloc[0].tolist() == ["2024-12-31", "inspector", "12"]
    assert table.cells.index.tolist() == [2]


@pytest.mark.parametrize("content, code", [
    (b"", "empty_file"),
    (b"   \n\n", "empty_file"),
    (b"\x00\x01\x02binary\x00\xff" * 50, "binary_file"),
    (bytes(range(256)) * 20, "binary_file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unreadable_excel"),
    (b"PK\x03\x04 not really a zip", "unreadable_excel"),
    (b"reference_date;rank;gender\n", "no_data_rows"),
    (b"just one cell\n", "no_header"),
    (b"a;b\n1;2;3\n", "extra_cells"),
    (b"rank;Rank\nagent;agent\n", "duplicate_header"),
])
def test_broken_files_are_refused_with_a_reason(content, code):
    assert code in codes(content)


def test_merged_cells_in_the_table_are_refused():
    content = xlsx_bytes([["reference_date", "rank", "gender"], ["2024", "agent", "woman"],
                          ["", "", "man"]], merged="A2:A3")
    assert codes(content) == ["merged_cells"]


def test_merged_title_above_the_header_is_fine():
    content = xlsx_bytes([["Personnel 2024", None, None], ["reference_date", "rank", "gender"],
                          ["2024", "agent", "woman"]], merged="A1:C1")
    assert read_extract(content).cells.index.tolist() == [3]


def test_formula_without_saved_value_is_reported_not_raised():
    content = xlsx_bytes([["rank", "count"], ["agent", 3], ["inspector", "=B2*2"]])
    table = read_extract(content)
    assert [(p.code, p.row, p.column) for p in table.problems] == [
        ("formula_without_value", 3, "count")]
    assert table.cells.loc[2].tolist() == ["agent", "3"]


def test_dictionary_sheet_of_a_template_is_skipped():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data dictionary"
    book.active.append(["Column", "Meaning"])
    data = book.create_sheet("data")
    data.append(["reference_date", "rank"])
    data.append(["2024", "agent"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert list(read_extract(buffer.getvalue()).cells.columns) == ["reference_date", "rank"]


# --- Workbooks as statistics offices publish them: the Home Office ODS, read in place ----------

import csv  # noqa: E402
import io  # noqa: E402
import zipfile  # noqa: E402
from xml.etree import ElementTree  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cpwb_stats.contract.extracts import validate_file  # noqa: E402
from cpwb_stats.ingest.load import list_sheets  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

HOME_OFFICE_ODS = ROOT / "../shared/data/uk-home-office-police-workforce-2018-09-tables.ods"
ODF = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
# The nine regions of England and Wales as the Home Office groups forces (ONS regions; London
# and the East of England named as in the tables), then the two totals.
REGIONS = ["North East", "North West", "Yorkshire and the Humber", "East Midlands",
           "West Midlands", "Eastern", "London", "South East", "South West", "Wales"]


def ods_reference(sheet: str) -> list[tuple[str, list[object]]]:
    """(first cell text, cell values) for every row of one table, read with the standard
    library's XML parser: repeated cells and rows expanded, numbers from office:value."""
    with zipfile.ZipFile(HOME_OFFICE_ODS) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    q = lambda ns, name: f"{{{ODF[ns]}}}{name}"  # noqa: E731
    table = next(t for t in root.iter(q("table", "table")) if t.get(q("table", "name")) == sheet)
    rows = []
    for row in table.iter(q("table", "table-row")):
        cells = []
        for cell in row:
            repeat = min(int(cell.get(q("table", "number-columns-repeated"), "1")), 50)
            value = cell.get(q("office", "value"))
            text = "".join(cell.itertext())
            cells += [float(value) if value is not None else text] * repeat
        repeat = min(int(row.get(q("table", "number-rows-repeated"), "1")), 5)
        rows += [(str(cells[0]).strip() if cells else "", cells)] * repeat
    return rows


@pytest.fixture(scope="module")
def home_office() -> bytes:
    return HOME_OFFICE_ODS.read_bytes()


def test_home_office_ods_lists_its_sheets_and_reads_the_first_table(home_office):
    assert list_sheets(home_office) == ["Index"] + [f"Table_{n}" for n in range(1, 9)]
    table = read_extract(home_office, "police-workforce.ods")
    assert table.source == "ods" and table.sheet == "Table_1"
    chosen = [p for p in table.warnings if p.code == "sheet_chosen"]
    assert len(chosen) == 1 and "Index" in chosen[0].message() and "Table_8" in chosen[0].message()


def test_home_office_table_is_found_under_its_title_unit_and_two_header_rows(home_office):
    table = read_extract(home_office, sheet="Table_1")
    reference = ods_reference("Table_1")
    # the header is the second header row (dates, then number / %); data start under it
    header_at = next(i for i, (_, cells) in enumerate(reference)
                     if any(isinstance(c, str) and c == "number" for c in cells))
    expected = [(name, cells[3]) for name, cells in reference[header_at + 1:]
                if name and isinstance(cells[3], float)]
    assert table.cells.index[0] == header_at + 2  # row numbers as in the spreadsheet
    september = [c for c in table.cells.columns if "2018-09-30" in c]
    assert september == ["As at: 2018-09-30"]
    read = [(name.strip(), float(value)) for name, value in
            zip(table.cells.iloc[:, 0], table.cells[september[0]], strict=True)]
    assert [n for n, _ in read] == [n for n, _ in expected]
    assert all(math.isclose(a, b, rel_tol=1e-9) for (_, a), (_, b) in zip(read, expected,
                                                                          strict=True))


def test_home_office_region_and_total_rows_are_marked_as_subtotals(home_office):
    for sheet in [f"Table_{n}" for n in range(1, 8)]:
        table = read_extract(home_office, sheet=sheet)
        names = table.cells.iloc[:, 0].str.strip()
        assert sorted(names[sorted(table.subtotal_rows)]) == sorted(
            REGIONS + ["Total 43 forces", "Total"]), sheet


def test_home_office_forces_add_up_to_the_published_total(home_office):
    # Published: 122,395 full-time equivalent officers in the 43 forces on 30 September 2018.
    table = read_extract(home_office, sheet="Table_1")
    detail = table.cells.drop(index=sorted(table.subtotal_rows))
    forces = detail[~detail.iloc[:, 0].str.strip().isin(
        ["Central Service Secondments", "British Transport Police"])]
    assert len(forces) == 43
    assert round(forces["As at: 2018-09-30"].astype(float).sum()) == 122395


def test_home_office_notes_under_the_table_are_skipped_with_one_warning(home_office):
    table = read_extract(home_office, sheet="Table_7")
    notes = [p for p in table.warnings if p.code == "notes_skipped"]
    assert len(notes) == 1
    assert "'..' Denotes data not available" in notes[0].value
    assert any(n.startswith("'..' Denotes data not available") for n in table.notes)
    # 43 forces, 10 regions, the 43-force total, British Transport Police and the total
    assert len(table.cells) == 43 + 10 + 3
    assert table.cells.iloc[-1, 0] == "Total"


@pytest.mark.parametrize("chosen, expected", [("Table_7", "Table_7"), ("table_7", "Table_7"),
                                              ("8", "Table_7"), ("Index", "Index")])
def test_the_sheet_is_chosen_by_name_or_number(home_office, chosen, expected):
    assert read_extract(home_office, sheet=chosen).sheet == expected


def test_an_unknown_sheet_is_refused_naming_the_sheets(home_office):
    with pytest.raises(ExtractRejected) as rejected:
        read_extract(home_office, sheet="Table_9")
    [problem] = rejected.value.problems
    assert problem.code == "sheet_not_found" and "Table_8" in problem.message("fr")


def test_group_header_row_is_joined_to_a_header_that_repeats_itself():
    content = xlsx_bytes([["Staff by zone, 2024", None, None, None, None],
                          [None, None, None, None, "Headcount"],
                          [None, "Women", None, "Men", None],
                          ["zone", "number", "%", "number", "%"],
                          ["Gent", 10, 25.0, 30, 75.0],
                          ["Brugge", 20, 40.0, 30, 60.0]])
    table = read_extract(content)
    assert list(table.cells.columns) == ["zone", "Women number", "Women %", "Men number", "Men %"]
    assert table.cells.index.tolist() == [5, 6]


def test_a_sheet_not_starting_at_a1_keeps_its_row_numbers():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C4"], sheet["D4"] = "rank", "count"
    sheet["C5"], sheet["D5"] = "agent", 3
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_extract(buffer.getvalue())
    assert table.cells.index.tolist() == [5]
    assert table.cells.loc[5].tolist() == ["agent", "3"]


def test_a_formula_does_not_hide_the_other_problems_of_the_file():
    content = xlsx_bytes([["reference_date", "zone", "rank", "gender", "count"],
                          ["2024-12-31", "Gent", "inspector", "woman", 3],
                          ["2024-12-31", "Gent", "inspector", "man", "=E2*2"],
                          ["2024-12-31", "Gent", "general", "man", 4],
                          ["2024-12-31", "Gent", "agent", "martian", 5],
                          ["31/02/2024", "Gent", "agent", "woman", 6]])
    report = validate_file(content, "extract.xlsx")
    assert not report.valid and report.extract is None
    found = {(p.code, p.row) for p in report.errors}
    assert {("formula_without_value", 3), ("unknown_rank", 4), ("unknown_group", 5),
            ("bad_period", 6)} <= found


def test_a_formula_with_its_saved_result_is_read_as_that_result():
    content = xlsx_bytes([["rank", "count"], ["agent", 3], ["inspector", 6]])
    # rewrite B3 as a formula that carries its saved result, as Excel writes it
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B3" t="n"><v>6</v></c>',
                                    b'<c r="B3"><f>B2*2</f><v>6</v></c>')
                assert b"<f>B2*2</f>" in data
            target.writestr(info, data)
    table = read_extract(buffer.getvalue())
    assert table.problems == () and table.cells["count"].tolist() == ["3", "6"]


# --- Text exports: every byte-order mark, encoding and delimiter --------------------------------

TEXT_ROWS = [["reference_date", "zone", "rank", "gender", "count"],
             ["2024-12-31", "Liège", "Inspecteur principal", "féminin", "12"],
             ["2024-12-31", "Sint-Niklaas", "hoofdinspecteur", "vrouw", "1 084"]]


def text_of(rows: list[list[str]], delimiter: str, newline: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


ENCODINGS = [("utf-8-sig", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
             ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
             ("utf-16-le", b""), ("utf-16-be", b""), ("utf-8", b"")]


@pytest.mark.parametrize("encoding, bom", ENCODINGS)
@pytest.mark.parametrize("delimiter", ["\t", ";", ",", "|"])
def test_text_in_every_unicode_encoding_and_delimiter(encoding, bom, delimiter):
    text = text_of(TEXT_ROWS, delimiter, "\r\n")
    table = read_extract(bom + text.encode(encoding), "export.txt")
    expected = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert list(table.cells.columns) == expected[0]
    assert table.cells.values.tolist() == expected[1:]
    assert table.delimiter == delimiter and table.warnings == ()


def test_excel_unicode_text_export():
    # Excel's "Unicode text": UTF-16 little-endian with its byte-order mark, tabs, CRLF.
    text = "\r\n".join("\t".join(row) for row in TEXT_ROWS) + "\r\n"
    table = read_extract(text.encode("utf-16"), "Export.txt")
    assert table.encoding.startswith("utf-16")
    assert table.cells["zone"].tolist() == ["Liège", "Sint-Niklaas"]


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs",
                                                                                          "Zl", "Zp")),
                                      min_size=1, max_size=8).map(str.strip).filter(bool),
                              min_size=3, max_size=3), min_size=1, max_size=6),
       encoding=st.sampled_from([e for e in ENCODINGS if e[1] or e[0].startswith("utf-8")]),
       delimiter=st.sampled_from(["\t", ";"]))
def test_any_unicode_table_reads_back_cell_for_cell(rows, encoding, delimiter):
    """Any text in UTF-8 or with a byte-order mark (without one, UTF-16/32 is recognised only
    when most characters are ASCII, as in real exports)."""
    header = [["rank", "gender", "count"]]
    text = text_of(header + rows, delimiter)
    name, bom = encoding
    table = read_extract(bom + text.encode(name))
    expected = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text, newline=""),
                                                           delimiter=delimiter)][1:]
    assert table.cells.values.tolist() == expected


# --- Text that is not UTF-8 (issue 11 item 7) ---------------------------------------------------

def test_one_bad_byte_keeps_the_rest_in_utf8_and_names_the_line():
    good = "reference_date;zone;rank\n2024;Géant;agent\n2024;Géant;inspecteur\n".encode()
    content = good + "2024;Liège;agent\n".encode("cp1252")
    table = read_extract(content)
    assert table.cells["zone"].tolist() == ["Géant", "Géant", "Liège"]
    [found] = table.warnings
    assert found.code == "lines_not_utf8" and found.value.startswith("4: 2024;Liège;agent")


def test_a_windows_1252_file_is_read_with_a_warning_naming_its_lines():
    content = "grade;genre\nInspecteur principal;féminin\nagent;masculin\n".encode("cp1252")
    table = read_extract(content)
    assert table.encoding == "cp1252" and table.cells.iloc[0, 1] == "féminin"
    [found] = table.warnings
    assert found.code == "encoding_fallback" and found.params["count"] == 1
    assert "2: Inspecteur principal;féminin" in found.value


@pytest.mark.parametrize("encoding, zones", [
    ("shift_jis", ["東京", "大阪府警察", "北海道"]),
    ("euc_kr", ["서울", "부산광역시"]),
    ("cp1251", ["Москва", "Санкт-Петербург"]),
    ("koi8_r", ["Москва", "Новосибирск"]),
    ("gb2312", ["北京市", "上海"]),
])
def test_text_in_another_legacy_encoding_is_refused(encoding, zones):
    text = "reference_date;zone;rank\n" + "".join(f"2024;{z};agent\n" for z in zones)
    assert codes(text.encode(encoding)) == ["unknown_encoding"]


# --- Notes under the table ----------------------------------------------------------------------

TABLE = "reference_date;zone;rank;gender;count\n2024;Gent;agent;woman;3\n2024;Gent;agent;man;5\n"


@pytest.mark.parametrize("notes", [
    ["'..' Denotes data not available"],
    ["Source: Home Office, Police workforce", "Note: figures are headcounts"],
    ["Bron: HR-dienst politiezone Gent", "Opmerking: voorlopige cijfers"],
    ["Remarque : chiffres provisoires", "Source : SSGPI"],
    ["Notes", "1. Excludes officers on career break", "2. Includes secondments"],
    ["* provisional figures", "(1) Head office staff excluded"],
    ["Voetnoot: inclusief gedetacheerden"],
    ["These figures were extracted from the HR system on 3 January"],
])
@pytest.mark.parametrize("padding", ["", ";;;;"])
def test_notes_after_a_blank_row_are_skipped_with_one_warning(notes, padding):
    text = TABLE + padding + "\n" + "".join(n + padding + "\n" for n in notes)
    table = read_extract(text.encode())
    assert table.cells.index.tolist() == [2, 3]
    assert list(table.notes) == notes
    [found] = table.warnings
    assert found.code == "notes_skipped" and found.params["count"] == len(notes)
    assert notes[0][:40] in found.value


@pytest.mark.parametrize("note", ["Source: Statbel", "Bron: HR-dienst", "Remarque: provisoire",
                                  "'..' Denotes data not available", "Note: headcounts"])
def test_labelled_notes_right_under_the_table_are_skipped(note):
    table = read_extract((TABLE + note + "\n").encode())
    assert table.cells.index.tolist() == [2, 3] and table.notes == (note,)


@pytest.mark.parametrize("tail", [
    "\n2024;Gent;inspector;woman;4\n",               # a data row after a blank row
    "\n2024;Gent;inspector;woman;4\nSource: HR\n",   # ... followed by a source line
    "\nTotal;;;;12\n",                               # a total row after a blank row
    "2024;Gent;commissioner\n",                      # a short data row, no blank row
    "\nagent\n",                                     # a lone one-word cell: not a note
])
def test_data_rows_are_never_taken_for_notes(tail):
    text = TABLE + tail
    table = read_extract(text.encode())
    data_lines = [n for n, line in enumerate(text.splitlines(), start=1)
                  if line.strip(";") and n > 1 and not line.startswith("Source")]
    assert table.cells.index.tolist() == data_lines


@settings(max_examples=30, deadline=None)
@given(trailing=st.lists(st.lists(st.sampled_from(["", "x", "Source: HR", "2024", "agent",
                                                   "12", "Note: a", "'..' n/a", "1. Excludes"]),
                                  min_size=5, max_size=5), max_size=6))
def test_rows_with_three_or_more_cells_are_never_dropped(trailing):
    text = TABLE + "".join(";".join(r) + "\n" for r in trailing)
    try:
        table = read_extract(text.encode())
    except ExtractRejected:
        return
    full = [n for n, line in enumerate(text.splitlines(), start=1)
            if n > 1 and sum(bool(c) for c in line.split(";")) >= 3]
    assert set(full) <= set(table.cells.index)


def test_old_excel_xls_is_read_with_its_sheets():
    import datetime as dt

    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Lisez-moi").write(0, 0, "Extrait RH")
    data = book.add_sheet("Personnel")
    rows = [["Personnel au 31/12/2024"], [],
            ["date de référence", "grade", "genre", "nombre"],
            [dt.datetime(2024, 12, 31), "Inspecteur principal", "féminin", 12],
            [dt.datetime(2024, 12, 31), "Commissaire", "masculin", 3.0]]
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            data.write(r, c, value, dates if isinstance(value, dt.datetime) else xlwt.Style.default_style)
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_extract(buffer.getvalue(), "extract.xls")
    assert table.source == "xls" and table.sheet == "Personnel"
    assert list(table.cells.columns) == ["date de référence", "grade", "genre", "nombre"]
    assert table.cells.index.tolist() == [4, 5]
    assert table.cells.values.tolist() == [["2024-12-31", "Inspecteur principal", "féminin", "12"],
                                           ["2024-12-31", "Commissaire", "masculin", "3"]]


def test_merged_cells_and_formulas_of_an_ods_table_are_found():
    from tests.test_workbook import ods

    def text(value: str, extra: str = "") -> str:
        return (f'<table:table-cell office:value-type="string" {extra}><text:p>{value}</text:p>'
                '</table:table-cell>')

    def row(*cells: str) -> str:
        return "<table:table-row>" + "".join(cells) + "</table:table-row>"

    title = row(text("Personnel 2024", 'table:number-columns-spanned="3"'),
                "<table:covered-table-cell/><table:covered-table-cell/>")
    header = row(text("reference_date"), text("rank"), text("count"))
    merged = row(text("2024", 'table:number-rows-spanned="2"'), text("agent"), text("3"))
    formula = row("<table:covered-table-cell/>", text("inspector"),
                  '<table:table-cell table:formula="of:=[.C3]*2"/>')
    note = row(text("Source: HR", 'table:number-columns-spanned="3"'))
    with pytest.raises(ExtractRejected) as rejected:
        read_extract(ods(title + header + merged + formula + row() + note))
    assert [(p.code, p.value) for p in rejected.value.problems] == [("merged_cells", "A3:A4")]
    unmerged = row(text("2024"), text("inspector"), '<table:table-cell table:formula="of:=[.C3]*2"/>')
    table = read_extract(ods(title + header + row(text("2024"), text("agent"), text("3")) +
                             unmerged + row() + note))
    assert [(p.code, p.row, p.column) for p in table.problems] == [
        ("formula_without_value", 4, "count")]
    assert table.notes == ("Source: HR",)


def test_a_template_with_its_dictionary_sheet_gives_no_sheet_warning():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(["reference_date", "rank"])
    book.active.append(["2024", "agent"])
    book.create_sheet("Data dictionary").append(["Column", "Meaning"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_extract(buffer.getvalue())
    assert table.sheet == "Data" and table.warnings == ()


@settings(max_examples=25, deadline=None, derandomize=True)
@given(regions=st.lists(st.lists(st.tuples(st.integers(1000, 10**6), st.integers(1000, 10**6),
                                           st.integers(0, 10**6)), min_size=2, max_size=6),
                        min_size=1, max_size=5),
       above=st.booleans())
def test_region_rows_and_the_total_are_exactly_the_rows_marked_as_subtotals(regions, above):
    """Forces with three count columns, each region's sums placed above (or below) its forces,
    the grand total last: every region and the total with two or more non-zero figures is
    marked. (That nothing else is marked is checked on the Home Office tables above: small or
    zero counts can add up by chance, a force equal to two others in two columns.)"""
    lines, expected, row = ["area;2017;2018;2019"], set(), 1

    def sums(rows):
        return tuple(sum(column) for column in zip(*rows, strict=True))

    for r, forces in enumerate(regions):
        block = [f"Force {r}-{f};" + ";".join(map(str, counts)) for f, counts in
                 enumerate(forces)]
        region = f"Region {r};" + ";".join(map(str, sums(forces)))
        block = [region] + block if above else block + [region]
        expected.add(row + 1 + (0 if above else len(forces)))
        lines += block
        row += len(block)
    if not any(any(sums(forces)) for forces in regions):
        return  # nothing to add up
    everything = [counts for forces in regions for counts in forces]
    lines.append("Total;" + ";".join(map(str, sums(everything))))
    expected.add(row + 1)
    table = read_extract("\n".join(lines).encode())
    too_few = {n for n in expected if sum(int(v) != 0 for v in table.cells.loc[n].iloc[1:]) < 2}
    assert expected - too_few <= set(table.subtotal_rows)


# --- Windows-1252 whose only accents are Excel's typographic marks (issue 12, review) -----------

@pytest.mark.parametrize("zone", ["L’Escaut", "Zone “Nord”", "Gent – Oost", "Budget 5 € — total",
                                  "Zone ‘Sud’ … Ouest", "Bruxelles—Ixelles"])
def test_windows_1252_with_only_typographic_quotes_dashes_or_euro_is_read(zone):
    content = f"peildatum,politiezone,aantal\n31/12/2024,{zone},12\n".encode("cp1252")
    assert not content.decode("latin-1").isascii()
    table = read_extract(content)
    assert table.encoding == "cp1252"
    assert table.cells["politiezone"].tolist() == [zone]  # the reference: the text as written
    [found] = table.warnings
    assert found.code == "encoding_fallback" and found.params["count"] == 1


@pytest.mark.parametrize("encoding, zones", [
    ("shift_jis", ["東京都警察本部", "大阪", "ｱｲｳｴｵ"]),
    ("cp1251", ["Киев – Москва", "Минск"]),
    ("koi8_r", ["Новосибирск"]),
    ("cp1253", ["Αθήνα", "Θεσσαλονίκη"]),
    ("big5", ["臺北市", "高雄"]),
])
def test_typographic_marks_do_not_open_the_door_to_other_encodings(encoding, zones):
    text = "reference_date;zone;rank\n" + "".join(f"2024;{z};agent “x”\n" for z in zones)
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.replace("“", '"').replace("”", '"').replace("–", "-").encode(encoding)
    assert codes(content) == ["unknown_encoding"]


# --- Short notes after the table (issue 12, review) ---------------------------------------------

FORCES = "year,force,rank,gender,count\n2017,Force A,constable,female,10\n2017,Force A,constable,male,30\n"


@pytest.mark.parametrize("blank, note, cells", [
    ("\n\n\n", "This table was produced by the HR service on 3 March 2024, contact hr@zone.be",
     ["This table was produced by the HR service on 3 March 2024", "contact hr@zone.be"]),
    ("\n", "Nota bene: cijfers voorlopig", ["Nota bene: cijfers voorlopig"]),
    ("\n", "© Police fédérale 2024", ["© Police fédérale 2024"]),
    ("\n", "Footnote: a, b, c", ["Footnote: a", "b", "c"]),
    ("\n", "Last updated: 12/03/2024", ["Last updated: 12/03/2024"]),
    ("\n", "Last updated 2024", ["Last updated 2024"]),
    ("\n", "Prepared by HR", ["Prepared by HR"]),
    ("\n", "Cijfers: voorlopig", ["Cijfers: voorlopig"]),
    ("\n", "Figures are provisional, and may change", ["Figures are provisional", "and may change"]),
    ("\n", "Mis à jour le 3 mars", ["Mis à jour le 3 mars"]),
    ("\n", "Bijgewerkt: maart 2024", ["Bijgewerkt: maart 2024"]),
])
def test_short_text_lines_after_the_table_are_notes(blank, note, cells):
    text = FORCES + blank + note + "\n"
    # the reference: the csv module's cells of the note line
    assert [c.strip() for c in next(csv.reader([note]))] == cells
    table = read_extract(text.encode())
    assert table.cells.index.tolist() == [2, 3]
    assert table.cells["count"].tolist() == ["10", "30"]
    assert table.notes == (" ".join(cells),)
    [found] = table.warnings
    assert found.code == "notes_skipped" and found.params["count"] == 1


def test_a_note_with_an_email_address_is_not_taken_for_an_identifier():
    from cpwb_stats.contract.extracts import validate_file

    text = FORCES + "\n\n\nThis table was produced by the HR service, contact hr@zone.be\n"
    report = validate_file(text.encode(), "n11.csv")
    assert report.valid and report.rows == 2
    assert [w.code for w in report.warnings] == ["notes_skipped"]


@pytest.mark.parametrize("tail", [
    "\nForce B,constable,female\n",          # three cells of a row, without a note label
    "\n2018,Force B\n",                      # a short row with a year
    "\nForce B,12\n",                        # a count in a short row
    "\nTotal,,,,40\n",                       # a total
])
def test_short_rows_with_numbers_or_table_cells_after_a_blank_row_stay_data(tail):
    text = FORCES + tail
    table = read_extract(text.encode())
    assert table.cells.index.tolist() == [2, 3, 5]
    assert table.notes == ()


# --- Excel error values in cells (issue 12, review) ---------------------------------------------

ERROR_VALUES = ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


@pytest.mark.parametrize("value", ERROR_VALUES)
def test_an_excel_error_in_an_xlsx_cell_is_an_error_naming_the_cell(value):
    content = xlsx_bytes([["peildatum", "zone", "graad", "geslacht", "aantal"],
                          ["31/12/2024", "Gent", "inspecteur", "V", 5],
                          ["31/12/2024", "Gent", "inspecteur", "M", value]])
    table = read_extract(content)
    [found] = table.problems
    assert (found.code, found.severity, found.row, found.column, found.value) == (
        "excel_error_value", "error", 3, "aantal", value)
    assert found.params["cell"] == "E3"
    assert table.cells.loc[3, "aantal"] == ""  # never read as a value


@pytest.mark.parametrize("value", ERROR_VALUES)
def test_an_excel_error_saved_into_a_csv_is_an_error_naming_the_cell(value):
    text = f"peildatum;zone;graad;geslacht;aantal\n31/12/2024;Gent;inspecteur;V;5\n" \
           f"31/12/2024;{value};inspecteur;M;7\n"
    table = read_extract(text.encode())
    [found] = table.problems
    assert (found.code, found.row, found.column, found.value, found.params["cell"]) == (
        "excel_error_value", 3, "zone", value, "B3")


def test_excel_errors_are_reported_with_every_other_problem_of_the_file():
    from cpwb_stats.contract.extracts import validate_file

    content = xlsx_bytes([["titel"], [],
                          ["peildatum", "zone", "graad", "geslacht", "aantal"],
                          ["31/12/2024", "Gent", "inspecteur", "V", "#DIV/0!"],
                          ["31/12/2024", "Gent", "astronaut", "M", 3],
                          ["31/12/2024", "#N/A", "inspecteur", "M", 4]])
    report = validate_file(content, "err.xlsx")
    assert not report.valid and report.extract is None
    found = {(e.code, e.row, e.value) for e in report.errors}
    assert ("excel_error_value", 4, "#DIV/0!") in found
    assert ("excel_error_value", 6, "#N/A") in found
    assert ("unknown_rank", 5, "astronaut") in found
    cells = {e.params.get("cell") for e in report.errors if e.code == "excel_error_value"}
    assert cells == {"E4", "B6"}


def test_excel_error_message_in_three_languages():
    import json
    from pathlib import Path

    for lang in ("en", "nl", "fr"):
        catalogue = json.loads((Path("cpwb_stats/locales") / f"{lang}.json").read_text("utf-8"))
        message = catalogue["problem.excel_error_value"]
        assert "{cell}" in message and "{value}" in message


# --- A lone cell far away (issue 12, review) ----------------------------------------------------

def test_a_workbook_whose_only_cell_is_at_xfd1048576_gets_the_size_message():
    import openpyxl

    book = openpyxl.Workbook()
    book.active["XFD1048576"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ExtractRejected) as rejected:
        read_extract(buffer.getvalue())
    [found] = rejected.value.problems
    # Excel's last row and column: 1,048,576 rows by 16,384 columns (XFD)
    assert found.code == "sheet_too_large"
    assert (found.params["rows"], found.params["columns"]) == (1_048_576, 16_384)
