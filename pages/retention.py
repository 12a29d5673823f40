"""Retention and progression: who leaves, why, how soon, and who is promoted."""

import streamlit as st

from cpwb_figures import charts
from cpwb_stats.i18n import translate
from cpwb_stats.measures.survival import incidence_at
from cpwb_stats.pipeline import curve_note_text
from cpwb_ui import downloads, formatting, retention_view
from cpwb_ui.chart_files import show_chart
from cpwb_ui.data import app_policy, cohorts, leaving_reasons, promotions, retention
from cpwb_ui.guard import require_entry
from cpwb_ui.i18n import language, t
from cpwb_ui.references import chart_words
from cpwb_ui.sidebar import require_workforce, selected_zone_and_period

require_entry()

lang = language()
policy = app_policy()
dataset = require_workforce()
zone, _ = selected_zone_and_period()
st.title(t("retention.title"))
if dataset.movements is None:
    st.info(t("retention.no_data"))
    st.stop()

dimensions = list(dataset.extract.dimensions)
pick_dimension, pick_period, pick_level = st.columns(3)
dimension = pick_dimension.selectbox(
    t("representation.dimension"), dimensions, key="retention_dimension",
    index=dimensions.index("migration_background") if "migration_background" in dimensions else 0,
    format_func=lambda d: formatting.dimension_label(d, lang))
with st.spinner(t("retention.protecting"), show_time=True):
    table = retention(dataset, dataset.key, dimension, policy.min_cell)
periods = sorted(table["period"].unique(), reverse=True)
period = pick_period.selectbox(t("retention.period"), periods, key="retention_period")
by_rank = pick_level.radio(t("retention.level"), [False, True], horizontal=True,
                           key="retention_by_rank",
                           format_func=lambda r: translate(
                               f"retention.level_{'ranks' if r else 'categories'}", lang))
rows = retention_view.labelled(table, period, dataset.extract.ladder, dimension, lang, policy,
                               by_rank)
basis = set(rows["headcount_basis"])
st.caption(t(f"retention.basis_{'average' if basis == {'average'} else 'mixed'}"))

words = chart_words(lang) | {"leaver_rate": t("retention.col_rate"),
                             "leavers": t("retention.col_leavers"),
                             "years": t("retention.years"), "retention": t("retention.retention"),
                             "at_risk": t("retention.at_risk")}
for sentence in retention_view.reading(rows, lang):
    st.info(sentence)
show_chart(charts.leaver_rate_chart(rows, t("retention.chart_title", period=period, zone=zone),
                                    words), "leaver_chart",
           downloads.file_name("leaver_rates", lang, period, dimension=dimension))
# Under the chart at full width: beside it, the headers were cut off.
st.dataframe(retention_view.display_table(rows, lang), hide_index=True, key="leaver_table",
             height="content")

st.subheader(t("retention.reasons_title"))
reasons = leaving_reasons(dataset, dataset.key, dimension, policy.min_cell)
st.dataframe(retention_view.reasons_table(reasons, dimension, lang), hide_index=True,
             key="reasons_table")

st.subheader(t("retention.promotions_title"))
promoted = promotions(dataset, dataset.key, dimension, policy.min_cell)
if promoted.empty:
    st.caption(t("retention.no_promotions"))
else:
    st.dataframe(retention_view.promotions_table(promoted, dataset.extract.ladder, dimension,
                                                 lang), hide_index=True, key="promotion_table")

st.subheader(t("retention.cohort_title"))
cohort = cohorts(dataset, dataset.key, dimension, policy.min_cell)
if isinstance(cohort, str):
    st.caption(t(cohort, period=dataset.extract.counts["period"].max()))
else:
    curves = retention_view.curves_labelled(cohort.curves, dimension, lang)
    show_chart(charts.retention_curve_chart(curves, t("retention.cohort_chart"), words),
               "retention_curves",
               downloads.file_name("retention", lang, dimension=dimension))
    for note in cohort.notes:  # a curve withheld or cut short says why
        st.caption(curve_note_text(note, dimension, policy.min_cell, lang))
    st.dataframe(retention_view.milestones_table(cohort.milestones, dimension, lang),
                 hide_index=True, key="milestones")
    logrank = retention_view.logrank_sentence(cohort.logrank_p, lang)
    if logrank:
        st.caption(logrank)
    st.markdown(t("retention.incidence_title"))
    st.dataframe(retention_view.incidence_table(incidence_at(cohort.incidence), dimension, lang),
                 hide_index=True, key="incidence")

st.markdown(t("retention.legend", k=policy.min_cell))
download = downloads.reader_table(table, lang, dataset.extract.ladder)
st.download_button(t("representation.download_csv"), downloads.csv_bytes(download, lang),
                   file_name=downloads.file_name("leaver_rates", lang, dimension=dimension,
                                                 suffix="csv"), mime="text/csv",
                   key="retention_download")
