"""CPWB Stats: workforce diversity statistics for police zones (run: see README)."""

import streamlit as st

from cpwb_ui import guard
from cpwb_ui.i18n import t

PAGES = [("pages/representation.py", "nav.representation", ":material/bar_chart:"),
         ("pages/recruitment.py", "nav.recruitment", ":material/filter_alt:"),
         ("pages/upload.py", "nav.upload", ":material/upload_file:"),
         ("pages/about.py", "nav.about", ":material/info:")]

st.set_page_config(page_title="CPWB Stats", page_icon=":material/groups:", layout="wide")
opened = guard.requested_page() or PAGES[0][0]
navigation = st.navigation([st.Page(path, title=t(title), icon=icon, default=path == opened)
                            for path, title, icon in PAGES])
guard.shell()
guard.mark_entry()
navigation.run()
