"""Compare zones: a group's share in each zone and in all of them together, side by side."""

import streamlit as st

from cpwb_figures import charts
from cpwb_stats.i18n import translate
from cpwb_stats.terms.ladders import ALL
from cpwb_stats.workspace import stored
from cpwb_ui import downloads, formatting, views
from cpwb_ui.account import engine
from cpwb_ui.chart_files import show_chart
from cpwb_ui.data import actor_key, app_policy, cache_key, comparison, zones_dataset
from cpwb_ui.guard import require_entry, require_page_access
from cpwb_ui.i18n import language, t
from cpwb_ui.references import chart_words
from cpwb_ui.sidebar import visible_zones

require_entry()
actor = require_page_access()
lang = language()
policy = app_policy()
st.title(t("compare.title"))
st.caption(t("compare.caption"))

zones = visible_zones()
chosen = st.multiselect(t("compare.zones"), [z.name for z in zones],
                        default=views.compare_defaults(zones), key="compare_zones")
if views.mixes_demo_and_real(zones, chosen):
    st.warning(t("compare.no_mixing"))
    st.stop()
revision = stored.revision(engine())
extract = zones_dataset(engine(), actor, tuple(chosen), revision, actor_key(actor))
if extract is None or len(chosen) < 2:
    st.info(t("compare.pick_two"))
    st.stop()

pick_dimension, pick_group, pick_period, pick_scope = st.columns(4)
dimensions = list(extract.dimensions)
dimension = pick_dimension.selectbox(
    t("representation.dimension"), dimensions, key="compare_dimension",
    index=dimensions.index("migration_background") if "migration_background" in dimensions else 0,
    format_func=lambda d: formatting.dimension_label(d, lang))
group = pick_group.selectbox(t("representation.group"), extract.dimensions[dimension].declared,
                             key=f"compare_group_{dimension}",
                             format_func=lambda g: formatting.group_label(dimension, g, lang))
period = pick_period.selectbox(t("sidebar.period"),
                               sorted(extract.counts["period"].unique(), reverse=True),
                               key="compare_period")
ladder = extract.ladder
scopes = [ALL, *ladder.categories, *ladder.rank_codes]
scope = pick_scope.selectbox(t("compare.scope"), scopes, key="compare_scope",
                             format_func=lambda s: formatting.scope_label(ladder, s, lang))

table = comparison(extract, cache_key("compare", tuple(chosen), revision, actor_key(actor)),
                   dimension, "declared", policy.min_cell)
rows = views.comparison_rows(table, period, dimension, group, scope, ladder, lang, policy,
                             combined_label=t("compare.combined"),
                             zones_label=t("compare.each_zone"))
title = t("compare.chart_title", dimension=formatting.dimension_label(dimension, lang),
          group=formatting.group_label(dimension, group, lang),
          scope=formatting.scope_label(ladder, scope, lang), period=period)
show_chart(charts.representation_chart(rows, title, None, None, chart_words(lang)),
           "compare_chart",
           downloads.file_name("compare", lang, dimension=dimension, group=group))
st.dataframe(views.display_table(rows, lang).rename(
    columns={translate("table.rank", lang): t("sidebar.zone")}), hide_index=True,
    key="compare_table")
st.markdown(t("compare.legend", k=policy.min_cell))
