"""Exact ages are read into age bands: a single year of age, with the rest of a row, can point
at one colleague, so it is never kept.
"""

from __future__ import annotations

import re

import pandas as pd

from cpwb_stats.contract.checks import Source
from cpwb_stats.problems import Problem, error, warning

BANDS = ((0, 24, "<25"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"),
         (55, 200, "55+"))
_EXACT_AGE = re.compile(r"^\d{1,3}([.,]\d+)?$")
WORKING_AGES = (16, 100)
"""Youngest and oldest age a member of staff can have; an exact age outside is an error."""


def age_band(age: int) -> str:
    """The band of an age in whole years.

    >>> [age_band(a) for a in (19, 25, 34, 44, 54, 55, 67)]
    ['<25', '25-34', '25-34', '35-44', '45-54', '55+', '55+']
    """
    return next(label for low, high, label in BANDS if low <= age <= high)


def age_bands(source: Source) -> tuple[Source, list[Problem]]:
    """The ``age_band`` column with every exact age (``37``, ``37.5``) replaced by its band
    (whole years: ``37.5`` is 37). An exact age outside :data:`WORKING_AGES` (``5``, ``201``)
    is an error on its cell and is left as it was."""
    if "age_band" not in source.frame:
        return source, []
    text = source.frame["age_band"]
    exact = text.str.strip().str.match(_EXACT_AGE)
    if not exact.any():
        return source, []
    column = source.origin["age_band"]
    ages = text[exact].str.strip().str.replace(",", ".").astype(float)
    low, high = WORKING_AGES
    possible = ages.between(low, high)
    problems = [error("impossible_age", row=int(r), column=column, value=text[r], low=low,
                      high=high) for r in ages.index[~possible]]
    banded = ages[possible].astype(int).map(age_band)
    frame = source.frame.assign(age_band=text.where(~text.index.isin(banded.index),
                                                    banded.reindex(text.index)))
    if len(banded):
        problems.append(warning("exact_ages_banded", column=column, value=str(len(banded)),
                                bands=", ".join(b[2] for b in BANDS)))
    return Source(frame, source.origin), problems


def is_exact_age_column(text: pd.Series) -> bool:
    filled = text[text.str.strip() != ""]
    return bool(len(filled)) and bool(filled.str.strip().str.match(_EXACT_AGE).all())
