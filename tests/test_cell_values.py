import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpwb_stats.cell_values import parse_count, parse_decimal, parse_period, parse_year


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
