import csv
import io

import openpyxl
import pandas as pd
import pytest

from cpwb_stats.output.export import defuse, to_csv_bytes, to_xlsx_bytes


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
