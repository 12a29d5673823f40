"""The columnar CSV reading finds what Python's ``csv`` module, read row by row, finds.

The reference is the row-by-row reading (``csv.reader`` over the decoded text, every cell
stripped, then ``load._find_table``): same header, same cells, same row numbers, same notes,
same warnings. Checked on every real and sample CSV file, on the hostile shapes a person's
export takes (titles, group rows, notes, quotes, blank lines, line ends) and on generated text.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpwb_stats.ingest import load
from cpwb_stats.ingest.columnar import read_columns
from cpwb_stats.problems import ExtractRejected
from tests.conftest import SAMPLE_DATA, SHARED_DATA

REAL_FILES = sorted(SHARED_DATA.glob("*.csv")) + sorted(SAMPLE_DATA.glob("*.csv"))


def _row_by_row(text: str, delimiter: str):
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return load._find_table([(i + 1, [c.strip() for c in row]) for i, row in enumerate(rows)])


def _same(text: str, delimiter: str) -> None:
    try:
        expected = _row_by_row(text, delimiter)
    except (ExtractRejected, csv.Error):
        expected = None
    try:
        found = load._columnar_table(text, delimiter)
    except ExtractRejected:
        # the same refusal as the row-by-row reading (a repeated header)
        assert expected is None
        return
    if found is None:
        return  # left to the row-by-row reading
    assert expected is not None
    pd.testing.assert_frame_equal(found.cells, expected.cells)
    assert found.header_row == expected.header_row
    assert found.notes == expected.notes
    assert [w.as_dict("en") for w in found.warnings] == [w.as_dict("en")
                                                         for w in expected.warnings]
    assert found.subtotals == expected.subtotals


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_every_real_and_sample_csv_reads_the_same_column_by_column(path):
    text, _, _ = load._decode(path.read_bytes())
    delimiter = load._sniff_delimiter(text)
    assert load._columnar_table(text, delimiter) is not None, "a plain file takes the fast path"
    _same(text, delimiter)


@pytest.mark.parametrize("text", [
    'Police staff 2024,,\n,,\nzone,rank,gender\n"Gent, stad",inspector,woman\nGent,agent,man\n',
    "zone;rank;gender\r\nGent;inspector;woman\r\n\r\nSource: HR export;;\r\n",
    "zone,rank,gender\nGent,inspector,woman\nGent,agent,man\n\nPrepared by the HR unit,,\n",
    'zone,rank,gender\n"Gent\nnoord",inspector,woman\nGent,"a""b",man\n',
    "zone,rank,gender\rGent,inspector,woman\rGent,agent,man\r",
    "zone,rank,gender\n  Gent  ,\tinspector ,woman\nGent,agent,\u00a0man\u00a0\n",
    ",2018,,2019,\nforce,number,%,number,%\nKent,1,2,3,4\nEssex,5,6,7,8\n",
    "zone,rank,gender\nGent,inspector,woman\nGent,agent,man\n* provisional figures,,\n",
    "zone,rank,gender\nGent,inspector,woman\n,,\nGent,agent,man\n",
], ids=["title-and-quoted-comma", "crlf-blank-and-source", "note-after-blank", "quotes",
        "cr-only", "blanks-around-cells", "group-row", "footnote-mark", "blank-in-body"])
def test_shapes_of_real_exports_read_the_same(text):
    delimiter = load._sniff_delimiter(text)
    assert load._columnar_table(text, delimiter) is not None
    _same(text, delimiter)


def test_a_row_of_another_width_is_left_to_the_row_by_row_reading():
    text = "Title of the table\nzone,rank,gender\nGent,inspector,woman\n"
    assert read_columns(text, ",") is None
    raw = load.read_extract(text.encode(), "x.csv")
    assert list(raw.cells.columns) == ["zone", "rank", "gender"]
    assert raw.cells.index.tolist() == [3]


def test_cells_right_of_the_header_are_still_named_row_by_row():
    text = "zone,rank,,\nGent,inspector,,\nGent,agent,,extra\n"
    with pytest.raises(ExtractRejected) as refused:
        load.read_extract(text.encode(), "x.csv")
    assert [(p.code, p.row) for p in refused.value.problems] == [("extra_cells", 3)]


_CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\t1-:.*') + ["\u00a0", "é"]),
                max_size=6)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL, min_size=1, max_size=5), min_size=1, max_size=8),
       st.sampled_from([",", ";"]), st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_text_reads_the_same(rows, delimiter, line_end):
    """Cells written by Python's csv writer (quoting what needs it) or joined raw."""
    written = io.StringIO()
    csv.writer(written, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    _same(written.getvalue(), delimiter)
    _same(line_end.join(delimiter.join(row) for row in rows), delimiter)
