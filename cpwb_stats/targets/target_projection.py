"""A target's projection from the zone's own rates: the line, the band, the chance, the need.

For a rank or a staff category the per-rank model of its category runs; for the whole zone the
single-stock model. ``hire_share`` and ``leaver_factor`` (the group's leaver rates multiplied)
let a user try other values than the estimated ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from cpwb_stats.targets.projection import (
    RankRates,
    hire_share_needed,
    ladder_hire_share_needed,
    ladder_share,
    project,
    project_ladder,
    simulate,
    simulate_ladder,
)
from cpwb_stats.targets.projection_rates import ladder_rates, zone_rates
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_stats.terms.vocabulary import Dimension


@dataclass(frozen=True)
class TargetProjection:
    line: pd.DataFrame          # year, share (deterministic)
    band: pd.DataFrame          # year, mean, low, high, p_reached (Monte Carlo)
    equal_rates: pd.DataFrame   # year, share, the group leaving and promoted as everyone
    share_at_deadline: float
    probability: float
    hire_share: float
    hire_share_needed: float    # inf: out of reach by recruitment alone


def estimated_hire_share(workforce: pd.DataFrame, movements: pd.DataFrame,
                         dimension: Dimension, group: str) -> float:
    return zone_rates(workforce, movements, dimension, group)["hire_share"]


def project_target(workforce: pd.DataFrame, movements: pd.DataFrame, ladder: Ladder,
                   dimension: Dimension, group: str, scope: str, target: float, years: int,
                   hire_share: float, leaver_factor: float = 1.0, beyond: int = 5,
                   runs: int = 400) -> TargetProjection:
    """``years`` to the deadline; the lines run ``beyond`` it too."""
    if scope == ALL:
        return _zone(zone_rates(workforce, movements, dimension, group), target, years,
                     beyond, hire_share, leaver_factor, runs)
    category = scope if scope in ladder.categories else ladder.category_of(scope)
    ranks = ladder_rates(workforce, movements, ladder, dimension, group, category)
    chosen = [r.rank for r in ranks] if scope in ladder.categories else [scope]
    return _ladder(ranks, chosen, target, years, beyond, hire_share, leaver_factor, runs)


def _zone(rates: dict[str, float], target: float, years: int, beyond: int, q: float,
          factor: float, runs: int) -> TargetProjection:
    h, g, w = rates["headcount"], rates["group_count"], rates["leaver_rate"]
    w_g = min(rates["group_leaver_rate"] * factor, 1.0)
    line = project(h, g, w, w_g, q, years + beyond)[["year", "share"]]
    band = simulate(int(h), int(g), w, w_g, q, years + beyond, runs=runs)
    band["p_reached"] = _probabilities(int(h), int(g), w, w_g, q, years + beyond, target, runs)
    equal = project(h, g, w, w, q, years + beyond)[["year", "share"]]
    return TargetProjection(line, band, equal, float(line["share"].iloc[years]),
                            float(band["p_reached"].iloc[years]), q,
                            _need(hire_share_needed(h, g, w, w_g, target, years)))


def _probabilities(h, g, w, w_g, q, years, target, runs) -> list[float]:
    import numpy as np

    rng = np.random.default_rng(0)
    group = np.full(runs, g, dtype=np.int64)
    reached = [float((group / h >= target).mean())]
    for _ in range(years):
        leaving = rng.binomial(group, w_g)
        others = h - group
        other_rate = np.clip((w * h - w_g * group) / np.maximum(others, 1), 0, 1)
        hires = leaving + rng.binomial(others, other_rate)
        group = np.minimum(group - leaving + rng.binomial(hires, q), h)
        reached.append(float((group / h >= target).mean()))
    return reached


def _ladder(ranks: list[RankRates], scope: list[str], target: float, years: int, beyond: int,
            q: float, factor: float, runs: int) -> TargetProjection:
    tried = [replace(r, group_leaver_rate=min(r.group_leaver_rate * factor, 1.0)) for r in ranks]
    horizon = years + beyond
    line = ladder_share(project_ladder(tried, q, horizon), scope)[["year", "share"]]
    band = simulate_ladder(tried, q, horizon, scope, target=target, runs=runs)
    alike = [replace(r, group_leaver_rate=r.leaver_rate, group_promotion_rate=r.promotion_rate)
             for r in ranks]
    equal = ladder_share(project_ladder(alike, q, horizon), scope)[["year", "share"]]
    return TargetProjection(line, band, equal, float(line["share"].iloc[years]),
                            float(band["p_reached"].iloc[years]), q,
                            _need(ladder_hire_share_needed(tried, scope, target, years)))


def _need(value: float) -> float:
    return value if 0 <= value <= 1 else (math.inf if value > 1 else 0.0)


def project_published_target(workforce, movements, dimension: str, group: str, scope: str,
                             target: float, years: int, hire_share: float,
                             leaver_factor: float, policy) -> TargetProjection | None:
    """``project_target`` started from published numbers only (``projection_inputs``).

    ``workforce`` and ``movements`` are validated extracts. None when a count the projection
    would start from is hidden: the line would give it back.
    """
    from cpwb_stats.problems import Refused
    from cpwb_stats.targets.projection_inputs import ladder_inputs_published, published_zone_rates

    ladder = workforce.ladder
    if scope == ALL:
        try:
            rates = published_zone_rates(workforce, movements, dimension, group, policy)
        except Refused:
            return None
        return _zone(rates, target, years, 5, hire_share, leaver_factor, 400)
    category = scope if scope in ladder.categories else ladder.category_of(scope)
    if not ladder_inputs_published(workforce, movements, dimension, category, policy):
        return None
    return project_target(workforce.counts, movements.counts, ladder,
                          workforce.dimensions[dimension], group, scope, target, years,
                          hire_share, leaver_factor)
