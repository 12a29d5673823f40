"""Recruitment funnel: where candidates drop out, and whether it is adverse impact."""

import streamlit as st

from cpwb_figures import charts
from cpwb_stats.i18n import translate
from cpwb_stats.measures.funnel import POOLED
from cpwb_ui import downloads, formatting, funnel_view
from cpwb_ui.chart_files import show_chart
from cpwb_ui.data import app_policy, funnel
from cpwb_ui.guard import require_entry
from cpwb_ui.i18n import language, t
from cpwb_ui.references import applicant_target_notes, chart_words
from cpwb_ui.sidebar import active_dataset, selected_zone

require_entry()

lang = language()
dataset = active_dataset()
st.title(t("funnel.title"))
if dataset is None or dataset.applicants is None:
    st.info(t("funnel.no_data"))
    st.stop()
applicants = dataset.applicants
stages = applicants.stages

pick_campaign, pick_dimension, pick_reference = st.columns(3)
campaigns = sorted(applicants.counts["campaign"].unique(), reverse=True)
options = campaigns + ([POOLED] if len(campaigns) > 1 else [])
campaign = pick_campaign.selectbox(
    t("funnel.campaign"), options, key="campaign",
    format_func=lambda c: translate("funnel.pooled", lang) if c == POOLED else c)
dimensions = list(applicants.dimensions)
dimension = pick_dimension.selectbox(
    t("representation.dimension"), dimensions, key="funnel_dimension",
    index=dimensions.index("migration_background") if "migration_background" in dimensions else 0,
    format_func=lambda d: formatting.dimension_label(d, lang))
groups = list(applicants.dimensions[dimension].declared)
reference = pick_reference.selectbox(
    t("funnel.reference"), ["highest", *groups], key=f"reference_{dimension}",
    format_func=lambda g: translate("funnel.reference_highest", lang) if g == "highest"
    else formatting.group_label(dimension, g, lang))

with st.spinner(t("page.protecting"), show_time=True):
    table = funnel(dataset, dataset.key, dimension, reference, app_policy().min_cell)
rows = funnel_view.labelled(table[table["campaign"] == campaign], stages, dimension, lang,
                            app_policy())

if campaign == POOLED:
    st.caption(t("funnel.pooled_note"))
    pooled = funnel_view.labelled(
        funnel_view.with_pooled_counts(table[table["campaign"] == POOLED], table), stages,
        dimension, lang, app_policy())
    ratio_words = chart_words(lang) | {"air": t("funnel.col_air"),
                                       "four_fifths": t("funnel.four_fifths"),
                                       "p": t("funnel.col_p_cmh")}
    show_chart(charts.impact_ratio_chart(pooled, t("funnel.pooled_chart_title"), ratio_words),
               "pooled_chart",
               downloads.file_name("funnel_pooled", lang, dimension=dimension))
    st.dataframe(funnel_view.display_table(pooled, lang, pooled=True), hide_index=True,
                 key="funnel_table")
    st.markdown(t("funnel.pooled_legend"))
    st.stop()

for strength, sentence in funnel_view.verdict_sentences(rows, stages, dimension, lang):
    {"clear": st.warning, "uncertain": st.info}.get(strength, st.success)(sentence)

words = chart_words(lang) | {"air": t("funnel.col_air"), "bottom_line": t("funnel.all_stages"),
                             "log_air": t("funnel.log_air")}
show_chart(charts.funnel_chart(rows, t("funnel.chart_title", campaign=campaign), words),
           "funnel_chart",
           downloads.file_name("funnel", lang, campaign, dimension=dimension))
for note in applicant_target_notes(dataset, selected_zone() or "", dimension, campaign, lang,
                                   app_policy()):
    st.caption(note)
st.dataframe(funnel_view.display_table(rows, lang), hide_index=True, key="funnel_table")
st.markdown(t("funnel.legend", k=app_policy().min_cell))

if reference != "highest":
    for group in [g for g in groups if g != reference]:
        parts = funnel_view.contributions(rows, stages, group, lang)
        if not parts.empty:
            title = t("funnel.contribution_title", group=formatting.group_label(dimension, group, lang))
            show_chart(charts.contribution_chart(parts, title, words), f"waterfall_{group}",
                       downloads.file_name("funnel", lang, campaign, dimension=dimension, group=group))

download = downloads.reader_table(table.drop(columns=["dimension"], errors="ignore"), lang,
                                  stages=stages, dimension=dimension)
st.download_button(t("representation.download_csv"), downloads.csv_bytes(download, lang),
                   file_name=downloads.file_name("funnel", lang, dimension=dimension, suffix="csv"),
                   mime="text/csv", key="funnel_download")
