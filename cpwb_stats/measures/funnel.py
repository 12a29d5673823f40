"""Recruitment funnel: pass rates per stage and group, and whether a gap is adverse impact.

Definitions, for group g at stage s of one campaign (see ``docs/recruitment.md``):

- ``entered`` = people of g who entered s; ``passed`` = people of g who entered the next stage;
- ``pass_rate`` = passed / entered, with a Wilson 95% interval; ``cumulative_rate`` = people of g
  who entered the next stage / people of g who applied;
- ``impact_ratio`` (AIR) = pass_rate_g / pass_rate_ref, the reference being the group with the
  highest rate at that stage (29 CFR 1607.4D) or a fixed group; ``below_four_fifths`` = AIR < 0.8;
- ``p_fisher``: one-sided Fisher exact test, adverse to g; ``z_score``: pooled two-proportion z,
  negative when g passes less often than the reference;
- ``shortfall`` = entered x overall rate - passed (people of g who "should" have passed at the
  rate of everybody, undisclosed included); ``one_person_flips``: one more pass for g would lift
  the AIR to 0.8 or above;
- ``insufficient_data``: g or the reference has fewer than ``min_group`` people at the stage.
  The statistics are not computed for it, rather than shown and over-read.

``stage = "all"`` runs from application to appointment. Only declared groups are compared.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact, norm

from cpwb_stats.measures.intervals import wilson_interval
from cpwb_stats.terms.stages import StageLadder
from cpwb_stats.terms.vocabulary import Dimension

ALL_STAGES = "all"
POOLED = "pooled"
FOUR_FIFTHS = 0.8
_TOLERANCE = 1e-9  # 0.48 / 0.60 is 0.7999999999999999 in floating point, and is not adverse
MIN_GROUP = 5


def stage_pairs(measured: tuple[str, ...]) -> list[tuple[str, str]]:
    """(stage, next stage) for each measured stage a person can pass, then (first, last)."""
    pairs = list(zip(measured[:-1], measured[1:]))
    return pairs + [(ALL_STAGES, "")] if pairs else []


def funnel_rates(counts: pd.DataFrame, dimension: Dimension, measured: tuple[str, ...]) -> pd.DataFrame:
    """Entered and passed per (campaign, zone, stage, group), with the overall rate per stage."""
    counts = counts[counts["dimension"] == dimension.name]
    table = counts.pivot_table(index=["campaign", "zone", "group"], columns="stage",
                               values="entered", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(measured), fill_value=0)
    rows = []
    for stage, following in stage_pairs(measured):
        start, end = (measured[0], measured[-1]) if stage == ALL_STAGES else (stage, following)
        rows.append(pd.DataFrame({"stage": stage, "entered": table[start], "passed": table[end],
                                  "applied": table[measured[0]]}).reset_index())
    frame = pd.concat(rows, ignore_index=True)
    frame = frame[frame["group"].isin(dimension.declared)].reset_index(drop=True)
    by_stage = frame.groupby(["campaign", "zone", "stage"])
    overall = by_stage["passed"].transform("sum") / by_stage["entered"].transform("sum")
    return frame.assign(dimension=dimension.name, overall_rate=overall.where(
        by_stage["entered"].transform("sum") > 0))


def funnel_impact(counts: pd.DataFrame, dimension: Dimension, stages: StageLadder,
                  measured: tuple[str, ...], reference: str = "highest",
                  min_group: int = MIN_GROUP) -> pd.DataFrame:
    """The funnel of every campaign: rates, impact ratios, tests and practical significance."""
    frame = _with_rates(funnel_rates(counts, dimension, measured))
    pieces = [_against_reference(part, reference, min_group)
              for _, part in frame.groupby(["campaign", "zone", "stage"], sort=False)]
    table = pd.concat(pieces, ignore_index=True) if pieces else frame
    return _ordered(table, stages, dimension)


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    rate = frame["passed"] / frame["entered"].where(frame["entered"] > 0)
    low, high = wilson_interval(frame["passed"], frame["entered"])
    return frame.assign(pass_rate=rate, ci_low=low, ci_high=high,
                        cumulative_rate=frame["passed"] / frame["applied"].where(frame["applied"] > 0),
                        shortfall=frame["entered"] * frame["overall_rate"] - frame["passed"])


def rejudged(table: pd.DataFrame, reference: str = "highest",
             min_group: int = MIN_GROUP) -> pd.DataFrame:
    """The comparisons of every stage again, from the rows whose counts are still there.

    Rows whose counts were withheld (``entered`` missing) are neither compared nor a reference.
    """
    if table.empty:
        return table
    pieces = [_against_reference(part, reference, min_group)
              for _, part in table.groupby(["campaign", "zone", "stage"], sort=False)]
    return pd.concat(pieces).loc[table.index]


def _reference_group(part: pd.DataFrame, reference: str, min_group: int) -> str | None:
    """The highest-rate group among those with at least ``min_group`` people, or a fixed one.

    A group too small to judge is never the reference, however high its rate: its rate is
    too uncertain to measure the others against.
    """
    enough = (part["entered"].astype("Float64") >= min_group).fillna(False).astype(bool)
    sufficient = part[enough & part["pass_rate"].notna()]
    if reference != "highest":
        return reference if reference in set(sufficient["group"]) else None
    if sufficient.empty:
        return None
    return str(sufficient.loc[sufficient["pass_rate"].idxmax(), "group"])


def _against_reference(part: pd.DataFrame, reference: str, min_group: int) -> pd.DataFrame:
    ref_group = _reference_group(part, reference, min_group)
    ref = part[part["group"] == ref_group].iloc[0] if ref_group is not None else None
    columns = {"impact_ratio": [], "p_fisher": [], "z_score": [], "one_person_flips": []}
    insufficient = []
    for row in part.itertuples():
        lacking = (ref is None or pd.isna(row.entered) or row.entered < min_group
                   or pd.isna(row.pass_rate))
        insufficient.append(bool(lacking))
        stats = {} if lacking else _comparison(row.passed, row.entered, int(ref["passed"]),
                                               int(ref["entered"]), row.group == ref_group)
        for name in columns:
            columns[name].append(stats.get(name))
    result = part.assign(reference_group=ref_group if ref_group is not None else reference,
                         insufficient_data=insufficient, **columns)
    air = result["impact_ratio"].astype(float)
    return result.assign(impact_ratio=air,
                         below_four_fifths=(air < FOUR_FIFTHS - _TOLERANCE).fillna(False),
                         p_fisher=result["p_fisher"].astype(float),
                         z_score=result["z_score"].astype(float),
                         one_person_flips=result["one_person_flips"].fillna(False).astype(bool))


def _comparison(passed: int, entered: int, ref_passed: int, ref_entered: int,
                is_reference: bool) -> dict[str, object]:
    rate, ref_rate = passed / entered, ref_passed / ref_entered
    air = rate / ref_rate if ref_rate > 0 else math.nan
    stats: dict[str, object] = {"impact_ratio": air}
    if is_reference:
        return stats | {"one_person_flips": False}
    table = [[passed, entered - passed], [ref_passed, ref_entered - ref_passed]]
    stats["p_fisher"] = float(fisher_exact(table, alternative="less").pvalue)
    stats["z_score"] = two_proportion_z(passed, entered, ref_passed, ref_entered)
    lifted = (passed + 1) / entered / ref_rate if ref_rate > 0 else math.nan
    stats["one_person_flips"] = bool(air < FOUR_FIFTHS - _TOLERANCE
                                     and lifted >= FOUR_FIFTHS - _TOLERANCE)
    return stats


def two_proportion_z(passed: int, entered: int, ref_passed: int, ref_entered: int) -> float:
    """Pooled two-proportion z statistic (the "two standard deviations" rule of thumb)."""
    pooled = (passed + ref_passed) / (entered + ref_entered)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / entered + 1 / ref_entered))
    if spread == 0:
        return 0.0
    return (passed / entered - ref_passed / ref_entered) / spread


def _ordered(table: pd.DataFrame, stages: StageLadder, dimension: Dimension) -> pd.DataFrame:
    order = {code: i for i, code in enumerate(stages.codes)} | {ALL_STAGES: 999}
    groups = {g: i for i, g in enumerate(dimension.values)}
    keyed = table.assign(_stage=table["stage"].map(order), _group=table["group"].map(groups))
    keyed = keyed.sort_values(["campaign", "zone", "_stage", "_group"])
    return keyed.drop(columns=["_stage", "_group"]).reset_index(drop=True)


def stage_contributions(table: pd.DataFrame) -> pd.DataFrame:
    """With a fixed reference, ln AIR from application to hire is the sum of the stages' ln AIR.

    Returns, per campaign, zone and group, each stage's ``log_impact`` and its ``share`` of the
    bottom-line gap: the stage that contributes most is where the gap opens.
    """
    stages = table[(table["stage"] != ALL_STAGES) & table["impact_ratio"].gt(0)]
    logs = stages.assign(log_impact=np.log(stages["impact_ratio"]))
    total = logs.groupby(["campaign", "zone", "group"])["log_impact"].transform("sum")
    return logs.assign(share=(logs["log_impact"] / total).where(total != 0))[
        ["campaign", "zone", "stage", "group", "reference_group", "impact_ratio", "log_impact",
         "share"]]


def pooled_impact(table: pd.DataFrame, reference: str = "highest",
                  min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Several campaigns pooled with Cochran-Mantel-Haenszel, one stratum per campaign.

    ``impact_ratio`` is the Mantel-Haenszel rate ratio of the group against the reference,
    ``z_score`` the signed CMH statistic (no continuity correction) and ``p_cmh`` its one-sided
    p-value, adverse to the group. A naive sum over campaigns can reverse the conclusion when
    campaigns differ in difficulty and composition (Simpson's paradox); stratifying does not.
    Rows whose counts were withheld are left out; ``campaigns`` is the number of campaigns
    pooled for the group and its reference.
    """
    rows = []
    for (zone, stage), part in table.groupby(["zone", "stage"], sort=False):
        strata = {g: p.set_index("campaign")[["passed", "entered"]].astype(float)
                  for g, p in part.dropna(subset=["entered", "passed"]).groupby("group")}
        groups = list(strata)
        enough = [g for g in groups if strata[g]["entered"].sum() >= min_group]
        ref = reference if reference != "highest" else _pooled_highest(strata, enough)
        for group in groups:
            rows.append(_pooled_row(zone, stage, group, ref, strata, group in enough and ref in enough))
    return pd.DataFrame(rows)


def _pooled_highest(strata: dict[str, pd.DataFrame], groups: list[str]) -> str | None:
    if not groups:
        return None
    base = groups[0]
    return max(groups, key=lambda g: mantel_haenszel(strata[g], strata[base])[0])


def _pooled_row(zone: str, stage: str, group: str, ref: str | None,
                strata: dict[str, pd.DataFrame], sufficient: bool) -> dict[str, object]:
    row: dict[str, object] = {"campaign": POOLED, "zone": zone, "stage": stage, "group": group,
                              "reference_group": ref, "insufficient_data": not sufficient,
                              "below_four_fifths": False, "one_person_flips": False,
                              "suppressed": False}
    if sufficient and ref is not None:
        ratio, z = mantel_haenszel(strata[group], strata[ref])
        row["campaigns"] = len(strata[group].index.intersection(strata[ref].index))
        row |= {"impact_ratio": ratio, "z_score": z if group != ref else None,
                "p_cmh": float(norm.cdf(z)) if group != ref else None,
                "below_four_fifths": bool(ratio < FOUR_FIFTHS - _TOLERANCE)}
    return row


def mantel_haenszel(group: pd.DataFrame, ref: pd.DataFrame) -> tuple[float, float]:
    """Mantel-Haenszel rate ratio and signed CMH z of ``group`` against ``ref`` over strata.

    Each frame is indexed by stratum with ``passed`` and ``entered``.
    """
    both = group.join(ref.add_suffix("_ref"), how="inner")
    a, n = both["passed"].astype(float), both["entered"].astype(float)
    c, m = both["passed_ref"].astype(float), both["entered_ref"].astype(float)
    total = n + m
    keep = total > 1
    a, n, c, m, total = a[keep], n[keep], c[keep], m[keep], total[keep]
    denominator = (c * n / total).sum()
    ratio = (a * m / total).sum() / denominator if denominator > 0 else math.nan
    expected = n * (a + c) / total
    variance = n * m * (a + c) * (total - a - c) / (total**2 * (total - 1))
    z = (a.sum() - expected.sum()) / math.sqrt(variance.sum()) if variance.sum() > 0 else 0.0
    return float(ratio), float(z)


def verdicts(table: pd.DataFrame, significance: float = 0.05) -> pd.DataFrame:
    """Per campaign and group, the stage where the impact ratio is lowest, and how sure it is.

    ``strength`` is ``clear`` (below four-fifths and p < 0.05 and not undone by one person),
    ``uncertain`` (below four-fifths, but not significant or undone by one person), ``none``
    (no stage below four-fifths) or ``insufficient`` (no stage could be judged).
    """
    stages = table[table["stage"] != ALL_STAGES]
    rows = []
    for (campaign, zone, group), part in stages.groupby(["campaign", "zone", "group"], sort=False):
        judged = part[~part["insufficient_data"] & part["impact_ratio"].notna()]
        if judged.empty:
            rows.append({"campaign": campaign, "zone": zone, "group": group,
                         "strength": "insufficient"})
            continue
        worst = judged.loc[judged["impact_ratio"].idxmin()]
        strength = "none"
        if worst["below_four_fifths"]:
            sure = (worst["p_fisher"] < significance) and not worst["one_person_flips"]
            strength = "clear" if sure else "uncertain"
        rows.append({"campaign": campaign, "zone": zone, "group": group, "strength": strength,
                     "stage": worst["stage"], "impact_ratio": worst["impact_ratio"],
                     "p_fisher": worst["p_fisher"], "reference_group": worst["reference_group"]})
    return pd.DataFrame(rows)
