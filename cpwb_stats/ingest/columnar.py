"""Columnar reading of a CSV text: pyarrow's CSV reader into dictionary-encoded columns.

Each column comes back as integer codes into its distinct values, stripped of surrounding
blanks as :meth:`str.strip` strips them, so that whatever is done per cell afterwards can be
done once per distinct value and mapped back. The cells are exactly those Python's ``csv``
module reads (the same quoting, the same line ends, one row per record, blank lines kept as
rows); a text that the reader cannot split into rows of one width gives None and is read row
by row instead (``load._read_csv_text``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

# Columns beyond this many are left to the row-by-row reader (a sheet is rarely wider).
_MAX_COLUMNS = 2000


@dataclass(frozen=True)
class Columns:
    """The file's cells, column by column: ``values[j][codes[j][i]]`` is row ``i``'s cell."""

    codes: list[np.ndarray]
    values: list[np.ndarray]  # object arrays of stripped text, one entry per distinct cell

    @property
    def rows(self) -> int:
        return len(self.codes[0]) if self.codes else 0

    def filled(self) -> np.ndarray:
        """How many cells of each row hold something other than blanks."""
        counts = np.zeros(self.rows, dtype=np.int64)
        for codes, values in zip(self.codes, self.values):
            counts += (values != "")[codes]
        return counts

    def row(self, i: int) -> list[str]:
        return [str(values[codes[i]]) for codes, values in zip(self.codes, self.values)]

    def column(self, j: int, rows: np.ndarray) -> np.ndarray:
        """The cells of column ``j`` at ``rows`` (an object array sharing the distinct texts)."""
        return self.values[j][self.codes[j][rows]]


def read_columns(text: str, delimiter: str) -> Columns | None:
    """The cells of ``text`` split at ``delimiter``, or None when only a row-by-row reading
    can tell (rows of different widths, a quote left open, a byte-order mark kept in the text)."""
    if text.startswith("\ufeff") or '"' in delimiter:
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    as_text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"',
                                             double_quote=True, escape_char=False,
                                             newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": as_text for i in range(_MAX_COLUMNS)},
                strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    del data
    if table.num_columns == 0 or table.num_columns >= _MAX_COLUMNS or table.num_rows == 0:
        return None
    table = table.unify_dictionaries()
    codes, values = [], []
    for column in table.columns:
        chunks = column.chunks
        if not chunks:
            return None
        dictionary = chunks[0].dictionary.to_pylist()
        codes.append(np.concatenate([c.indices.to_numpy(zero_copy_only=False)
                                     for c in chunks]).astype(np.int32, copy=False))
        distinct = np.empty(len(dictionary), dtype=object)
        distinct[:] = [value.strip() for value in dictionary]
        values.append(distinct)
    return Columns(codes, values)
