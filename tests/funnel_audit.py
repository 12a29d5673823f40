"""The attacker of the recruitment funnel: every dimension's published funnel of a campaign, read
together.

Each dimension's table counts the same candidates, so at every stage the groups of one dimension
add up to the same number as the groups of another (the candidates who entered the stage): the
reader does not see that number, but knows it is one number for every dimension. A group a
dimension does not publish (``undisclosed``, ``unknown``) is an unknown part of it. Within a
group, fewer people enter a stage than the stage before. A published row gives its ``entered``
and ``passed`` counts; its cumulative rate is ``passed / applied``; its shortfall gives the
stage's overall rate ``(sum passed) / (sum entered)`` over the declared groups. A hidden row says
nothing else (every hidden row looks alike: no "<k" mark).

Written from the published frames and the stage counts only (to report what leaked), not from
``cpwb_stats.disclosure.flows``.
"""

from __future__ import annotations

import math

import pandas as pd

from tests.disclosure_audit import Attack

ALL_STAGES = "all"
POOLED = "pooled"


def _pairs(measured: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    pairs = {s: (s, n) for s, n in zip(measured[:-1], measured[1:])}
    return pairs | {ALL_STAGES: (measured[0], measured[-1])}


def funnel_attack(published: list[pd.DataFrame], counts: pd.DataFrame,
                  measured: tuple[str, ...], attack: Attack | None = None) -> Attack:
    """Everything a reader learns from funnel tables published together (any dimensions,
    campaigns and zones). ``counts``: the validated stage counts (campaign, zone, stage,
    dimension, group, entered), the truth behind them."""
    attack = attack or Attack()
    truth = counts.pivot_table(index=["campaign", "zone", "dimension", "group"],
                               columns="stage", values="entered", aggfunc="sum", fill_value=0)
    truth = truth.reindex(columns=list(measured), fill_value=0)
    totals: dict[tuple, int] = {}
    for (campaign, zone, dimension, group), row in truth.iterrows():
        for stage in measured:
            attack.cell(("n", campaign, zone, dimension, group, stage), row[stage], shown=False)
        for stage, following in zip(measured[:-1], measured[1:]):
            attack.at_most({("n", campaign, zone, dimension, group, following): 1.0,
                            ("n", campaign, zone, dimension, group, stage): -1.0}, 0.0)
    for (campaign, zone, dimension), part in truth.groupby(level=[0, 1, 2]):
        for stage in measured:
            value = int(part[stage].sum())
            total = ("total", campaign, zone, stage)
            if totals.setdefault(total, value) != value:  # a dimension counting fewer people
                total = ("total", campaign, zone, stage, dimension)
            attack.cell(total, value, shown=False)
            attack.sum_of([("n", campaign, zone, dimension, g, stage)
                           for g in part.index.get_level_values(3)], total)
    pairs = _pairs(measured)
    frame = pd.concat(published, ignore_index=True)
    frame = frame[frame["campaign"] != POOLED]
    for row in frame.to_dict("records"):
        _add_row(attack, row, pairs, measured)
    _add_shortfalls(attack, frame, pairs)
    return attack


def _shown(value) -> bool:
    return value is not None and not pd.isna(value)


def _add_row(attack: Attack, row: dict, pairs: dict, measured: tuple[str, ...]) -> None:
    place = (row["campaign"], row["zone"], row["dimension"], row["group"])
    first, following = pairs[row["stage"]]
    entered, passed = ("n", *place, first), ("n", *place, following)
    for key, column in ((entered, "entered"), (passed, "passed")):
        if _shown(row.get(column)):
            assert int(row[column]) == attack.true[key], (key, row[column])
            attack.cell(key, attack.true[key], shown=True)
    if not _shown(row.get("entered")) or not _shown(row.get("passed")):
        # A row that hides a count publishes no number built on it.
        for column in ("pass_rate", "ci_low", "ci_high", "impact_ratio", "p_fisher", "z_score",
                       "shortfall"):
            assert not _shown(row.get(column)), (place, row["stage"], column)
    if _shown(row.get("cumulative_rate")) and _shown(row.get("passed")):
        attack.ratio(passed, ("n", *place, measured[0]), row["cumulative_rate"])


def _add_shortfalls(attack: Attack, frame: pd.DataFrame, pairs: dict) -> None:
    """shortfall = entered x (sum passed / sum entered) - passed: a shown shortfall gives the
    stage's overall rate over the declared groups of the dimension."""
    for (campaign, zone, stage, dimension), part in frame.groupby(
            ["campaign", "zone", "stage", "dimension"], sort=False):
        first, following = pairs[stage]
        groups = list(part["group"])
        key = (campaign, zone, stage, dimension)
        for name, at in (("sum_entered", first), ("sum_passed", following)):
            parts = [("n", campaign, zone, dimension, g, at) for g in groups]
            attack.cell((name, *key), sum(attack.true[p] for p in parts), shown=False)
            attack.sum_of(parts, (name, *key))
        for row in part.to_dict("records"):
            if _shown(row.get("shortfall")) and _shown(row.get("entered")) and row["entered"] > 0:
                rate = (row["shortfall"] + row["passed"]) / row["entered"]
                attack.ratio(("sum_passed", *key), ("sum_entered", *key), rate, 1e-9)


def funnel_leaks(attack: Attack, k: int) -> list:
    """Hidden stage counts of 1..k-1 the reader narrows to fewer than k values."""
    return [leak for leak in attack.leaks(k, small_only=True) if leak.key[0] == "n"]


def wide(low: float, high: float, k: int) -> bool:
    return high - low >= k or math.isinf(high)
