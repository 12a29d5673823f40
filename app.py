"""CPWB Stats: workforce diversity statistics for police zones (run: see README)."""

import streamlit as st

from cpwb_stats.access import VISITOR
from cpwb_ui import guard
from cpwb_ui.account import setup_page
from cpwb_ui.i18n import language_picker, t

PAGES = [("pages/representation.py", "nav.representation", ":material/bar_chart:"),
         ("pages/recruitment.py", "nav.recruitment", ":material/filter_alt:"),
         ("pages/retention.py", "nav.retention", ":material/group_remove:"),
         ("pages/targets.py", "nav.targets", ":material/flag:"),
         ("pages/compare.py", "nav.compare", ":material/compare_arrows:"),
         ("pages/upload.py", "nav.upload", ":material/upload_file:"),
         ("pages/versions.py", "nav.versions", ":material/history:"),
         ("pages/admin.py", "nav.admin", ":material/admin_panel_settings:"),
         ("pages/about.py", "nav.about", ":material/info:")]

st.set_page_config(page_title="CPWB Stats", page_icon=":material/groups:", layout="wide")
setup_token = st.query_params.get("setup")
if setup_token:
    language_picker()
    setup_page(setup_token)
    st.stop()
actor = guard.safely(guard.shell) or VISITOR
pages = [page for page in PAGES if guard.allowed(page[0], actor)]
opened = guard.requested_page() or pages[0][0]
navigation = st.navigation([st.Page(path, title=t(title), icon=icon, default=path == opened)
                            for path, title, icon in pages])
guard.mark_entry()
guard.safely(navigation.run)
