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


DECIMALS = 4
P_VALUE_COLUMNS = ("p_value", "p_fisher", "p_cmh")


def rounded_for_reading(frame: pd.DataFrame,
                        p_value_columns: Iterable[str] = P_VALUE_COLUMNS) -> pd.DataFrame:
    """Decimal numbers as a person reads them in a spreadsheet: 4 decimals, so a share reads
    0.4469 (44.69 %, one digit finer than the pages' 44.7 %) and an average headcount 917.5;
    p-values keep 4 significant digits (0.00001234 stays 1.234e-05, never 0). Whole numbers,
    codes and text are left as they are.

    For CSV a person opens (the pages' downloads, the command line's ``--format csv``); JSON,
    workbooks (numbers formatted, not cut) and the open-data package keep every digit.

    >>> rounded_for_reading(pd.DataFrame({"share": [0.44686648501362], "p_value": [1.23456e-5],
    ...                                   "count": [41]})).iloc[0].tolist()
    [0.4469, 1.235e-05, 41.0]
    """
    p_values = set(p_value_columns)
    rounded = frame.copy()
    for column in rounded.columns:
        values = rounded[column]
        if not pd.api.types.is_float_dtype(values):
            continue
        if column in p_values:
            rounded[column] = values.map(lambda v: v if pd.isna(v) else float(f"{v:.4g}"))
        else:
            rounded[column] = values.round(DECIMALS) + 0.0  # + 0.0: never "-0.0"
    return rounded


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
