"""Targets: set them, track them, and see when they will be reached."""

import streamlit as st

from cpwb_stats.export import to_csv_bytes, to_xlsx_bytes
from cpwb_stats.i18n import translate
from cpwb_stats.ladders import ALL
from cpwb_stats.problems import ExtractRejected
from cpwb_stats.progress import FLOWS, check_targets, target_progress
from cpwb_stats.targets import read_benchmarks, read_targets
from cpwb_ui import formatting, targets_view, workspace_view
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
st.caption(t("targets.caption", zone=zone))

progress_tab, targets_tab, benchmarks_tab = st.tabs(
    [t("targets.progress_tab"), t("targets.targets_tab"), t("targets.benchmarks_tab")])

with targets_tab:
    rows = targets_view.zone_rows(dataset.targets, zone, "targets")
    imported = st.file_uploader(t("targets.import"), type=["csv", "xlsx"], key="targets_import",
                                disabled=not editable)
    if imported is not None:
        try:
            rows = targets_view.zone_rows(read_targets(imported.getvalue()), zone, "targets")
        except ExtractRejected as rejected:
            for message in rejected.messages(lang):
                st.error(message)
    edited = targets_view.editor(rows, "targets", dataset.extract.dimensions, ladder,
                                 dataset.periods(zone), lang, editable)
    if editable and st.button(t("targets.save"), type="primary", key="save_targets"):
        problems = check_targets(edited.dropna(how="all"), dataset.extract.dimensions, ladder)
        for problem in problems:
            st.error(f"{translate('report.row', lang)} {problem.row}: {problem.message(lang)}")
        if not problems and targets_view.save(account, zone, "targets", edited, lang):
            st.success(t("targets.saved"))
            st.rerun()
    if not editable:
        st.caption(t("targets.read_only"))
    csv_column, xlsx_column = st.columns(2)
    export = rows.assign(zone=zone)
    csv_column.download_button(t("targets.export_csv"), to_csv_bytes(export),
                               file_name="targets.csv", mime="text/csv", key="targets_csv")
    xlsx_column.download_button(
        t("targets.export_xlsx"), to_xlsx_bytes({"targets": export}), file_name="targets.xlsx",
        key="targets_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

with benchmarks_tab:
    st.markdown(t("targets.benchmarks_intro"))
    benchmarks = targets_view.zone_rows(dataset.benchmarks, zone, "benchmarks")
    imported = st.file_uploader(t("targets.import"), type=["csv", "xlsx"],
                                key="benchmarks_import", disabled=not editable)
    if imported is not None:
        try:
            benchmarks = targets_view.zone_rows(read_benchmarks(imported.getvalue()), zone,
                                                "benchmarks")
        except ExtractRejected as rejected:
            for message in rejected.messages(lang):
                st.error(message)
    edited = targets_view.editor(benchmarks, "benchmarks", dataset.extract.dimensions, ladder,
                                 dataset.periods(zone), lang, editable)
    if editable and st.button(t("targets.save"), type="primary", key="save_benchmarks"):
        if targets_view.save(account, zone, "benchmarks", edited, lang):
            st.success(t("targets.saved"))
            st.rerun()

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
        group_label = formatting.group_label(dimension, group, lang)
        needed = targets_view.people_needed(series, float(target["target_share"]))
        status, sentence = targets_view.status_sentence(target, progress, needed, lang,
                                                        scope_label, group_label)
        st.subheader(f"{group_label} · {scope_label} → "
                     f"{formatting.percent(target['target_share'], lang)} ({target['deadline']})")
        {"reached": st.success, "on_track": st.success, "behind": st.warning}.get(
            status, st.info)(sentence)
        if target["note"]:
            st.caption(target["note"])
        projection = None
        if (target["scope"] not in FLOWS and dataset.movements is not None
                and not progress.empty):
            years = targets_view.years_to_deadline(target["deadline"], progress["period"].iloc[-1])
            estimated = estimated_hire_share_for(dataset, dataset.key, dimension, group)
            q_column, factor_column = st.columns(2)
            q = q_column.slider(t("targets.try_hire_share"), 0.0, 1.0, round(estimated, 3),
                                step=0.005, format="%.3f", key=f"q_{number}")
            factor = factor_column.slider(t("targets.try_leaver_factor"), 0.25, 2.0, 1.0,
                                          step=0.05, key=f"factor_{number}")
            projection = target_projection(dataset, dataset.key, dimension, group,
                                           target["scope"] if target["scope"] != ALL else ALL,
                                           float(target["target_share"]), years, q, factor)
            st.markdown(targets_view.projection_sentence(projection, target, lang))
        if not progress.empty:
            st.plotly_chart(targets_view.progress_chart(
                progress, target, projection, t("targets.chart_title", group=group_label,
                                                 scope=scope_label), words),
                key=f"target_chart_{number}")
    st.markdown(t("targets.method"))
