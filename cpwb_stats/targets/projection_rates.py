"""The rates a projection starts from, estimated from a zone's own workforce and movements.

Pooled over every period the movements cover (from the first movement's period to the last,
periods in which nothing moved included): a leaver rate is all leavers / the sum of the
periods' average headcounts; the hire share is the group's hires / all hires with a declared
answer; a promotion rate is all promotions out of a rank / the sum of its opening headcounts
over the periods that have an opening snapshot (a period or a group with no promotion still
counts in the denominator, with 0 promotions). Leavers with no headcount to divide by (before
the first snapshot) are left out of the rates. Only people with a declared answer count (the
share is of the declared, as on every page).
"""

from __future__ import annotations

import pandas as pd

from cpwb_stats.measures.retention import leaver_rates, promotion_rates
from cpwb_stats.targets.projection import RankRates
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_stats.terms.vocabulary import Dimension


def _pooled(numerator: pd.Series, denominator: pd.Series) -> float:
    """Sum of the numerators over the sum of the denominators, rows without one left out."""
    known = denominator.notna()
    total = denominator[known].sum()
    return float(numerator[known].sum() / total) if total > 0 else 0.0


def zone_rates(workforce: pd.DataFrame, movements: pd.DataFrame, dimension: Dimension,
               group: str) -> dict[str, float]:
    """Headcount, group count (latest snapshot), leaver rates and hire share for the zone."""
    name = dimension.name
    table = leaver_rates(workforce, movements, {name: dimension}, name)
    zone = table[(table["staff_category"] == ALL) & table["declared_group"]]
    mine = zone[zone["group"] == group]
    latest = workforce[(workforce["dimension"] == name)
                       & workforce["group"].isin(dimension.declared)]
    latest = latest[latest["period"] == max(latest["period"])]
    hires = movements[(movements["movement"] == "hire") & (movements["dimension"] == name)
                      & movements["group"].isin(dimension.declared)]
    return {
        "headcount": float(latest["count"].sum()),
        "group_count": float(latest.loc[latest["group"] == group, "count"].sum()),
        "leaver_rate": _pooled(zone["leavers"], zone["average_headcount"]),
        "group_leaver_rate": _pooled(mine["leavers"], mine["average_headcount"]),
        "hire_share": _pooled(hires.loc[hires["group"] == group, "count"], hires["count"]),
    }


def ladder_rates(workforce: pd.DataFrame, movements: pd.DataFrame, ladder: Ladder,
                 dimension: Dimension, group: str, category: str) -> list[RankRates]:
    """Per rank of one staff category, lowest first: headcounts now and pooled rates."""
    name = dimension.name
    table = leaver_rates(workforce, movements, {name: dimension}, name)
    table = table[table["declared_group"] & (table["staff_category"] == category)]
    promoted = promotion_rates(workforce, movements, ladder, name)
    promoted = promoted[promoted["group"].isin(dimension.declared)]
    latest = workforce[(workforce["dimension"] == name) & workforce["group"].isin(
        dimension.declared) & (workforce["staff_category"] == category)]
    latest = latest[latest["period"] == max(latest["period"])] if not latest.empty else latest
    opened = set(table.loc[table["start_headcount"].notna(), "period"])
    promoted = promoted[promoted["period"].isin(opened)]
    ranks = []
    for code in [r.code for r in ladder.ranks if r.staff_category == category]:
        rows, mine = table[table["rank"] == code], table[(table["rank"] == code)
                                                         & (table["group"] == group)]
        out = promoted[promoted["from_rank"] == code]
        now = latest[latest["rank"] == code]
        ranks.append(RankRates(
            code, float(now["count"].sum()), float(now.loc[now["group"] == group, "count"].sum()),
            _pooled(rows["leavers"], rows["average_headcount"]),
            _pooled(mine["leavers"], mine["average_headcount"]),
            _ratio(out["promotions"].sum(), rows["start_headcount"].sum()),
            _ratio(out.loc[out["group"] == group, "promotions"].sum(),
                   mine["start_headcount"].sum())))
    return [r for r in ranks if r.headcount > 0]


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else 0.0
