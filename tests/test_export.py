import csv
import io

import openpyxl
import pandas as pd
import pytest

from cpwb_stats.output.export import defuse, rounded_for_reading, to_csv_bytes, to_xlsx_bytes


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"), ("Gent", "Gent"), (12, 12), (-3, -3), (None, None),
])
def test_defuse(value, expected):
    assert defuse(value) == expected


def test_downloads_never_carry_a_live_formula():
    frame = pd.DataFrame({"zone": ["=HYPERLINK(\"http://x\")", "Gent"], "count": [5, 6]})
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=HYPERLINK")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"t": frame})))
    cells = [c.value for c in book.active["A"]]
    assert cells[1].startswith("'=") and book.active["A2"].data_type == "s"


def _csv_cells(frame: pd.DataFrame) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"))))


def test_shares_read_with_four_decimals_in_a_csv():
    """0.4468664850136240 (41 of 91.75, by hand) reads 0.4469; no '-0.0'; whole numbers,
    missing values and text unchanged."""
    frame = pd.DataFrame({"share": [41 / 91.75, 0.25, None], "ci_low": [-0.00001, 1.0, 0.5],
                          "average_headcount": [917.5, 15.0, 2 / 3], "count": [41, 0, 7],
                          "group": ["yes", "no", "=1+1"]})
    rows = _csv_cells(rounded_for_reading(frame))
    assert [r["share"] for r in rows] == ["0.4469", "0.25", ""]
    assert [r["ci_low"] for r in rows] == ["0.0", "1.0", "0.5"]
    assert [r["average_headcount"] for r in rows] == ["917.5", "15.0", "0.6667"]
    assert [r["count"] for r in rows] == ["41", "0", "7"]
    assert [r["group"] for r in rows] == ["yes", "no", "'=1+1"]


def test_p_values_keep_four_significant_digits():
    """A small p-value must not read 0: 0.0000123456 reads 1.235e-05, 0.33784783 reads 0.3378."""
    frame = pd.DataFrame({"p_fisher": [0.0000123456, 0.33784783673009094, None],
                          "P-waarde": [0.0000123456, 0.5, 1.0]})
    rows = _csv_cells(rounded_for_reading(frame, ["p_fisher", "P-waarde"]))
    assert [r["p_fisher"] for r in rows] == ["1.235e-05", "0.3378", ""]
    assert float(rows[0]["P-waarde"]) == pytest.approx(0.0000123456, rel=1e-3)


def test_rounding_keeps_nullable_floats_and_leaves_the_table_as_it_was():
    frame = pd.DataFrame({"share": pd.array([0.123456, None], dtype="Float64")})
    rounded = rounded_for_reading(frame)
    assert rounded["share"].tolist()[0] == 0.1235 and pd.isna(rounded["share"].tolist()[1])
    assert frame["share"].tolist()[0] == 0.123456
