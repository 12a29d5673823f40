"""Load: turn the bytes of an uploaded CSV or XLSX file into a table of text cells.

I/O only. Nothing is interpreted here beyond finding the header; every cell stays text, and the
frame's index is the row number as the user sees it in Excel (header = row 1 when the header is
on the first line), so that every later message can point at the right row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from cpwb_stats.limits import upload_limit_mb
from cpwb_stats.problems import ExtractRejected, error
from cpwb_stats.vocabulary import normalise_label

MAX_BYTES = upload_limit_mb() * 1024 * 1024
_DELIMITERS = (";", ",", "\t", "|")
_DICTIONARY_SHEETS = {"data dictionary", "gegevenswoordenboek", "dictionnaire des donnees",
                      "woordenboek", "dictionnaire", "readme", "lisez moi", "leesmij"}
csv.field_size_limit(10 * 1024 * 1024)


@dataclass(frozen=True)
class RawTable:
    """Text cells under the file's own headers; index = row number in the file."""

    cells: pd.DataFrame
    source: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def read_extract(content: bytes, filename: str = "") -> RawTable:
    """Read CSV (any common delimiter and encoding) or XLSX bytes into a :class:`RawTable`.

    Raises :class:`ExtractRejected` with a reason a person can act on.
    """
    if not content or not content.strip():
        raise ExtractRejected([error("empty_file")])
    if len(content) > MAX_BYTES:
        raise ExtractRejected([error("file_too_large", limit_mb=MAX_BYTES // 1024 // 1024)])
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ExtractRejected([error("old_excel_format")])
    text, encoding = _decode(content)
    return _read_csv_text(text, encoding)


def _decode(content: bytes) -> tuple[str, str]:
    if b"\x00" in content[:65536]:
        raise ExtractRejected([error("binary_file")])
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text, encoding = content.decode("latin-1"), "latin-1"
    controls = sum(ch < " " and ch not in "\t\r\n" for ch in text[:65536])
    if controls > max(3, len(text[:65536]) // 200):
        raise ExtractRejected([error("binary_file")])
    return text, "utf-8" if encoding == "utf-8-sig" else encoding


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536].splitlines()[:50]

    def score(delimiter: str) -> tuple[bool, float, int]:
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in r)]
        if not widths:
            return (False, 0.0, 0)
        width, times = Counter(widths).most_common(1)[0]
        return (width > 1, times / len(widths), width)

    return max(_DELIMITERS, key=score)


def _read_csv_text(text: str, encoding: str) -> RawTable:
    delimiter = _sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ExtractRejected([error("unreadable_csv", detail=str(exc))]) from exc
    cells = _table_from_rows(rows)
    return RawTable(cells, "csv", encoding=encoding, delimiter=delimiter)


def _table_from_rows(rows: list[list[str]]) -> pd.DataFrame:
    """Find the header (first row with two or more filled cells) and build the cell frame."""
    numbered = [(i + 1, [str(c).strip() for c in row]) for i, row in enumerate(rows)]
    header_at = next((i for i, (_, row) in enumerate(numbered) if sum(bool(c) for c in row) >= 2),
                     None)
    if header_at is None:
        raise ExtractRejected([error("no_header")])
    header = _unique_headers(numbered[header_at][1])
    body = [(n, row) for n, row in numbered[header_at + 1:] if any(row)]
    if not body:
        raise ExtractRejected([error("no_data_rows")])
    problems = [error("extra_cells", row=n, value=" | ".join(c for c in row[len(header):] if c))
                for n, row in body if any(row[len(header):])]
    if problems:
        raise ExtractRejected(problems[:50])
    data = [row[: len(header)] + [""] * (len(header) - len(row)) for _, row in body]
    frame = pd.DataFrame(data, columns=header, index=[n for n, _ in body], dtype=object)
    return frame.rename_axis("row")


def _unique_headers(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    seen: Counter[str] = Counter()
    problems, headers = [], []
    for position, cell in enumerate(cells):
        name = cell or f"({_column_letter(position)})"
        key = normalise_label(name)
        seen[key] += 1
        if seen[key] > 1 and cell:
            problems.append(error("duplicate_header", row=None, column=name, value=name))
        headers.append(name if seen[key] == 1 else f"{name} ({seen[key]})")
    if problems:
        raise ExtractRejected(problems)
    return headers


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_xlsx(content: bytes) -> RawTable:
    import openpyxl  # imported here: CSV-only runs need not pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # a damaged workbook can fail in any of openpyxl's layers
        raise ExtractRejected([error("unreadable_excel", detail=type(exc).__name__)]) from exc
    sheet = _data_sheet(book)
    if sheet is None:
        raise ExtractRejected([error("no_header")])
    cached = None
    if _has_formulas(sheet):
        cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)[sheet.title]
    rows = [[_cell_text(sheet, cached, r, c) for c in range(1, sheet.max_column + 1)]
            for r in range(1, sheet.max_row + 1)]
    frame = _table_from_rows(rows)
    _refuse_merged_cells(sheet, header_row=int(frame.index.min()) - 1)
    return RawTable(frame, "xlsx", sheet=sheet.title)


def _data_sheet(book):
    for sheet in book.worksheets:
        if normalise_label(sheet.title) in _DICTIONARY_SHEETS or sheet.sheet_state != "visible":
            continue
        if sheet.max_row >= 1 and any(c.value is not None for row in sheet.iter_rows(max_row=50)
                                      for c in row):
            return sheet
    return None


def _has_formulas(sheet) -> bool:
    return any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def _cell_text(sheet, cached, row: int, column: int) -> str:
    cell = sheet.cell(row=row, column=column)
    value = cell.value
    if cell.data_type == "f":
        value = cached.cell(row=row, column=column).value if cached is not None else None
        if value is None:
            raise ExtractRejected([error("formula_without_value", row=row,
                                         column=_column_letter(column - 1))])
    return _text(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _refuse_merged_cells(sheet, header_row: int) -> None:
    merged = [str(r) for r in sheet.merged_cells.ranges if r.max_row > header_row]
    if merged:
        raise ExtractRejected([error("merged_cells", value=", ".join(merged[:5]))])
