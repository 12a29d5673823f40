"""Targets and benchmarks for the chart, and the plain-words note on progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cpwb_stats.i18n import translate
from cpwb_stats.pipeline import protected_applicant_series
from cpwb_stats.targets.definitions import compare_with_reference, reference_for
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_ui import formatting
from cpwb_ui.data import Dataset

SEPARATORS = {"en": ".,", "nl": ", ", "fr": ", "}


def targets_for(dataset: Dataset, zone: str, dimension: str, group: str, ladder: Ladder,
                language: str) -> pd.DataFrame:
    rows = reference_for(dataset.targets, zone, dimension, group, "target_share")
    stock_scopes = set(ladder.rank_codes) | set(ladder.categories) | {ALL}
    rows = rows[rows["scope"].isin(stock_scopes)]
    return rows.assign(scope_label=[formatting.scope_label(ladder, s, language)
                                    for s in rows["scope"]])


def benchmark_for(dataset: Dataset, zone: str, dimension: str, group: str) -> float | None:
    rows = reference_for(dataset.benchmarks, zone, dimension, group, "share")
    return float(rows["share"].iloc[0]) if not rows.empty else None


def chart_words(language: str) -> dict[str, str]:
    keys = ("share", "count", "ci", "target", "benchmark")
    return {k: translate(f"chart.{k}", language) for k in keys} | {
        "separators": SEPARATORS[language]}


def progress_notes(bars: pd.DataFrame, target: pd.DataFrame, benchmark: float | None,
                   language: str) -> None:
    """One sentence per target (and the benchmark): where the share stands, people needed."""
    for _, line in target.iterrows():
        row = bars[bars["scope"] == line["scope"]]
        if row.empty:
            continue
        compared = compare_with_reference(row, float(line["target_share"])).iloc[0]
        if pd.isna(compared["gap_pp"]):
            st.info(translate("progress.hidden", language, scope=line["scope_label"]))
            continue
        st.info(translate(
            "progress.target", language, scope=line["scope_label"],
            share=formatting.percent(compared["share"], language),
            target=formatting.percent(line["target_share"], language),
            deadline=line["deadline"], gap=formatting.decimal(compared["gap_pp"], language, signed=True),
            size=formatting.decimal(abs(compared["gap_pp"]), language, signed=True).lstrip("+"),
            needed=formatting.count(max(int(compared["people_needed"]), 0), language)))
    zone_row = bars[bars["scope"] == ALL]
    if benchmark is not None and not zone_row.empty:
        compared = compare_with_reference(zone_row, benchmark).iloc[0]
        if pd.notna(compared["index"]):
            st.caption(translate("progress.benchmark", language,
                                 benchmark=formatting.percent(benchmark, language),
                                 index=formatting.decimal(compared["index"], language)))


def applicant_target_notes(dataset: Dataset, zone: str, dimension: str, campaign: str,
                           language: str, policy) -> list[str]:
    """For each applicants target of the dimension: the campaign's share of applicants in the
    group beside the target (the share hidden when its count is small).

    Remembered by the data's key (its stored version and reader) and every choice: finding the
    counts the funnel hides takes a noticeable part of a second on a large zone, and the page
    runs again at every click.
    """
    return _applicant_target_notes(dataset, dataset.key, zone, dimension, campaign, language,
                                   policy)


@st.cache_data(show_spinner=False, max_entries=64)
def _applicant_target_notes(_dataset: Dataset, dataset_key: str, zone: str, dimension: str,
                            campaign: str, language: str, policy) -> list[str]:
    dataset = _dataset
    notes = []
    for group in dataset.applicants.dimensions[dimension].declared:
        rows = reference_for(dataset.targets, zone, dimension, group, "target_share")
        rows = rows[rows["scope"] == "applicants"]
        if rows.empty:
            continue
        series = protected_applicant_series(dataset.applicants, dimension, group, policy)
        now = series[series["period"] == campaign]
        hidden = now.empty or pd.isna(now["share"].iloc[0])
        notes.append(translate(
            "funnel.applicant_target", language,
            group=formatting.group_label(dimension, group, language),
            target=formatting.percent(float(rows["target_share"].iloc[0]), language),
            deadline=rows["deadline"].iloc[0], campaign=campaign,
            share="✱" if hidden else formatting.percent(now["share"].iloc[0], language)))
    return notes
