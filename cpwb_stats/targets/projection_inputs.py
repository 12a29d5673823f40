"""The rates a projection starts from, taken from published numbers only.

A projection's first year is ``group count x (1 - group leaver rate) + hires x hire share``:
started from a leaver rate computed on a hidden leaver count, it would give that count back.
So, under the disclosure policy, the estimated inputs come from the protected tables:

- the leaver rates and the hire share pool the periods whose average headcount is shown; the
  totals over periods they rest on (the group's, and the other groups') contain no hidden
  count, or at least two whose sum is k or more, so no single hidden count can be taken back
  out of them; otherwise the projection is refused;
- the group count and the declared headcount are the protected representation's latest
  whole-zone row; when either is hidden the projection is refused;
- a projection by rank (Targets page) runs only when every count behind its rates is shown.

Every number a projection prints is then a function of published numbers.
"""

from __future__ import annotations

import pandas as pd

from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.measures.retention import leaver_rates
from cpwb_stats.pipeline import (
    RepresentationRequest,
    RetentionRequest,
    protected_promotions,
    protected_representation,
    protected_retention,
)
from cpwb_stats.problems import Refused, error
from cpwb_stats.targets.projection_rates import zone_rates
from cpwb_stats.terms.ladders import ALL


def _pooled(numerator: pd.Series, denominator: pd.Series) -> float:
    total = float(denominator.sum())
    return float(numerator.sum()) / total if total > 0 else 0.0


def _retention(workforce, movements, dimension: str, policy: DisclosurePolicy) -> pd.DataFrame:
    table = protected_retention(workforce, movements, RetentionRequest(dimension, None, policy))
    return table[table["declared_group"]]


def _aligned(workforce, movements, dimension: str, policy: DisclosurePolicy) -> pd.DataFrame:
    """Whole-zone rows of declared groups: true counts beside the shown ones (``*_shown``)."""
    keys = ["period", "zone", "staff_category", "rank", "dimension", "group"]
    truth = leaver_rates(workforce.counts, movements.counts,
                         {dimension: workforce.dimensions[dimension]}, dimension)
    shown = _retention(workforce, movements, dimension, policy)
    both = truth[truth["declared_group"] & (truth["staff_category"] == ALL)].merge(
        shown[keys + ["leavers", "hires", "average_headcount"]], on=keys, suffixes=("", "_shown"))
    return both[both["average_headcount_shown"].notna()]


def _publishable(true: pd.Series, shown: pd.Series, min_cell: int) -> bool:
    """A total over periods may be shown when it contains no hidden count, or at least two
    whose sum is k or more (no single hidden count can be taken back out of it)."""
    hidden = true[shown.isna() & true.notna()].astype(float)
    return hidden.empty or (len(hidden) >= 2 and hidden.sum() >= min_cell)


def _refused(policy: DisclosurePolicy) -> Refused:
    return Refused([error("projection_start_hidden", minimum=policy.min_cell)])


def published_hire_share(workforce, movements, dimension: str, group: str,
                         policy: DisclosurePolicy) -> float | None:
    """The group's hires / declared hires over every period; None when that would show a
    hidden count."""
    if not policy.active:
        return zone_rates(workforce.counts, movements.counts, workforce.dimensions[dimension],
                          group)["hire_share"]
    rows = _aligned(workforce, movements, dimension, policy)
    mine, others = rows[rows["group"] == group], rows[rows["group"] != group]
    if not all(_publishable(part["hires"], part["hires_shown"], policy.min_cell)
               for part in (mine, others)):
        return None
    return _pooled(mine["hires"].astype(float), rows["hires"].astype(float))


def published_zone_rates(workforce, movements, dimension: str, group: str,
                         policy: DisclosurePolicy, need_start: bool = True,
                         need_rates: bool = True) -> dict[str, float]:
    """``zone_rates`` from published numbers; refused when the starting counts are hidden
    (unless ``need_start`` is False: the caller gives them, and they come back as None;
    ``need_rates`` likewise for the rates).

    The leaver rates pool every period whose average headcount is shown: the totals over
    periods are shown only under the rule of ``_publishable``, for the group and for the
    others, else the projection is refused.
    """
    if not policy.active:
        return zone_rates(workforce.counts, movements.counts, workforce.dimensions[dimension],
                          group)
    rows = _aligned(workforce, movements, dimension, policy)
    mine, others = rows[rows["group"] == group], rows[rows["group"] != group]
    rates_shown = all(_publishable(part["leavers"], part["leavers_shown"], policy.min_cell)
                      for part in (mine, others))
    hire_share = published_hire_share(workforce, movements, dimension, group, policy)
    if need_rates and (not rates_shown or hire_share is None):
        raise _refused(policy)
    representation = protected_representation(workforce, RepresentationRequest(
        dimension, policy=policy))
    whole = representation[(representation["staff_category"] == ALL)
                           & (representation["rank"] == ALL)]
    latest = whole[(whole["period"] == whole["period"].max()) & (whole["group"] == group)]
    hidden = latest.empty or latest[["count", "declared"]].isna().any(axis=None)
    if hidden and need_start:
        raise _refused(policy)
    return {
        "headcount": None if hidden else float(latest["declared"].iloc[0]),
        "group_count": None if hidden else float(latest["count"].iloc[0]),
        "leaver_rate": _pooled(rows["leavers"].astype(float), rows["average_headcount"])
        if rates_shown else None,
        "group_leaver_rate": _pooled(mine["leavers"].astype(float), mine["average_headcount"])
        if rates_shown else None,
        "hire_share": hire_share,
    }


def ladder_inputs_published(workforce, movements, dimension: str, category: str,
                            policy: DisclosurePolicy) -> bool:
    """Every count behind a staff category's rank-by-rank rates is shown."""
    if not policy.active:
        return True
    truth = leaver_rates(workforce.counts, movements.counts,
                         {dimension: workforce.dimensions[dimension]}, dimension)
    shown = _retention(workforce, movements, dimension, policy)
    keys = ["period", "zone", "staff_category", "rank", "dimension", "group"]
    both = truth[truth["declared_group"]].merge(shown, on=keys, suffixes=("", "_shown"))
    both = both[(both["staff_category"] == category) & (both["rank"] != ALL)]
    for column in ("leavers", "average_headcount"):
        if (both[column].notna() & both[f"{column}_shown"].isna()).any():
            return False
    promotions = protected_promotions(workforce, movements, dimension, policy)
    ranks = {r.code for r in workforce.ladder.ranks if r.staff_category == category}
    promotions = promotions[promotions["from_rank"].isin(ranks)]
    if promotions["suppressed"].astype(bool).any():
        return False
    representation = protected_representation(workforce, RepresentationRequest(
        dimension, policy=policy))
    latest = representation[(representation["period"] == representation["period"].max())
                            & (representation["staff_category"] == category)
                            & representation["declared_group"]]
    return not latest["count"].isna().any()
