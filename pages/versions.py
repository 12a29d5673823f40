"""Versions: every extract stored for the zone, the one in use, and restoring or deleting."""

import streamlit as st

from cpwb_stats.workspace.versions import delete_version, restore_version
from cpwb_ui import formatting, workspace_view
from cpwb_ui.account import engine
from cpwb_ui.guard import require_entry, require_page_access
from cpwb_ui.i18n import language, t
from cpwb_ui.sidebar import selected_zone

require_entry()
actor = require_page_access()
lang = language()
zone = selected_zone()
st.title(t("versions.title"))
if zone is None:
    st.stop()
st.caption(t("versions.caption", zone=formatting.plain(zone)))

history = workspace_view.attempt(lambda: workspace_view.history(actor, zone), lang)
if history is None or history.empty:
    st.info(t("versions.empty"))
    st.stop()
st.dataframe(workspace_view.display_history(history, lang), hide_index=True, key="history")

if workspace_view.writable(actor, zone):
    rows = {int(row["id"]): row for _, row in history.iterrows()}
    chosen = st.selectbox(t("versions.choose"), list(rows), key="version_choice",
                          format_func=lambda i: workspace_view.version_label(rows[i], lang))
    restore_column, delete_column = st.columns(2)
    if restore_column.button(t("versions.restore"), key="restore", disabled=rows[chosen]["current"]):
        if workspace_view.attempt(lambda: restore_version(engine(), actor, chosen), lang):
            st.toast(t("versions.restored"))
            st.rerun()
    confirm = delete_column.checkbox(t("versions.confirm_delete"), key="confirm_delete")
    if delete_column.button(t("versions.delete"), key="delete", disabled=not confirm):
        if workspace_view.attempt(lambda: delete_version(engine(), actor, chosen) or True, lang):
            st.rerun()
