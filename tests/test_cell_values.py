import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_stats.ingest.cell_values import (
    date_order_evidence,
    parse_count,
    parse_decimal,
    parse_period,
    parse_year,
)


@pytest.mark.parametrize("text, expected", [
    ("7", 7), (" 1,976 ", 1976), ("1.084", 1084), ("1 084", 1084), ("1\u00a0084", 1084),
    ("12 345 678", 12345678), (" - ", 0), ("/", 0), ("–", 0), ("0", 0), ("12.0", 12),
    ("3,00", 3), ("2,5", None), ("-3", None), ("", None), ("abc", None), ("1,23", None),
    ("=SUM(A1:A3)", None), ("1.0845", None),
])
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([",", ".", " ", ""]))
def test_any_count_written_with_thousands_separators_reads_back(value, separator):
    written = f"{value:,}".replace(",", separator)
    assert parse_count(written) == value


@pytest.mark.parametrize("text, expected", [
    ("2024", "2024"), ("2024-12", "2024-12"), ("2024-12-31", "2024-12-31"),
    ("31/12/2024", "2024-12-31"), ("1/2/2024", "2024-02-01"), ("31.12.2024", "2024-12-31"),
    ("12/2024", "2024-12"), ("2024/12/31", "2024-12-31"), ("2024-12-31T00:00:00", "2024-12-31"),
    ("2024.0", "2024"), ("31/02/2024", None), ("2024-13", None), ("29/02/2023", None),
    ("29/02/2024", "2024-02-29"), ("1850", None), ("yesterday", None), ("", None),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("0,8", 0.8), ("1", 1.0), ("0.5", 0.5), ("1.084,5", 1084.5), ("1,084.5", 1084.5),
    ("-", 0.0), ("x", None), ("-1", None),
])
def test_parse_decimal(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text, expected", [("2015", 2015), ("2015.0", 2015), ("15", None),
                                            ("3015", None)])
def test_parse_year(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text, order, expected", [
    ("10/01/2021", None, "2021-01-10"), ("10/01/2021", "dmy", "2021-01-10"),
    ("10/01/2021", "mdy", "2021-10-01"), ("12/31/2021", "mdy", "2021-12-31"),
    ("12/31/2021", "dmy", None), ("31/12/2021", "mdy", None), ("10/01/2021", "ymd", None),
    ("2021/01/10", "ymd", "2021-01-10"), ("2021-01-10", "mdy", "2021-01-10"),
    ("01.10.2021", "mdy", "2021-01-10"),
])
def test_date_order(text, order, expected):
    assert parse_period(text, order) == expected


@settings(max_examples=60)
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_each_order_reads_back_the_date_it_was_written_in(day):
    assert parse_period(day.strftime("%d/%m/%Y"), "dmy") == day.isoformat()
    assert parse_period(day.strftime("%m/%d/%Y"), "mdy") == day.isoformat()
    assert parse_period(day.strftime("%Y/%m/%d"), "ymd") == day.isoformat()


@pytest.mark.parametrize("cells, evidence", [
    (["10/01/2021", "03/04/2022", "12/12/2020"], "ambiguous"),
    (["10/01/2021", "12/31/2021"], "mdy"),
    (["10/01/2021", "31/12/2021"], "dmy"),
    (["2021-12-31", "2021"], None),
])
def test_date_order_evidence(cells, evidence):
    assert date_order_evidence(cells) == evidence
