"""Tables as CSV or XLSX bytes, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` or a control character would be run as a
formula by Excel or LibreOffice (formula injection). Such text cells are prefixed with an
apostrophe, which spreadsheets show as plain text. Numbers are left alone.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pandas as pd

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """``'=1+1`` for ``=1+1``; anything that is not risky text is returned as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    text_columns = [c for c in frame.columns if frame[c].dtype in (object, "string", "str")]
    safe = frame.copy()
    for column in text_columns:
        safe[column] = safe[column].map(defuse)
    safe.columns = [defuse(str(c)) for c in frame.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame, delimiter: str = ",", decimal: str = ".") -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens accents correctly.

    ``decimal`` is ``,`` for a reader whose Excel writes 10,5 (it then needs ``;`` between cells).
    """
    return spreadsheet_safe(frame).to_csv(index=False, sep=delimiter,
                                          decimal=decimal).encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], percent_columns: Iterable[str] = ()) -> bytes:
    """An Excel workbook, one sheet per table; ``percent_columns`` (headers) hold fractions
    stored as numbers and shown as percentages (0.5531 reads 55.3 %, and still sums)."""
    percent = set(percent_columns)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            spreadsheet_safe(frame).to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for number, column in enumerate(frame.columns, start=1):
                if column not in percent:
                    continue
                for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                    cell.number_format = "0.0%"
    return buffer.getvalue()
