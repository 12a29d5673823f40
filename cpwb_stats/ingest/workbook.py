"""Workbooks (XLSX, XLS, ODS) read cell by cell into rows of Python values, within bounds.

The cells are read by calamine (a compiled reader, fast on large sheets). Before it touches a
sheet, the parts of the file are measured, so that a small file cannot make the reader build
an enormous sheet or unpack gigabytes:

- every part of a zipped workbook (XLSX, ODS) is unpacked once, counting the bytes really
  produced, and the whole is refused beyond :data:`MAX_UNPACKED_BYTES`;
- the rectangle a sheet spans (from its first to its last cell actually present) is refused
  beyond :data:`MAX_CELLS` cells, and a sheet of more rows than Excel holds
  (:data:`cpwb_stats.ingest.limits.MAX_ROWS`) is refused, counted in the sheet's XML before anything
  is built from it: a 10 MB file of two million one-cell rows stops there.

Calamine gives the saved result of a formula but not whether a cell holds one, so formula cells
are read from the sheet's XML: a formula without a saved result is reported as a problem of that
cell, beside every other problem of the file.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from cpwb_stats.ingest.limits import MAX_ROWS
from cpwb_stats.problems import ExtractRejected, error

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_CELLS = 5_000_000
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class SheetCells:
    """One sheet's cells: rows of values, the position of the first one, and what calamine
    cannot tell (formula cells without a saved result, merged ranges)."""

    name: str
    rows: list[list[object]]
    first_row: int = 1
    first_column: int = 1
    formulas_without_value: tuple[tuple[int, int], ...] = ()
    merged: tuple[tuple[int, int, int, int], ...] = ()
    error_values: tuple[tuple[int, int, str], ...] = ()


@dataclass
class Workbook:
    kind: str  # xlsx | xls | ods
    sheet_names: list[str]
    hidden: set[str] = field(default_factory=set)
    _book: object = None
    _parts: dict[str, bytes] = field(default_factory=dict)
    _sheet_parts: dict[str, str] = field(default_factory=dict)
    _ods_cells: dict[str, tuple[tuple, tuple]] = field(default_factory=dict)

    def sheet(self, name: str) -> SheetCells:
        """The cells of one sheet, refused when its extent is beyond :data:`MAX_CELLS`."""
        formulas: tuple[tuple[int, int], ...] = ()
        errors: tuple[tuple[int, int, str], ...] = ()
        part = self._parts.get(self._sheet_parts.get(name, ""))
        if self.kind == "xlsx":
            if part is None:  # a sheet that cannot be measured is never handed to the reader
                raise ExtractRejected([error("unreadable_excel", detail="sheet part")])
            _check_extent(name, *_xlsx_extent(part, name))
            formulas = tuple(_xlsx_formulas_without_value(part))
            errors = tuple(_xlsx_error_values(part))
        try:
            sheet = self._book.get_sheet_by_name(name)
        except Exception as exc:  # calamine raises its own error types for damaged sheets
            raise ExtractRejected([error("unreadable_excel", detail=type(exc).__name__)]) from exc
        _check_extent(name, sheet.height, sheet.width)
        try:
            rows = sheet.to_python(skip_empty_area=True)
        except Exception as exc:
            raise ExtractRejected([error("unreadable_excel", detail=type(exc).__name__)]) from exc
        (row0, col0) = sheet.start or (0, 0)
        merged = tuple((r0 + 1, c0 + 1, r1 + 1, c1 + 1)
                       for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or []))
        if self.kind == "ods":
            merged, formulas = self._ods_cells.get(name, ((), ()))
        return SheetCells(name, rows, row0 + 1, col0 + 1, formulas, merged, errors)


def open_workbook(content: bytes, kind: str) -> Workbook:
    """Open a workbook after measuring it; raises :class:`ExtractRejected` with a reason."""
    import python_calamine

    parts: dict[str, bytes] = {}
    ods_cells: dict[str, tuple[tuple, tuple]] = {}
    if kind in ("xlsx", "ods"):
        parts = _unpack(content)
        if kind == "ods":
            ods_cells = _scan_ods(parts.get("content.xml", b""))
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as exc:  # damaged or password-protected workbooks fail inside calamine
        raise ExtractRejected([error("unreadable_excel", detail=type(exc).__name__)]) from exc
    hidden = {m.name for m in book.sheets_metadata if str(m.visible).rsplit(".", 1)[-1] != "Visible"
              or str(m.typ).rsplit(".", 1)[-1] != "WorkSheet"}
    sheet_parts = _xlsx_sheet_parts(parts) if kind == "xlsx" else {}
    return Workbook(kind, list(book.sheet_names), hidden, book, parts, sheet_parts, ods_cells)


def _unpack(content: bytes) -> dict[str, bytes]:
    """Every part of a zip, unpacked with a running count of the bytes really produced."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ExtractRejected([error("unreadable_excel", detail=type(exc).__name__)]) from exc
    limit_mb = MAX_UNPACKED_BYTES // 1024 // 1024
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ExtractRejected([error("workbook_unpacks_too_large", limit_mb=limit_mb)])
    parts, total = {}, 0
    for info in infos:
        if info.is_dir():
            continue
        chunks = []
        keep = _kept(info.filename)
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_UNPACKED_BYTES:
                        raise ExtractRejected([error("workbook_unpacks_too_large",
                                                     limit_mb=limit_mb)])
                    if keep:
                        chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError,
                ValueError, RuntimeError) as exc:  # damaged, encrypted or oddly compressed parts
            raise ExtractRejected([error("unreadable_excel", detail=type(exc).__name__)]) from exc
        if _kept(info.filename):
            parts[info.filename] = b"".join(chunks)
    return parts


def _kept(name: str) -> bool:
    """The parts read here (sheets, the workbook and its relationships); the rest is only
    counted, never held."""
    return name == "content.xml" or name.endswith(("workbook.xml", "workbook.xml.rels")) or (
        "worksheets/" in name and name.endswith(".xml"))


def _check_extent(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise too_many_rows()
    if rows * columns > MAX_CELLS:
        raise ExtractRejected([error("sheet_too_large", value=sheet, rows=rows, columns=columns,
                                     limit=f"{MAX_CELLS:,}".replace(",", " "))])


def too_many_rows() -> ExtractRejected:
    return ExtractRejected([error("too_many_rows", limit=f"{MAX_ROWS:,}".replace(",", " "))])


# --- XLSX: which part holds which sheet, the rectangle its cells span, formula cells -----------

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?>")
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*?>")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{0,3})([0-9]{1,7})["']""")
_ANY_REF = re.compile(rb"\sr\s*=")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<((?:\w+:)?c)\b([^>]*?)(?:/>|>(.*?)</\1>)", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]+</|<(?:\w+:)?is[\s>]")


def _attributes(tag: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape((double or single).decode("utf-8", "replace"))
            for k, double, single in _ATTR.findall(tag)}


def _xlsx_sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> part path, from the workbook and its relationships."""
    book_path = next((p for p in ("xl/workbook.xml", "xl/workbook.bin") if p in parts), None)
    if book_path is None:
        return {}
    rels_path = join(dirname(book_path), "_rels", "workbook.xml.rels")
    targets = {}
    for tag in _RELATIONSHIP.findall(parts.get(rels_path, b"")):
        attributes = _attributes(tag)
        if "Id" in attributes and "Target" in attributes:
            target = attributes["Target"]
            path = target.lstrip("/") if target.startswith("/") else normpath(
                join(dirname(book_path), target))
            targets[attributes["Id"]] = path
    found = {}
    for tag in _SHEET.findall(parts[book_path]):
        attributes = _attributes(tag)
        rid = next((v for k, v in attributes.items() if k.endswith(":id")), None)
        if "name" in attributes and rid in targets:
            found[attributes["name"]] = targets[rid]
    return found


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _xlsx_extent(part: bytes, sheet: str = "") -> tuple[int, int]:
    """Rows x columns of the sheet as Excel shows it: from A1 to the last cell present in the
    part (a lone cell at XFD1048576 makes the sheet that large, whatever lies before it).

    The row elements are counted first, stopping past :data:`MAX_ROWS`; the references are
    then read one at a time, keeping only the largest, so that measuring holds nothing more.
    """
    if _more_rows_than_allowed(part):
        raise too_many_rows()
    references = last_row = width = 0
    for number, match in enumerate(_REF.finditer(part)):
        references += 1  # cells give letters and digits, rows digits only
        letters, row = match.groups()
        last_row = max(last_row, int(row))
        if letters:
            width = max(width, _column_number(letters))
        if number % 65536 == 0:
            _check_extent(sheet, last_row, width)
    if references != sum(1 for _ in _ANY_REF.finditer(part)):  # a reference written otherwise
        raise ExtractRejected([error("unreadable_excel", detail="cell reference")])
    if not references:
        return 0, 0
    if not width:  # cells without a reference are laid side by side
        width = part.count(b"<c ") + part.count(b"<c>")
    return last_row, width


def _more_rows_than_allowed(part: bytes) -> bool:
    """More row elements than :data:`MAX_ROWS`, counted without building anything."""
    if part.count(b"<row") <= MAX_ROWS and b":row" not in part:
        return False
    return any(number > MAX_ROWS for number, _ in enumerate(_ROW.finditer(part), start=1))


_ERROR_CELL = re.compile(rb'<((?:\w+:)?c)\b([^>]*?\st="e"[^>]*?)>(.*?)</\1>', re.S)
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")


def _xlsx_error_values(part: bytes) -> list[tuple[int, int, str]]:
    """(row, column, value), 1-based, of every cell holding an Excel error (``#REF!``,
    ``#DIV/0!``, ...), which the cell reader gives as a blank."""
    if b't="e"' not in part:
        return []
    found = []
    for match in _ERROR_CELL.finditer(part):
        _, attributes, inner = match.groups()
        ref = _REF.search(b" " + attributes)
        value = _ERROR_VALUE.search(inner)
        if ref and ref.group(1):
            found.append((int(ref.group(2)), _column_number(ref.group(1)),
                          html.unescape(value.group(1).decode("utf-8", "replace"))
                          if value else "#ERROR"))
        if len(found) >= 1000:
            break
    return found


def _xlsx_formulas_without_value(part: bytes) -> list[tuple[int, int]]:
    """(row, column), 1-based, of every formula cell that has no saved result."""
    if not _FORMULA.search(part):
        return []
    found = []
    for cell in _CELL.finditer(part):
        _, attributes, body = cell.groups()
        if body and _FORMULA.search(body) and not _VALUE.search(body):
            match = re.search(rb'\br="([A-Z]{1,3})([0-9]{1,7})"', attributes)
            if match:
                found.append((int(match.group(2)), _column_number(match.group(1))))
            if len(found) >= 1000:
                break
    return found


# --- ODS: repeated rows and columns are counted before calamine expands them -------------------

_ODS_TOKEN = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="([0-9]+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_SPANNED = {kind: re.compile(rb'table:number-' + kind.encode() + rb'-spanned="([0-9]+)"')
            for kind in ("rows", "columns")}


def _scan_ods(content_xml: bytes) -> dict[str, tuple[tuple, tuple]]:
    """Per table: merged ranges and formula cells without a saved result, both 1-based.

    Refuses when the cells holding something in any table span more than :data:`MAX_CELLS`,
    counting repeated rows and columns as LibreOffice writes them, before anything expands them.
    """
    found_by_table: dict[str, tuple[tuple, tuple]] = {}
    name, row, column, first = "", 0, 0, 0
    last_row = last_column = 0
    merged: list[tuple[int, int, int, int]] = []
    formulas: list[tuple[int, int]] = []
    for token in _ODS_TOKEN.finditer(content_xml):  # one at a time: stops at the first limit
        closing, tag, attributes, empty = token.groups()
        if tag == b"table" and not closing:
            _check_extent(name, last_row, last_column)
            found = re.search(rb'table:name="([^"]*)"', attributes)
            name = html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
            row, last_row, last_column, merged, formulas = 0, 0, 0, [], []
            found_by_table[name] = (merged, formulas)
        elif tag == b"table-row" and not closing:
            found = _ROWS_REPEATED.search(attributes)
            first = row + 1
            row, column = row + (int(found.group(1)) if found else 1), 0
        elif tag in (b"table-cell", b"covered-table-cell") and not closing:
            found = _COLUMNS_REPEATED.search(attributes)
            repeat = int(found.group(1)) if found else 1
            has_value = b"office:value-type" in attributes
            if not empty or has_value:
                last_row = max(last_row, row)
                last_column = max(last_column, column + repeat)
            spans = [_SPANNED[k].search(attributes) for k in ("rows", "columns")]
            rows, columns = (int(m.group(1)) if m else 1 for m in spans)
            if (rows > 1 or columns > 1) and len(merged) < 1000:
                merged.append((first, column + 1, first + rows - 1, column + columns))
            if b"table:formula=" in attributes and not has_value and len(formulas) < 1000:
                formulas.append((first, column + 1))
            column += repeat
            if last_row > MAX_ROWS or last_row * last_column > MAX_CELLS:
                _check_extent(name, last_row, last_column)
    _check_extent(name, last_row, last_column)
    return {k: (tuple(m), tuple(f)) for k, (m, f) in found_by_table.items()}
