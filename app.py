"""CPWB Stats: workforce diversity statistics for police zones (run: see README)."""

from pathlib import Path

import streamlit as st

from cpwb_stats.workspace.access import VISITOR
from cpwb_ui import guard
from cpwb_ui.account import setup_page
from cpwb_ui.i18n import language_picker, t

PAGES = [("pages/start.py", "nav.start", ":material/home:"),
         ("pages/representation.py", "nav.representation", ":material/bar_chart:"),
         ("pages/recruitment.py", "nav.recruitment", ":material/filter_alt:"),
         ("pages/retention.py", "nav.retention", ":material/group_remove:"),
         ("pages/targets.py", "nav.targets", ":material/flag:"),
         ("pages/compare.py", "nav.compare", ":material/compare_arrows:"),
         ("pages/upload.py", "nav.upload", ":material/upload_file:"),
         ("pages/versions.py", "nav.versions", ":material/history:"),
         ("pages/admin.py", "nav.admin", ":material/admin_panel_settings:"),
         ("pages/about.py", "nav.about", ":material/info:")]
START, FIGURES = "pages/start.py", "pages/representation.py"

# the tab's icon is a file shipped with the app: nothing is fetched from a font server or CDN
ICON = Path(__file__).parent / "cpwb_ui" / "icon.png"
st.set_page_config(page_title="CPWB Stats", page_icon=str(ICON), layout="wide")
setup_token = st.query_params.get("setup")
if setup_token:
    language_picker()
    setup_page(setup_token)
    st.stop()
actor = guard.safely(guard.shell) or VISITOR
# Every page keeps its address, so a reload or a link opens it for visitors and accounts alike:
# the start page is always the one at "/" (what this is, what to do). An account that opens "/"
# (a new tab, a reload, or just signed in) is sent on to its figures; "Start" in the menu stays
# open to it. A page this account may not open is left out of the menu and, opened by its
# address, says why in words.
navigation = st.navigation([
    st.Page(path, title=t(title), icon=icon, default=path == START,
            visibility="visible" if guard.allowed(path, actor) else "hidden")
    for path, title, icon in PAGES])
guard.open_requested_page(navigation, actor, FIGURES)
guard.mark_entry()
guard.safely(navigation.run)
