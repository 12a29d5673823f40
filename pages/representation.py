"""Representation by rank: a group's share per rank against the zone's target."""

from functools import partial

import streamlit as st

from cpwb_figures import charts
from cpwb_stats.i18n import translate
from cpwb_stats.output.publication import package_name
from cpwb_stats.terms.ladders import ALL
from cpwb_ui import downloads, formatting, references, report_view, views
from cpwb_ui.chart_files import show_chart
from cpwb_ui.data import app_policy, publication_licence, publication_zip, representation
from cpwb_ui.guard import require_entry
from cpwb_ui.i18n import language, t
from cpwb_ui.sidebar import require_workforce, selected_zone_and_period

require_entry()

lang = language()
dataset = require_workforce()
zone, period = selected_zone_and_period()
policy = app_policy()
ladder = dataset.extract.ladder

st.title(t("representation.title"))
st.caption(t("representation.caption", zone=formatting.plain(zone), period=period))

pick_dimension, pick_group, pick_denominator = st.columns(3)
dimensions = list(dataset.extract.dimensions)
dimension = pick_dimension.selectbox(
    t("representation.dimension"), dimensions, key="dimension",
    index=dimensions.index("migration_background") if "migration_background" in dimensions else 0,
    format_func=lambda d: formatting.dimension_label(d, lang))
groups = list(dataset.extract.dimensions[dimension].declared)
group = pick_group.selectbox(t("representation.group"), groups, key=f"group_{dimension}",
                             format_func=lambda g: formatting.group_label(dimension, g, lang))
denominator = pick_denominator.radio(
    t("representation.denominator"), ["declared", "headcount"], horizontal=True,
    format_func=lambda d: translate(f"representation.denominator_{d}", lang), key="denominator")

with st.spinner(t("page.protecting"), show_time=True):
    table = representation(dataset, dataset.key, dimension, denominator, policy.min_cell)
bars = views.bars(table, zone, period, dimension, group, ladder, lang, policy)
target = references.targets_for(dataset, zone, dimension, group, ladder, lang)
benchmark = references.benchmark_for(dataset, zone, dimension, group)
words = references.chart_words(lang)

title = t("representation.chart_title", group=formatting.group_label(dimension, group, lang),
          dimension=formatting.dimension_label(dimension, lang), zone=zone, period=period)
show_chart(charts.representation_chart(bars, title, target, benchmark, words),
           "representation_chart",
           downloads.file_name("representation", lang, dimension=dimension, group=group))
# Under the chart at full width: beside it, the headers and the share column were cut off.
st.dataframe(views.display_table(bars, lang), hide_index=True, height="content")
zone_row = bars[(bars["staff_category"] == ALL)]
if not zone_row.empty:
    st.metric(t("representation.declaration_rate"), zone_row["declaration_text"].iloc[0])

references.progress_notes(bars, target, benchmark, lang)

trend = views.labelled(
    table[(table["zone"] == zone) & (table["dimension"] == dimension) & (table["group"] == group)
          & (table["staff_category"] == ALL)], ladder, lang, policy)
if trend["period"].nunique() > 1:
    whole_zone = target[target["scope"] == ALL] if target is not None else target
    target_share = (float(whole_zone["target_share"].iloc[0])
                    if whole_zone is not None and not whole_zone.empty else None)
    target_text = (f"{words['target']}: {formatting.decimal_plain(target_share * 100, lang)} %"
                   if target_share is not None else "")
    show_chart(charts.trend_chart(trend, t("representation.trend_title"), words, target_share,
                                  target_text), "trend_chart",
               downloads.file_name("trend", lang, dimension=dimension, group=group))

st.markdown(t("representation.legend", k=policy.min_cell))
download = downloads.reader_table(views.download_table(table[table["zone"] == zone]), lang, ladder)
csv_column, xlsx_column = st.columns(2)
csv_column.download_button(t("representation.download_csv"), downloads.csv_bytes(download, lang),
                           file_name=downloads.file_name("representation", lang, dimension=dimension,
                                                         suffix="csv"), mime="text/csv",
                           key="download_csv")
# The workbook is written when it is asked for: written at every click it made each re-render
# of a large zone wait for it.
xlsx_column.download_button(
    t("representation.download_xlsx"),
    partial(downloads.xlsx_bytes, {t("representation.title"): download}, lang), on_click="ignore",
    file_name=downloads.file_name("representation", lang, dimension=dimension, suffix="xlsx"),
    key="download_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
if dataset.stored:
    st.download_button(
        t("publish.button"), partial(publication_zip, dataset, zone, period, policy.min_cell, lang),
        file_name=f"{package_name(zone, period)}.zip", mime="application/zip", key="publish",
        help=t("publish.help", period=period, licence=publication_licence()), on_click="ignore")

report_view.report_buttons(dataset, zone, period, lang, policy)
