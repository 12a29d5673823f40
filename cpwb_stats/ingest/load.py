"""Load: turn the bytes of an uploaded file into a table of text cells.

I/O only. Nothing is interpreted here beyond finding the table; every cell stays text, and the
frame's index is the row number as the user sees it in Excel (header = row 1 when the header is
on the first line), so that every later message can point at the right row.

What is read: CSV and text exports (UTF-8, UTF-16 or UTF-32 with or without a byte-order mark,
Windows-1252; comma, semicolon, tab or bar between cells, whatever the extension), and XLSX,
XLS and ODS workbooks (one sheet, chosen by the user or the first that holds a table). The
table is found under its title, unit and group-header rows; notes under it are skipped with one
warning; rows that add up the rows under (or above) them are marked as subtotals.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cpwb_stats.ingest.limits import MAX_CELLS, MAX_ROWS, upload_limit_mb
from cpwb_stats.problems import ExtractRejected, Problem, error, warning
from cpwb_stats.terms.vocabulary import normalise_label

MAX_BYTES = upload_limit_mb() * 1024 * 1024
_DELIMITERS = (";", ",", "\t", "|")
_DICTIONARY_SHEETS = {"data dictionary", "gegevenswoordenboek", "dictionnaire des donnees",
                      "woordenboek", "dictionnaire", "readme", "lisez moi", "leesmij", "index",
                      "contents", "inhoud", "inhoudstafel", "sommaire", "table des matieres",
                      "cover", "cover sheet", "notes", "toelichting", "metadata"}
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8"))
_SHOWN_LINES = 5
csv.field_size_limit(10 * 1024 * 1024)


@dataclass(frozen=True)
class RawTable:
    """Text cells under the file's own headers; index = row number in the file.

    Besides the cells, what the reader found on the way, for the report: ``warnings`` (what was
    skipped or guessed), ``problems`` (cells that cannot be read, such as a formula without a
    saved result; the checks still run on everything else), ``subtotal_rows`` (row numbers of
    rows that add up the rows under or above them, such as a region among its forces),
    ``notes`` (the lines skipped under the table) and ``sheets`` (every sheet of a workbook).
    """

    cells: pd.DataFrame
    source: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()
    subtotal_rows: frozenset[int] = field(default_factory=frozenset)
    notes: tuple[str, ...] = ()


def read_extract(content: bytes, filename: str = "", sheet: str | None = None) -> RawTable:
    """Read CSV/text or workbook bytes into a :class:`RawTable`.

    ``sheet`` names the workbook sheet to read (its name or its number, 1 = first); by default
    the first sheet that holds a table. Raises :class:`ExtractRejected` with a reason a person
    can act on.
    """
    if not content or not content.strip():
        raise ExtractRejected([error("empty_file")])
    if len(content) > MAX_BYTES:
        raise ExtractRejected([error("file_too_large", limit_mb=MAX_BYTES // 1024 // 1024)])
    kind = workbook_kind(content)
    if kind is not None:
        return _read_workbook(content, kind, sheet)
    text, encoding, found = _decode(content)
    return _read_csv_text(text, encoding, found)


def workbook_kind(content: bytes) -> str | None:
    """``xlsx``, ``xls`` or ``ods`` when the bytes are a workbook, else None."""
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if content[:4] != b"PK\x03\x04":
        return None
    head = content[:4096]
    if b"mimetypeapplication/vnd.oasis.opendocument" in head or b"content.xml" in head:
        return "ods"
    return "xlsx"


def list_sheets(content: bytes) -> list[str]:
    """The visible sheets of a workbook, in order (empty for a CSV or text file)."""
    kind = workbook_kind(content) if content else None
    if kind is None:
        return []
    from cpwb_stats.ingest.workbook import open_workbook

    book = open_workbook(content, kind)
    return [name for name in book.sheet_names if name not in book.hidden]


# --- text files --------------------------------------------------------------------------------

def _decode(content: bytes) -> tuple[str, str, list[Problem]]:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            if encoding == "utf-8":
                return _decode_8bit(content[len(bom):])
            return _decode_wide(content[len(bom):], encoding)
    wide = _wide_without_bom(content[:65536])
    if wide:
        return _decode_wide(content, wide)
    if b"\x00" in content[:65536]:
        raise ExtractRejected([error("binary_file")])
    return _decode_8bit(content)


def _wide_without_bom(sample: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark: text whose every other byte is zero."""
    sample = sample[: len(sample) // 4 * 4]
    if len(sample) < 8:
        return None
    for width, name in ((4, "utf-32"), (2, "utf-16")):
        for position, order in ((width - 1, "be"), (0, "le")):
            lanes = [sample[i:i + width] for i in range(0, len(sample), width)]
            ascii_like = sum(lane[position] != 0 and lane.count(0) == width - 1 for lane in lanes)
            if ascii_like / len(lanes) > 0.7:
                return f"{name}-{order}"
    return None


def _decode_wide(content: bytes, encoding: str) -> tuple[str, str, list[Problem]]:
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ExtractRejected([error("unknown_encoding")]) from exc
    _refuse_binary(text)
    return text, encoding, []


def _decode_8bit(content: bytes) -> tuple[str, str, list[Problem]]:
    """UTF-8, else Windows-1252 with a warning naming the lines that are not UTF-8.

    A file mostly in UTF-8 with a few lines that are not (one bad byte, a line pasted from
    elsewhere) keeps its UTF-8 lines; only those lines are read as Windows-1252. Text that is
    neither (another legacy encoding such as Shift-JIS) is refused.
    """
    try:
        text = content.decode("utf-8")
        _refuse_binary(text)
        return text, "utf-8", []
    except UnicodeDecodeError:
        pass
    if content.count(b"\n") >= MAX_ROWS * 2:  # lines kept apart below: refuse far beyond first
        raise _too_large("too_many_rows", MAX_ROWS)
    lines = content.split(b"\n")
    decoded, bad, utf8_beyond_ascii = [], [], False
    for number, line in enumerate(lines, start=1):
        try:
            decoded.append(line.decode("utf-8"))
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode("cp1252"))
            except UnicodeDecodeError as exc:
                raise ExtractRejected([error("unknown_encoding")]) from exc
            bad.append(number)
    if not _plausible_western("".join(decoded[n - 1] for n in bad)):
        raise ExtractRejected([error("unknown_encoding")])
    text = "\n".join(decoded)
    _refuse_binary(text)
    shown = " | ".join(f"{n}: {decoded[n - 1].strip()[:80]}" for n in bad[:_SHOWN_LINES])
    more = len(bad) - _SHOWN_LINES
    if utf8_beyond_ascii:
        found = warning("lines_not_utf8", value=shown, count=len(bad), more=max(more, 0))
        return text, "utf-8", [found]
    found = warning("encoding_fallback", value=shown, count=len(bad), more=max(more, 0))
    return text, "cp1252", [found]


# What Excel's autocorrect puts in Western text: typographic quotes and apostrophes, dashes,
# ellipsis, euro, bullet, trade mark, degree, section and the like. Standing alone among ASCII
# letters they count as letters do; runs of them (bytes of another encoding) still do not.
_TYPOGRAPHIC = frozenset("‘’‚“”„–—…€•™°§«»·×")


def _plausible_western(text: str) -> bool:
    """Text decoded as Windows-1252 that reads like a Western language, not like bytes of
    another encoding: letters (or typographic quotes, dashes and €) beyond ASCII mostly stand
    alone among ASCII letters."""
    beyond = [i for i, ch in enumerate(text) if ord(ch) > 127]
    if not beyond:
        return True
    letters = sum(unicodedata.category(text[i]).startswith("L") or text[i] in _TYPOGRAPHIC
                  for i in beyond)
    in_runs = sum(1 for i in beyond
                  if sum(ord(ch) > 127 for ch in text[max(0, i - 2):i + 3]) >= 3)
    return letters / len(beyond) >= 0.6 and in_runs / len(beyond) <= 0.25


def _refuse_binary(text: str) -> None:
    sample = text[:65536]
    controls = sum(ch < " " and ch not in "\t\r\n" for ch in sample)
    if controls > max(3, len(sample) // 200):
        raise ExtractRejected([error("binary_file")])


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536].splitlines()[:50]

    def score(delimiter: str) -> tuple[bool, float, int]:
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in r)]
        if not widths:
            return (False, 0.0, 0)
        width, times = Counter(widths).most_common(1)[0]
        return (width > 1, times / len(widths), width)

    return max(_DELIMITERS, key=score)


def _read_csv_text(text: str, encoding: str, found: list[Problem]) -> RawTable:
    delimiter = _sniff_delimiter(text)
    table = _columnar_table(text, delimiter) if _within_bounds(text, delimiter) else None
    if table is None:
        try:
            rows = _bounded_rows(text, delimiter)
        except csv.Error as exc:
            raise ExtractRejected([error("unreadable_csv", detail=str(exc))]) from exc
        table = _find_table([(i + 1, [c.strip() for c in row]) for i, row in enumerate(rows)])
    cells, problems = _excel_errors(table.cells, table.first_column)
    return RawTable(cells, "csv", encoding=encoding, delimiter=delimiter,
                    warnings=tuple(found + table.warnings), problems=tuple(problems),
                    subtotal_rows=table.subtotals, notes=table.notes)


def _bounded_rows(text: str, delimiter: str) -> list[list[str]]:
    """The rows of a text file, read one at a time and refused past :data:`MAX_ROWS` rows or
    :data:`MAX_CELLS` cells (empty ones included), so that no more than that is ever held."""
    rows, cells = [], 0
    for row in csv.reader(_lines_within_bounds(text, delimiter), delimiter=delimiter):
        cells += len(row)
        if len(rows) >= MAX_ROWS:
            raise _too_large("too_many_rows", MAX_ROWS)
        if cells > MAX_CELLS:
            raise _too_large("too_many_cells", MAX_CELLS)
        rows.append(row)
    return rows


def _within_bounds(text: str, delimiter: str) -> bool:
    """Whether ``text`` surely holds no more than :data:`MAX_ROWS` rows and :data:`MAX_CELLS`
    cells (every line end and delimiter counted, even quoted ones): only then is it read in one
    go; otherwise :func:`_bounded_rows` reads it and stops at the bound."""
    rows = text.count("\n") + text.count("\r") + 1
    return rows <= MAX_ROWS and rows + text.count(delimiter) <= MAX_CELLS


def _lines_within_bounds(text: str, delimiter: str):
    """The lines of ``text``; one line of more cells than allowed is refused before the CSV
    reader splits it (a line of a hundred million semicolons would be one enormous row)."""
    for line in io.StringIO(text, newline=""):
        if line.count(delimiter) >= MAX_CELLS:
            raise _too_large("too_many_cells", MAX_CELLS)
        yield line


def _too_large(code: str, limit: int) -> ExtractRejected:
    return ExtractRejected([error(code, limit=f"{limit:,}".replace(",", " "))])


# --- workbooks ---------------------------------------------------------------------------------

def _read_workbook(content: bytes, kind: str, chosen: str | None) -> RawTable:
    from cpwb_stats.ingest.workbook import open_workbook

    book = open_workbook(content, kind)
    visible = [name for name in book.sheet_names if name not in book.hidden]
    if chosen is not None and str(chosen).strip():
        name = _named_sheet(book.sheet_names, str(chosen).strip())
        table, sheet = _sheet_table(book, name), name
        note = []
    else:
        table, sheet = _first_table(book, visible)
        others = [n for n in visible
                  if n != sheet and normalise_label(n) not in _DICTIONARY_SHEETS]
        others = [n for n in visible if n != sheet] if others else []
        note = [warning("sheet_chosen", value=sheet, sheets=", ".join(others))] if others else []
    problems = tuple(table.problems)
    return RawTable(table.cells, kind, sheet=sheet, sheets=tuple(visible),
                    warnings=tuple(note + table.warnings), problems=problems,
                    subtotal_rows=table.subtotals, notes=table.notes)


def _named_sheet(names: list[str], chosen: str) -> str:
    if chosen in names:
        return chosen
    by_label = {normalise_label(n): n for n in names}
    if normalise_label(chosen) in by_label:
        return by_label[normalise_label(chosen)]
    if chosen.isdigit() and 1 <= int(chosen) <= len(names):
        return names[int(chosen) - 1]
    raise ExtractRejected([error("sheet_not_found", value=chosen, sheets=", ".join(names))])


def _first_table(book, names: list[str]) -> tuple[_Table, str]:
    """The first sheet whose table holds numbers or dates, else the first with any table."""
    candidates = [n for n in names if normalise_label(n) not in _DICTIONARY_SHEETS] or names
    fallback = None
    for name in candidates:
        try:
            table = _sheet_table(book, name)
        except ExtractRejected as rejected:
            if all(p.code in ("no_header", "no_data_rows") for p in rejected.problems):
                continue  # no table on this sheet: try the next one
            raise
        if table.has_numbers:
            return table, name
        fallback = fallback or (table, name)
    if fallback is None:
        raise ExtractRejected([error("no_header")])
    return fallback


def _sheet_table(book, name: str) -> _Table:
    cells = book.sheet(name)
    rows, has_numbers = [], False
    for offset, row in enumerate(cells.rows):
        rows.append((cells.first_row + offset, [_text(v) for v in row]))
    table = _find_table(rows, first_column=cells.first_column)
    body = set(table.cells.index)
    for offset, row in enumerate(cells.rows):
        if cells.first_row + offset in body and any(
                isinstance(v, (int, float, dt.date, dt.datetime)) and not isinstance(v, bool)
                for v in row):
            has_numbers = True
            break
    merged = [_range_name(r0, c0, r1, c1) for r0, c0, r1, c1 in cells.merged
              if any(r in body for r in range(r0, min(r1, r0 + len(body)) + 1))]
    if merged:
        raise ExtractRejected([error("merged_cells", value=", ".join(merged[:5]))])
    columns = list(table.cells.columns)
    problems = [error("formula_without_value", row=r,
                      column=columns[c - table.first_column] if 0 <= c - table.first_column
                      < len(columns) else _column_letter(c - 1))
                for r, c in cells.formulas_without_value if r in body]
    frame, errors = _excel_errors(table.cells, table.first_column, cells.error_values)
    return _Table(frame, table.header_row, table.first_column, table.warnings,
                  table.subtotals, table.notes, problems + errors, has_numbers)


# Excel's error values, as a cell shows them (and as a CSV saved from it holds them).
EXCEL_ERRORS = frozenset({"#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!"})


def _excel_errors(frame: pd.DataFrame, first_column: int,
                  found: tuple[tuple[int, int, str], ...] = ()) -> tuple[pd.DataFrame, list]:
    """Cells holding an Excel error value (``#REF!``, ``#DIV/0!``, ``#N/A``, ...): one error
    each, naming the cell as Excel does (``E3``), its column and the value, and the cell is
    left blank so that no other check reads it as a value. ``found`` are the error cells a
    workbook reader gives as blanks: (row, column, value), 1-based."""
    columns = list(frame.columns)
    body = set(frame.index)
    errors: dict[tuple[int, int], str] = {}
    for r, c, value in found:
        if r in body and 0 <= c - first_column < len(columns):
            errors[(r, c - first_column)] = value.strip().upper()
    for position, column in enumerate(columns):
        distinct = frame[column].drop_duplicates()
        shown = [v for v in distinct if isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS]
        if not shown:
            continue
        marked = frame[column].isin(shown)
        for r in frame.index[marked.to_numpy(dtype=bool)]:
            errors[(int(r), position)] = frame.at[r, column].strip().upper()
    if not errors:
        return frame, []
    frame = frame.copy()
    problems = []
    for (r, position), value in sorted(errors.items()):
        frame.iat[frame.index.get_loc(r), position] = ""
        problems.append(error("excel_error_value", row=r, column=columns[position], value=value,
                              cell=f"{_column_letter(position + first_column - 1)}{r}"))
    return frame, problems


def _range_name(r0: int, c0: int, r1: int, c1: int) -> str:
    return f"{_column_letter(c0 - 1)}{r0}:{_column_letter(c1 - 1)}{r1}"


def _text(value: object) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".12g")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


# --- the table inside the rows: header, notes under it, subtotal rows --------------------------

@dataclass
class _Table:
    cells: pd.DataFrame
    header_row: int
    first_column: int = 1
    warnings: list[Problem] = field(default_factory=list)
    subtotals: frozenset[int] = field(default_factory=frozenset)
    notes: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    has_numbers: bool = False


def _filled(row: list[str]) -> int:
    return sum(bool(c) for c in row)


def _find_table(numbered: list[tuple[int, list[str]]], first_column: int = 1) -> _Table:
    """Find the header under any title and unit rows, then the body, notes and subtotals.

    The header is the first row filled at least half as wide as the table's usual row; rows
    above it are titles. When the header repeats a label (``number``, ``%`` under two dates),
    the group row above it is joined to it (``As at: 2018-09-30``).
    """
    widths = Counter(_filled(row) for _, row in numbered if _filled(row) >= 2)
    if not widths:
        raise ExtractRejected([error("no_header")])
    usual = widths.most_common(1)[0][0]
    header_at = next(i for i, (_, row) in enumerate(numbered)
                     if _filled(row) >= max(2, math.ceil(usual / 2)))
    header_cells = _with_group_row(numbered[:header_at], numbered[header_at][1])
    header = _unique_headers(header_cells, first_column)
    following = numbered[header_at + 1:]
    body, notes = _split_notes(following, len(header))
    if not body:
        raise ExtractRejected([error("no_data_rows")])
    problems = [error("extra_cells", row=n, value=" | ".join(c for c in row[len(header):] if c))
                for n, row in body if any(row[len(header):])]
    if problems:
        raise ExtractRejected(problems[:50])
    data = [row[: len(header)] + [""] * (len(header) - len(row)) for _, row in body]
    frame = pd.DataFrame(data, columns=header, index=[n for n, _ in body], dtype=object)
    return _table(frame, numbered[header_at][0], first_column, notes)


def _table(frame: pd.DataFrame, header_row: int, first_column: int,
           notes: list[tuple[int, list[str]]]) -> _Table:
    frame = frame.rename_axis("row")
    found = []
    if notes:
        shown = " | ".join(f"{n}: {' '.join(c for c in row if c)[:80]}"
                           for n, row in notes[:_SHOWN_LINES])
        found.append(warning("notes_skipped", value=shown, count=len(notes),
                             more=max(len(notes) - _SHOWN_LINES, 0)))
    note_texts = tuple(" ".join(c for c in row if c) for _, row in notes)
    return _Table(frame, header_row, first_column, found, _subtotal_rows(frame), note_texts)


def _columnar_table(text: str, delimiter: str) -> _Table | None:
    """What :func:`_find_table` finds in the rows of ``text``, found column by column.

    The same header, body, notes and row numbers, with no Python per cell: the reader gives
    each column's distinct cells once, and rows are looked at one by one only around the
    header and at the foot of the table. None when the text is for the row-by-row reading
    (rows of different widths, cells beyond the header, the header far down, no header).
    """
    from cpwb_stats.ingest.columnar import read_columns

    columns = read_columns(text, delimiter)
    if columns is None:
        return None
    filled = columns.filled()
    usable = filled[filled >= 2]
    if not len(usable):
        return None
    widths, first_seen, times = np.unique(usable, return_index=True, return_counts=True)
    usual = int(widths[times == times.max()][np.argmin(first_seen[times == times.max()])])
    header_at = int(np.argmax(filled >= max(2, math.ceil(usual / 2))))
    if header_at > 1000:
        return None
    above = [(i + 1, columns.row(i)) for i in range(header_at)]
    header = _unique_headers(_with_group_row(above, columns.row(header_at)))
    following = np.arange(header_at + 1, columns.rows)
    if len(header) < len(columns.codes) and any(
            (columns.values[j] != "")[columns.codes[j][following]].any()
            for j in range(len(header), len(columns.codes))):
        return None  # cells right of the header: the row-by-row reading names them
    body, notes = _split_notes_columns(columns, following, filled, len(header))
    if not len(body):
        return None
    frame = pd.DataFrame({name: columns.column(j, body) for j, name in enumerate(header)},
                         index=pd.Index(body + 1, dtype="int64"), columns=header,
                         dtype=object)
    return _table(frame, header_at + 1, 1, notes)


def _split_notes_columns(columns, following: np.ndarray, filled: np.ndarray, width: int
                         ) -> tuple[np.ndarray, list[tuple[int, list[str]]]]:
    """:func:`_split_notes` over row positions: the body rows and the note lines under them."""
    kept = following[filled[following] > 0]
    if not len(kept):
        return kept, []
    breaks = np.flatnonzero(np.diff(kept) > 1) + 1
    blocks = np.split(kept, breaks)
    notes: list[tuple[int, list[str]]] = []
    while len(blocks) > 1 and all(_note_like(columns.row(i), True, width) for i in blocks[-1]):
        notes = [(int(i) + 1, columns.row(i)) for i in blocks.pop()] + notes
    last = blocks[-1]
    while len(last) > 1 and _note_like(columns.row(last[-1]), False):
        notes.insert(0, (int(last[-1]) + 1, columns.row(last[-1])))
        last = last[:-1]
    blocks[-1] = last
    return np.concatenate(blocks), notes


def _with_group_row(above: list[tuple[int, list[str]]], header: list[str]) -> list[str]:
    header = [" ".join(c.split()) for c in header]
    labels = [normalise_label(c) for c in header if c]
    if len(labels) == len(set(labels)):
        return header
    group_row = next((row for _, row in reversed(above) if _filled(row)), None)
    if group_row is None or _filled(group_row) < 2:
        return header
    combined, group = [], ""
    for position, cell in enumerate(header):
        above_cell = group_row[position] if position < len(group_row) else ""
        group = " ".join(above_cell.split()) or group
        combined.append(f"{group} {cell}".strip() if cell and group else cell)
    return combined


_NOTE_LABEL = re.compile(
    r"^(sources?|bron(nen)?|notes?|nota|noot|noten|remarques?|opmerking(en)?|footnotes?|"
    r"voetno(o)?t(en)?|legend|legende|légende|explanatory notes?|n\.? ?b\.?|"
    r"opmerkingen|avertissement|disclaimer)\s*[:.\-–]", re.I)
_NOTE_WORD = re.compile(r"^(sources?|bron(nen)?|notes?|nota|noten|remarques?|opmerkingen|"
                        r"footnotes?|voetnoten|legend|légende|legende)\s*:?$", re.I)
_NOTE_MARK = re.compile(r"^('\.\.'|\.\.|\*+|†|‡|\(?\d{1,2}[.)]|\[\d{1,2}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|"
                        r"[a-z]\))\s*\S", re.I)


_TEXT_LABEL = re.compile(r"^[^\W\d_][\w .'’/-]{0,40}\s*:\s*\S", re.UNICODE)


def _note_like(row: list[str], after_blank: bool, width: int = 0) -> bool:
    """A line of notes: one or two cells, starting as a note, source or footnote does.

    Right under the table only clearly labelled lines (``Source: ...``, ``'..' Denotes ...``)
    count. After a blank row, short lines of text count too: one or two cells (an unquoted
    comma splits a sentence in two), no cell a number, and either three words or more
    (``Prepared by HR``, ``Last updated 2024``) or a label and a colon (``Cijfers: voorlopig``).
    A labelled line cut by commas into more cells (``Footnote: a, b, c``) counts only when it
    is shorter than the header (``width``), as a line of text is and a row of the table is not.
    """
    filled = [c for c in row if c]
    if not filled:
        return False
    first = filled[0]
    if len(filled) > 2:
        return (after_blank and 0 < len(row) < width and bool(_NOTE_LABEL.match(first))
                and not any(_number(c) is not None for c in filled))
    if _NOTE_LABEL.match(first) or _NOTE_MARK.match(" ".join(filled)):
        return True
    if not after_blank or any(_number(c) is not None for c in filled):
        return False
    if len(filled) == 1 and _NOTE_WORD.match(first):
        return True
    text = " ".join(filled)
    return len(text.split()) >= 3 or bool(_TEXT_LABEL.match(first))


def _split_notes(rows: list[tuple[int, list[str]]], width: int = 0) -> tuple[list, list]:
    """The data rows and the trailing note lines (after a blank row, or clearly labelled)."""
    blocks: list[list[tuple[int, list[str]]]] = [[]]
    for n, row in rows:
        if any(row):
            blocks[-1].append((n, row))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    notes: list[tuple[int, list[str]]] = []
    while len(blocks) > 1 and all(_note_like(row, True, width) for _, row in blocks[-1]):
        notes = blocks.pop() + notes
    if blocks:
        last = blocks[-1]
        while len(last) > 1 and _note_like(last[-1][1], False):
            notes.insert(0, last.pop())
    return [r for b in blocks for r in b], notes


_PLAIN = re.compile(r"-?\d+(\.\d+)?")
_THOUSANDS_COMMA = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_THOUSANDS_DOT = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def _number(text: str) -> float | None:
    text = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if _PLAIN.fullmatch(text):
        return float(text)
    if _THOUSANDS_COMMA.fullmatch(text):
        return float(text.replace(",", ""))
    if _THOUSANDS_DOT.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", "."))
    return None


_NOT_AVAILABLE = {"..", "...", ":", "x", "-", "–", "n/a", "na", "*", "z", "c", "[x]", "[c]",
                  "[z]", "nb", "nd"}


def _subtotal_rows(frame: pd.DataFrame, reach: int = 2000,
                   largest: int = 20000) -> frozenset[int]:
    """Rows whose numbers are the sums of the rows right under them (a region above its
    forces) or, for the rest, of the detail rows above them (a total below its rows).

    Only tables made mostly of numbers are looked at (a table of people is not), only columns
    of numbers count (years left out), and a row counts as a subtotal when at least two of its
    numbers other than zero, and a third of those, are the sums over the same two or more rows,
    so that a coincidence in one column never marks a row. A percentage or a change column does
    not add up and is outvoted; a cell that gives no number ("..") is left out.
    """
    if len(frame) < 3 or len(frame) > largest:
        return frozenset()
    numeric = []
    for column in frame.columns:
        sample = [v for v in frame[column].head(200) if v and v.lower() not in _NOT_AVAILABLE]
        if not sample or sum(_number(v) is not None for v in sample) < 0.9 * len(sample):
            continue
        values = frame[column].map(_number)
        filled = frame[column].map(lambda v: bool(v) and v.lower() not in _NOT_AVAILABLE)
        if filled.sum() and values[filled].notna().mean() >= 0.9:
            known = values.dropna()
            if not (known.between(1900, 2100).all() and (known % 1 == 0).all()):
                numeric.append(values.to_numpy(dtype=float))
    if len(numeric) < 2 or len(numeric) * 2 < len(frame.columns):
        return frozenset()
    given = np.column_stack(numeric)
    values = np.nan_to_num(given)
    width = values.shape[1]
    marked = np.zeros(len(values), dtype=bool)

    def first_match(target, sums) -> bool:
        given = ~np.isnan(target) & (target != 0)  # a zero matches too easily to count
        hits = np.isclose(sums[:, given], target[given], rtol=1e-6, atol=0.01).sum(axis=1)
        return bool(((hits >= 2) & (hits * 3 >= given.sum())).any())

    running = np.vstack([np.zeros(width), np.cumsum(values, axis=0)])
    for i in range(len(values)):
        # rows i+1 .. j for j >= i+2: running[j+1] - running[i+1]
        window = running[i + 3: i + 2 + reach] - running[i + 1]
        if len(window) and first_match(given[i], window):
            marked[i] = True
    # totals below their rows: sums over the rows not yet marked, so that a total under
    # regions placed below their forces does not count the forces twice
    detail = np.where(marked[:, None], 0.0, values)
    running = np.vstack([np.zeros(width), np.cumsum(detail, axis=0)])
    for i in range(len(values)):
        if marked[i]:
            continue
        # unmarked rows j .. i-1 for j <= i-2: running[i] - running[j]
        low = max(0, i - reach)
        window = running[i] - running[low: max(low, i - 1)]
        members = np.cumsum(~marked[low:i][::-1])[::-1][: len(window)]
        if len(window) and first_match(given[i], window[members >= 2]):
            marked[i] = True
            detail[i] = 0.0
            running = np.vstack([np.zeros(width), np.cumsum(detail, axis=0)])
    return frozenset(int(frame.index[i]) for i in np.flatnonzero(marked))


def _unique_headers(cells: list[str], first_column: int = 1) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    seen: Counter[str] = Counter()
    problems, headers = [], []
    for position, cell in enumerate(cells):
        name = cell or f"({_column_letter(position + first_column - 1)})"
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
