"""Targets: set them, track them, and see when they will be reached."""

import streamlit as st

from cpwb_stats.demo.samples import note_label
from cpwb_stats.measures.progress import FLOWS, target_progress
from cpwb_stats.terms.ladders import ALL
from cpwb_ui import downloads, formatting, targets_view, workspace_view
from cpwb_ui.chart_files import show_chart
from cpwb_ui.data import app_policy, estimated_hire_share_for, representation, target_projection
from cpwb_ui.guard import require_entry
from cpwb_ui.i18n import language, t
from cpwb_ui.references import chart_words
from cpwb_ui.sidebar import actor, require_workforce, selected_zone_and_period

require_entry()

lang = language()
policy = app_policy()
dataset = require_workforce()
zone, _ = selected_zone_and_period()
account = actor()
ladder = dataset.extract.ladder
editable = dataset.stored and workspace_view.writable(account, zone)
st.title(t("targets.title"))
st.caption(t("targets.caption", zone=formatting.plain(zone)))

progress_tab, targets_tab, benchmarks_tab = st.tabs(
    [t("targets.progress_tab"), t("targets.targets_tab"), t("targets.benchmarks_tab")])

with targets_tab:
    targets_view.edit_tab("targets", dataset, zone, account, lang, editable)

with benchmarks_tab:
    st.markdown(t("targets.benchmarks_intro"))
    targets_view.edit_tab("benchmarks", dataset, zone, account, lang, editable)

with progress_tab:
    targets = targets_view.zone_rows(dataset.targets, zone, "targets").dropna(
        subset=["target_share"])
    if targets.empty:
        st.info(t("targets.none"))
    words = chart_words(lang) | {key: t(f"targets.chart_{key}") for key in
                                 ("actual", "path", "projection", "band", "equal_rates")}
    for number, target in targets.iterrows():
        dimension, group = target["dimension"], target["group"]
        if dimension not in dataset.extract.dimensions:
            continue
        table = representation(dataset, dataset.key, dimension, "declared", policy.min_cell)
        series = targets_view.series_for(dataset, zone, target, table, policy)
        progress = target_progress(series, float(target["target_share"]), target["deadline"],
                                   target["baseline_period"] or None)
        scope_label = (t(f"targets.flow_{target['scope']}") if target["scope"] in FLOWS
                       else formatting.scope_label(ladder, target["scope"], lang))
        group_label = t("targets.group_of_dimension",
                        dimension=formatting.dimension_label(dimension, lang),
                        group=formatting.group_label(dimension, group, lang))
        needed = targets_view.people_needed(series, float(target["target_share"]))
        status, sentence = targets_view.status_sentence(target, progress, needed, lang,
                                                        scope_label, group_label)
        st.subheader(f"{group_label} · {scope_label} → "
                     f"{formatting.percent(target['target_share'], lang)} ({target['deadline']})")
        {"reached": st.success, "on_track": st.success, "behind": st.warning}.get(
            status, st.info)(sentence)
        if target["note"]:
            st.caption(note_label(target["note"], lang))
        projection = None
        if (target["scope"] not in FLOWS and dataset.movements is not None
                and not progress.empty):
            years = targets_view.years_to_deadline(target["deadline"], progress["period"].iloc[-1])
            estimated = estimated_hire_share_for(dataset, dataset.key, dimension, group,
                                                 app_policy().min_cell)
            q_column, factor_column = st.columns(2)
            # Chosen among written values, so they read 30,7 % and 1,25 in Dutch and French.
            q = q_column.select_slider(
                t("targets.try_hire_share"), targets_view.HIRE_SHARES,
                value=round(estimated, 3), key=f"q_{number}",
                format_func=lambda v: formatting.percent(v, lang))
            factor = factor_column.select_slider(
                t("targets.try_leaver_factor"), targets_view.LEAVER_FACTORS, value=1.0,
                key=f"factor_{number}", format_func=lambda v: formatting.decimal(v, lang))
            projection = target_projection(dataset, dataset.key, dimension, group,
                                           target["scope"] if target["scope"] != ALL else ALL,
                                           float(target["target_share"]), years, q, factor,
                                           app_policy().min_cell)
            st.markdown(targets_view.projection_sentence(projection, target, lang)
                        if projection is not None else t("targets.projection_hidden"))
        if not progress.empty:
            show_chart(targets_view.progress_chart(
                progress, target, projection, t("targets.chart_title", group=group_label,
                                                 scope=scope_label), words),
                f"target_chart_{number}",
                downloads.file_name("target", lang, str(number)))
    st.markdown(t("targets.method"))
