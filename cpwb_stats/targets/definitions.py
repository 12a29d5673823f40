"""Targets and benchmarks: reference shares to read representation against.

A **target** is what a zone sets itself: ``zone, dimension, group, scope, target_share,
deadline, baseline_period, note``. ``scope`` is a rank code, a staff category, ``all`` (the
whole zone) or a flow (``hires``, ``applicants``, ``promotions``). A **benchmark** is an outside
reference, such as the share of residents with a foreign background in the zone's
municipalities: ``zone, dimension, group, scope, share, source``.

Shares may be written as fractions (``0.12``) or percentages (``12%``, ``12,5 %``).
"""

from __future__ import annotations

import math

import pandas as pd
from scipy.stats import binomtest

from cpwb_stats.ingest.cell_values import parse_decimal
from cpwb_stats.ingest.load import read_extract
from cpwb_stats.problems import ExtractRejected, error
from cpwb_stats.terms.vocabulary import normalise_label

TARGET_COLUMNS = ["zone", "dimension", "group", "scope", "target_share", "deadline",
                  "baseline_period", "note"]
BENCHMARK_COLUMNS = ["zone", "dimension", "group", "scope", "share", "source"]


def read_targets(content: bytes, headers: dict[str, str] | None = None) -> pd.DataFrame:
    """A targets file; ``headers`` maps other (normalised) header words to the columns."""
    return _read_reference(content, TARGET_COLUMNS, "target_share", headers or {})


def read_benchmarks(content: bytes, headers: dict[str, str] | None = None) -> pd.DataFrame:
    return _read_reference(content, BENCHMARK_COLUMNS, "share", headers or {})


def _read_reference(content: bytes, columns: list[str], share_column: str,
                    headers: dict[str, str]) -> pd.DataFrame:
    cells = read_extract(content).cells
    cells.columns = [headers.get(normalise_label(c), normalise_label(c).replace(" ", "_"))
                     for c in cells.columns]
    missing = [c for c in columns[:5] if c not in cells]
    if missing:
        raise ExtractRejected([error("missing_column", column=c) for c in missing])
    frame = cells.reindex(columns=columns, fill_value="")
    shares = frame[share_column].map(_share)
    bad = shares.isna()
    if bad.any():
        raise ExtractRejected([error("bad_share", row=int(r), column=share_column,
                                     value=frame.at[r, share_column]) for r in frame.index[bad]])
    return frame.assign(**{share_column: shares.astype(float)}).reset_index(drop=True)


def _share(text: str) -> float | None:
    percent = "%" in text
    value = parse_decimal(text.replace("%", ""))
    if value is None:
        return None
    value = value / 100 if percent or value > 1 else value
    return value if 0 <= value <= 1 else None


def parse_percentage(text: object) -> float | None:
    """A share typed as a percentage, as a fraction: ``10``, ``10 %``, ``10,5`` and ``10.5%``.

    What a person types in the page is always read as a percentage (``10`` is 10 %, ``0,5`` is
    half a percent), in any of the three languages' ways of writing decimals. None for an empty
    cell, for text that is no number, and for a number outside 0-100.

    >>> [parse_percentage(t) for t in ["10", "10 %", "10,5", "12.5%", "100", "", "101", "ten"]]
    [0.1, 0.1, 0.105, 0.125, 1.0, None, None, None]
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    value = parse_decimal(str(text).replace("%", ""))
    if value is None or not str(text).strip() or value > 100:
        return None
    return round(value / 100, 10)


def compare_with_reference(representation: pd.DataFrame, reference_share: float) -> pd.DataFrame:
    """Distance of each visible share from a reference share T (a target or a benchmark).

    - ``gap_pp`` = (share - T) x 100, in percentage points;
    - ``index`` = share / T;
    - ``people_needed`` = ceil(T x declared) - count, at constant headcount (0 when reached);
    - ``p_value``: exact two-sided binomial test of count out of declared against T.

    Computed only where the share itself may be shown, so nothing hidden can be recovered.
    """
    visible = representation["share"].notna() & representation["declared"].notna()

    def people_needed(row: pd.Series) -> float:
        return max(0, math.ceil(reference_share * int(row["declared"]) - 1e-9) - int(row["count"]))

    def p_value(row: pd.Series) -> float:
        return binomtest(int(row["count"]), int(row["declared"]), reference_share).pvalue

    rows = representation[visible]
    return representation.assign(
        reference=reference_share,
        gap_pp=((representation["share"] - reference_share) * 100).where(visible),
        index=(representation["share"] / reference_share if reference_share else None),
        people_needed=rows.apply(people_needed, axis=1) if len(rows) else None,
        p_value=rows.apply(p_value, axis=1) if len(rows) else None,
    )


def reference_for(references: pd.DataFrame, zone: str, dimension: str, group: str,
                  share_column: str) -> pd.DataFrame:
    """The references (one per scope) that apply to a zone's group."""
    if references is None or references.empty:
        return pd.DataFrame(columns=["scope", share_column])
    match = ((references["zone"].map(normalise_label) == normalise_label(zone))
             & (references["dimension"] == dimension) & (references["group"] == group))
    return references[match]
