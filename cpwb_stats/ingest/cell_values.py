"""Read counts, years, decimals and dates the way HR spreadsheets write them.

Each parser takes one text cell and returns a value, or ``None`` when the cell cannot be read;
callers turn ``None`` into a validation problem. Counts accept thousands separators
(``1 084``, ``1.084``, ``1,084``), ``-`` or ``/`` for zero and padding; dates accept
``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` and the Belgian ``31/12/2024``.
"""

from __future__ import annotations

import datetime as dt
import re

_ZERO_MARKS = {"-", "/", "–", "—", "--"}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"^\d{1,3}([ .,'’]\d{3})+$")
_WHOLE_DECIMAL = re.compile(r"^(\d+)[.,]0+$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{2}:\d{2}(:\d{2})?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEAR_FIRST_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
MIN_YEAR, MAX_YEAR = 1900, 2100
# No cell of one zone's table holds a million people (the largest police forces count tens of
# thousands, a country's whole police a few hundred thousand); a larger number is a mistake,
# and it would not fit the workspace's count columns either.
MAX_COUNT = 1_000_000


def parse_count(text: str) -> int | None:
    """A non-negative whole count, or None.

    >>> [parse_count(t) for t in [" 1,976 ", "1.084", "1 084", " - ", "7", "2,5", "-3"]]
    [1976, 1084, 1084, 0, 7, None, None]
    """
    cell = text.strip()
    if cell in _ZERO_MARKS:
        return 0
    compact = _SPACES.sub(" ", cell)
    if compact.isdigit():
        return int(compact)
    if _GROUPED.match(compact):
        return int(re.sub(r"\D", "", compact))
    whole = _WHOLE_DECIMAL.match(compact)
    return int(whole.group(1)) if whole else None


def parse_decimal(text: str) -> float | None:
    """A non-negative decimal written with a point or a comma (``0,8``, ``12.5``, ``1.084,5``)."""
    cell = _SPACES.sub("", text.strip())
    if cell in _ZERO_MARKS:
        return 0.0
    if "," in cell and "." in cell:
        decimal_mark = "," if cell.rfind(",") > cell.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cell = cell.replace(thousands, "").replace(decimal_mark, ".")
    else:
        cell = cell.replace(",", ".")
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if value >= 0 and value == value else None


def parse_year(text: str) -> int | None:
    cell = text.strip()
    whole = _WHOLE_DECIMAL.match(cell)
    cell = whole.group(1) if whole else cell
    if re.fullmatch(r"\d{4}", cell) and MIN_YEAR <= int(cell) <= MAX_YEAR:
        return int(cell)
    return None


def parse_period(text: str, order: str | None = None) -> str | None:
    """An ISO period at the precision written: ``2024``, ``2024-12`` or ``2024-12-31``.

    ``order`` says how to read ``10/01/2021``: ``dmy`` (the default, 10 January), ``mdy``
    (October 1) or ``ymd`` (no such dates: only year-first ones are read).

    >>> [parse_period(t) for t in ["2024", "2024-12", "31/12/2024", "2024-02-30", "12/2024"]]
    ['2024', '2024-12', '2024-12-31', None, '2024-12']
    >>> parse_period("10/01/2021", "mdy"), parse_period("10/01/2021", "ymd")
    ('2021-10-01', None)
    """
    cell = text.strip()
    whole = _WHOLE_DECIMAL.match(cell)
    cell = whole.group(1) if whole else cell
    if match := _ISO.match(cell):
        year, month, day = match.group(1), match.group(2), match.group(3)
        return _iso(int(year), int(month) if month else None, int(day) if day else None)
    if match := _DAY_FIRST.match(cell):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if order == "ymd":
            return None
        return _iso(year, first, second) if order == "mdy" else _iso(year, second, first)
    if match := _YEAR_FIRST_SLASH.match(cell):
        return _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _MONTH_YEAR.match(cell):
        return _iso(int(match.group(2)), int(match.group(1)), None)
    return None


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_order_evidence(cells: list[str]) -> str | None:
    """What the day/month dates (``10/01/2021``) of a column say about their order.

    ``ambiguous`` when every such date has both numbers 12 or less, ``mdy`` when some second
    number is over 12 and no first one is, ``dmy`` when some first number is over 12, and
    None when the column has no such dates.

    >>> [date_order_evidence(c) for c in [["10/01/2021", "03/04/2022"], ["12/31/2021"],
    ...                                   ["31/12/2021"], ["2021-12-31"]]]
    ['ambiguous', 'mdy', 'dmy', None]
    """
    pairs = [(int(m.group(1)), int(m.group(2))) for c in cells
             if (m := _DAY_FIRST.match(c.strip()))]
    if not pairs:
        return None
    if any(first > 12 for first, _ in pairs):
        return "dmy"
    return "mdy" if any(second > 12 for _, second in pairs) else "ambiguous"
