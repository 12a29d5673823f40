import pytest

from cpwb_stats.load import read_extract
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
