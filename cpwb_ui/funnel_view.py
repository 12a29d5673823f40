"""The recruitment page's labelled rows, table and plain-words verdicts."""

from __future__ import annotations

import pandas as pd

from cpwb_stats.disclosure import DisclosurePolicy
from cpwb_stats.funnel import ALL_STAGES, stage_contributions, verdicts
from cpwb_stats.i18n import translate
from cpwb_stats.stages import StageLadder
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
    )


def _counts(passed, entered, suppressed, policy: DisclosurePolicy) -> str:
    if suppressed or pd.isna(entered):
        return policy.label()
    return f"{int(passed)} / {int(entered)}"


def display_table(rows: pd.DataFrame, language: str) -> pd.DataFrame:
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
        translate("funnel.col_p", language): [number(p, 3) for p in rows["p_fisher"]],
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
            p=formatting.decimal(verdict.p_fisher, language) if pd.notna(verdict.p_fisher)
            else "–")))
    return sentences


def contributions(rows: pd.DataFrame, stages: StageLadder, group: str,
                  language: str) -> pd.DataFrame:
    parts = stage_contributions(rows)
    parts = parts[parts["group"] == group]
    return parts.assign(stage_label=[stage_label(stages, s, language) for s in parts["stage"]])
