"""Downloads as a reader opens them: headers and codes in their language, Excel's own separators.

The pages' downloads are for people who open them in Excel: every header and every code
(groups, ranks, staff categories, stages, the hidden mark, yes/no) is written in the session's
language, and a Dutch or French CSV uses ``;`` between cells and ``,`` before decimals, as
Excel does in Belgium. Numbers stay numbers; in CSV, decimals are rounded (shares and rates
to 4 decimals, p-values to 4 significant digits), as the command line's CSV is. The command
line keeps writing codes, which scripts read.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from cpwb_stats.disclosure.control import rate_band_text
from cpwb_stats.i18n import translate
from cpwb_stats.measures.funnel import ALL_STAGES, POOLED
from cpwb_stats.output.export import (
    P_VALUE_COLUMNS,
    rounded_for_reading,
    to_csv_bytes,
    to_xlsx_bytes,
)
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_stats.terms.stages import StageLadder
from cpwb_ui import formatting

# Fractions a reader sees as percentages (XLSX: numbers with a percent format).
_PERCENT = ("share", "declaration_rate", "ci_low", "ci_high", "pass_rate", "cumulative_rate",
            "leaver_rate", "resignation_rate")
_YES_NO = ("suppressed", "not_robust", "declared_group", "insufficient_data", "one_person_flips",
           "below_four_fifths")


def reader_table(table: pd.DataFrame, language: str, ladder: Ladder | None = None,
                 stages: StageLadder | None = None, dimension: str | None = None) -> pd.DataFrame:
    """``table`` with labels for codes and headers in ``language``; numbers are left as they are.

    ``dimension`` names the groups' dimension when the table has no ``dimension`` column.

    >>> from cpwb_stats.terms.ladders import BELGIAN_POLICE
    >>> codes = pd.DataFrame({"rank": ["inspector"], "suppression": ["hidden"], "count": [None]})
    >>> shown = reader_table(codes, "nl", BELGIAN_POLICE)
    >>> shown.columns.tolist(), shown.iloc[0].tolist()
    (['Graad', 'Aantal verborgen', 'Personen'], ['Inspecteur', 'verborgen', None])
    """
    shown = table.copy()
    for column in shown.columns:
        shown[column] = _values(table, column, language, ladder, stages, dimension)
    return shown.rename(columns={c: header(c, language) for c in shown.columns})


def header(column: str, language: str) -> str:
    text = translate(f"download.col.{column}", language)
    return column if text.startswith("download.col.") else text


def _values(table: pd.DataFrame, column: str, language: str, ladder: Ladder | None,
            stages: StageLadder | None, dimension: str | None) -> pd.Series:
    values = table[column]
    if column in _YES_NO:
        return values.map(lambda v: "" if pd.isna(v) else translate(
            "dictionary.yes" if bool(v) else "dictionary.no", language))
    labeller = _labeller(column, language, ladder, stages)
    if labeller is None:
        return values
    dimensions = table["dimension"] if "dimension" in table else pd.Series(
        dimension, index=table.index, dtype=object)
    return pd.Series([v if pd.isna(v) else labeller(v, d) for v, d in zip(values, dimensions)],
                     index=table.index, dtype=object)


def _labeller(column: str, language: str, ladder: Ladder | None, stages: StageLadder | None):
    """How one column's codes read in ``language`` (given the row's dimension), or None."""
    everything = translate("download.all", language)

    def group(code, dimension):
        return formatting.group_label(dimension, code, language) if dimension else code

    labellers = {
        "dimension": lambda code, _: formatting.dimension_label(code, language),
        "group": group, "reference_group": group,
        "suppression": lambda code, _: translate("download.hidden", language) if code else "",
        "declaration_rate_band": lambda code, _: rate_band_text(code, language),
        "headcount_basis": lambda code, _: translate(f"download.basis.{code}", language),
        "campaign": lambda code, _: (translate("download.pooled", language) if code == POOLED
                                     else code),
    }
    if ladder is not None:
        labellers["staff_category"] = lambda code, _: (
            everything if code == ALL else ladder.category_label(code, language))
        labellers["rank"] = lambda code, _: (
            everything if code == ALL else ladder.rank_label(code, language))
    if stages is not None:
        labellers["stage"] = lambda code, _: (
            translate("funnel.all_stages", language) if code == ALL_STAGES
            else stages.label(code, language))
    return labellers.get(column)


def csv_bytes(table: pd.DataFrame, language: str) -> bytes:
    """CSV as Excel reads it in the reader's language: ``;`` and ``,`` in Dutch and French;
    decimals rounded as :func:`rounded_for_reading` says (shares to 4 decimals)."""
    p_values = [*P_VALUE_COLUMNS, *(header(code, language) for code in P_VALUE_COLUMNS)]
    table = rounded_for_reading(table, p_values)
    if language == "en":
        return to_csv_bytes(table)
    return to_csv_bytes(table, delimiter=";", decimal=",")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], language: str | None = None) -> bytes:
    """The tables as a workbook; shares (headers in ``language``) are numbers shown as %."""
    percent = [header(code, language) for code in _PERCENT] if language else []
    return to_xlsx_bytes(sheets, percent)


def file_name(kind: str, language: str, *parts: str, dimension: str | None = None,
              group: str | None = None, suffix: str = "") -> str:
    """A download's file name in the reader's words: ``vertegenwoordiging_migratieachtergrond.csv``.

    ``parts`` (a campaign, a period) come next, then the ``dimension`` and ``group`` (codes)
    as the reader says them; letters lose their accents and
    anything but letters and digits becomes ``_``, so every system saves the file as named.
    Without ``suffix``, the name without its extension (a chart's PNG and SVG add theirs).

    >>> file_name("representation", "nl", dimension="migration_background", suffix="csv")
    'vertegenwoordiging_migratieachtergrond.csv'
    """
    words = [translate(f"download.file.{kind}", language), *parts]
    if dimension is not None:
        words.append(formatting.dimension_label(dimension, language))
        if group is not None:
            words.append(formatting.group_label(dimension, group, language))
    plain = unicodedata.normalize("NFKD", "_".join(str(w) for w in words))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    stem = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    return f"{stem}.{suffix}" if suffix else stem
