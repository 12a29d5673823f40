"""Exact ages are read into age bands: a single year of age, with the rest of a row, can point
at one colleague, so it is never kept.
"""

from __future__ import annotations

import re

import pandas as pd

from cpwb_stats.checks import Source
from cpwb_stats.problems import Problem, warning

BANDS = ((0, 24, "<25"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"),
         (55, 200, "55+"))
_EXACT_AGE = re.compile(r"^\d{1,3}([.,]0+)?$")


def age_band(age: int) -> str:
    """The band of an age in whole years.

    >>> [age_band(a) for a in (19, 25, 34, 44, 54, 55, 67)]
    ['<25', '25-34', '25-34', '35-44', '45-54', '55+', '55+']
    """
    return next(label for low, high, label in BANDS if low <= age <= high)


def age_bands(source: Source) -> tuple[Source, list[Problem]]:
    """The ``age_band`` column with every exact age (``37``) replaced by its band."""
    if "age_band" not in source.frame:
        return source, []
    text = source.frame["age_band"]
    exact = text.str.strip().str.match(_EXACT_AGE)
    if not exact.any():
        return source, []
    ages = text[exact].str.strip().str.replace(",", ".").astype(float).astype(int)
    frame = source.frame.assign(age_band=text.where(~exact, ages.map(age_band)))
    return Source(frame, source.origin), [warning("exact_ages_banded", column=source.origin[
        "age_band"], value=str(int(exact.sum())), bands=", ".join(b[2] for b in BANDS))]


def is_exact_age_column(text: pd.Series) -> bool:
    filled = text[text.str.strip() != ""]
    return bool(len(filled)) and bool(filled.str.strip().str.match(_EXACT_AGE).all())
