"""The rates a projection starts from, estimated from a zone's own workforce and movements.

Pooled over every period the movements cover: a leaver rate is all leavers / the sum of the
periods' average headcounts; the hire share is the group's hires / all hires with a declared
answer; a promotion rate is all promotions out of a rank / the sum of its opening headcounts.
Only people with a declared answer count (the share is of the declared, as on every page).
"""

from __future__ import annotations

import pandas as pd

from cpwb_stats.ladders import ALL, Ladder
from cpwb_stats.projection import RankRates
from cpwb_stats.retention import leaver_rates, promotion_rates
from cpwb_stats.vocabulary import Dimension


def _pooled(numerator: pd.Series, denominator: pd.Series) -> float:
    total = denominator.sum()
    return float(numerator.sum() / total) if total > 0 else 0.0


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
        "leaver_rate": _pooled(zone["leavers"], zone["average_headcount"].fillna(0)),
        "group_leaver_rate": _pooled(mine["leavers"], mine["average_headcount"].fillna(0)),
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
    ranks = []
    for code in [r.code for r in ladder.ranks if r.staff_category == category]:
        rows, mine = table[table["rank"] == code], table[(table["rank"] == code)
                                                         & (table["group"] == group)]
        out = promoted[promoted["from_rank"] == code]
        now = latest[latest["rank"] == code]
        starts = _opening_headcounts(out)
        ranks.append(RankRates(
            code, float(now["count"].sum()), float(now.loc[now["group"] == group, "count"].sum()),
            _pooled(rows["leavers"], rows["average_headcount"].fillna(0)),
            _pooled(mine["leavers"], mine["average_headcount"].fillna(0)),
            _pooled(out["promotions"], starts["all"]),
            _pooled(out.loc[out["group"] == group, "promotions"], starts[group]
                    if group in starts else pd.Series(dtype=float))))
    return [r for r in ranks if r.headcount > 0]


def _opening_headcounts(promoted: pd.DataFrame) -> dict[str, pd.Series]:
    by_group = promoted.drop_duplicates(["period", "group"])
    return {"all": by_group["start_headcount"].fillna(0),
            **{g: part["start_headcount"].fillna(0) for g, part in by_group.groupby("group")}}
