"""The recruitment page's labelled rows, table and plain-words verdicts."""

from __future__ import annotations

import pandas as pd

from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.i18n import translate
from cpwb_stats.measures.funnel import ALL_STAGES, POOLED, stage_contributions, verdicts
from cpwb_stats.terms.stages import StageLadder
from cpwb_ui import formatting


def stage_label(stages: StageLadder, stage: str, language: str) -> str:
    if stage == ALL_STAGES:
        return translate("funnel.all_stages", language)
    return stages.label(stage, language)


def labelled(rows: pd.DataFrame, stages: StageLadder, dimension: str, language: str,
             policy: DisclosurePolicy) -> pd.DataFrame:
    def air(value, insufficient) -> str:
        if insufficient or pd.isna(value):
            return translate("funnel.insufficient", language)
        return formatting.decimal(value, language)

    return rows.assign(
        stage_label=[stage_label(stages, s, language) for s in rows["stage"]],
        group_label=[formatting.group_label(dimension, g, language) for g in rows["group"]],
        rate_text=[formatting.percent(v, language) for v in rows["pass_rate"]],
        counts_text=[_counts(p, e, s, policy) for p, e, s in zip(rows["passed"], rows["entered"],
                                                                 rows["suppressed"])],
        air_text=[air(v, i) for v, i in zip(rows["impact_ratio"], rows["insufficient_data"])],
        p_text=[formatting.p_value(v, language) for v in rows.get(
            "p_cmh", pd.Series(index=rows.index, dtype=float))],
    )


HIDDEN = "✱"  # every hidden row alike: a "<k" would mark the small ones apart


def _counts(passed, entered, suppressed, policy: DisclosurePolicy) -> str:
    if suppressed or pd.isna(entered):
        return HIDDEN
    return f"{int(passed)} / {int(entered)}"


def with_pooled_counts(pooled: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Pooled rows with passed / entered summed over the campaigns' published counts.

    A sum is shown only where every campaign's count for that stage and group is itself shown,
    so it adds nothing a reader could not add up from the campaign tables; where one of them is
    hidden, the pooled count stays hidden too. The pass rate beside it is that sum's ratio.
    """
    campaigns = table[table["campaign"] != POOLED]
    hidden = campaigns["suppressed"].astype(bool) | campaigns["entered"].isna()
    sums = (campaigns.assign(hidden=hidden).groupby(["stage", "group"], sort=False)
            .agg(passed=("passed", "sum"), entered=("entered", "sum"), hidden=("hidden", "any"))
            .reset_index())
    merged = pooled.drop(columns=["passed", "entered", "pass_rate"], errors="ignore").merge(
        sums, on=["stage", "group"], how="left")
    shown = ~merged["hidden"].fillna(True).astype(bool)
    return merged.assign(
        passed=merged["passed"].where(shown), entered=merged["entered"].where(shown),
        suppressed=~shown,
        pass_rate=(merged["passed"] / merged["entered"]).where(shown & (merged["entered"] > 0)))


def display_table(rows: pd.DataFrame, language: str, pooled: bool = False) -> pd.DataFrame:
    def number(value, digits: int = 2) -> str:
        return "–" if pd.isna(value) else f"{value:.{digits}f}".replace(
            ".", "," if language != "en" else ".")

    table = pd.DataFrame({
        translate("funnel.col_stage", language): rows["stage_label"],
        translate("funnel.col_group", language): rows["group_label"],
        translate("funnel.col_passed", language): rows["counts_text"],
        translate("funnel.col_rate", language): rows["rate_text"],
        translate("funnel.col_air", language): rows["air_text"],
        translate("funnel.col_flag", language): ["⚠" if f else "" for f in rows["below_four_fifths"]],
        translate("funnel.col_p_cmh" if pooled else "funnel.col_p", language): [
            formatting.p_value(p, language) for p in rows["p_cmh" if pooled else "p_fisher"]],
        translate("funnel.col_z", language): [number(z) for z in rows["z_score"]],
        translate("funnel.col_shortfall", language): [number(s, 1) for s in rows["shortfall"]],
        translate("funnel.col_one_person", language): [
            translate("dictionary.yes", language) if f else "" for f in rows["one_person_flips"]],
    })
    return table


def verdict_sentences(rows: pd.DataFrame, stages: StageLadder, dimension: str,
                      language: str) -> list[tuple[str, str]]:
    """(strength, sentence) per group that is not the reference everywhere."""
    sentences = []
    for verdict in verdicts(rows).itertuples():
        group = formatting.group_label(dimension, verdict.group, language)
        if verdict.strength == "insufficient":
            sentences.append((verdict.strength, translate("funnel.verdict_insufficient", language,
                                                          group=group)))
            continue
        if verdict.group == verdict.reference_group and verdict.strength == "none":
            continue
        sentences.append((verdict.strength, translate(
            f"funnel.verdict_{verdict.strength}", language, group=group,
            stage=stage_label(stages, verdict.stage, language),
            reference=formatting.group_label(dimension, verdict.reference_group, language),
            air=formatting.decimal(verdict.impact_ratio, language),
            p=formatting.p_text(verdict.p_fisher, language))))
    return sentences


def contributions(rows: pd.DataFrame, stages: StageLadder, group: str,
                  language: str) -> pd.DataFrame:
    parts = stage_contributions(rows)
    parts = parts[parts["group"] == group]
    return parts.assign(stage_label=[stage_label(stages, s, language) for s in parts["stage"]])
