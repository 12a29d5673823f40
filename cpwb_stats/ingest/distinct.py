"""Per-cell functions applied once per distinct value and mapped back.

A column of a million cells holds a few hundred distinct texts (zones, ranks, groups, years):
reading, normalising or testing each distinct text once and mapping the answers back gives the
same column as calling the function on every cell, at the cost of the distinct values only.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def per_value(series: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """``series.map(function)`` (same values, same type), ``function`` called once per
    distinct value."""
    if series.empty:
        return series.map(function)
    codes, distinct = pd.factorize(series, use_na_sentinel=False)
    answers = pd.Series([function(value) for value in distinct])
    return pd.Series(answers.take(codes).to_numpy(), index=series.index, name=series.name,
                     dtype=answers.dtype)


def per_row(frame: pd.DataFrame, function: Callable[[list], object]) -> pd.Series:
    """``function`` of each row's cells (as a list), called once per distinct row."""
    if frame.empty or not len(frame.columns):
        return pd.Series([function(list(r)) for r in frame.itertuples(index=False)],
                         index=frame.index)
    codes, distinct = pd.MultiIndex.from_frame(frame).factorize()
    answers = pd.Series([function(list(row)) for row in distinct])
    result = answers.iloc[codes]
    result.index = frame.index
    return result
