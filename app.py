"""CPWB Stats: workforce diversity statistics for police zones (run: see README)."""

import streamlit as st

from cpwb_ui import sidebar
from cpwb_ui.i18n import language_picker, t

st.set_page_config(page_title="CPWB Stats", page_icon=":material/groups:", layout="wide")
language_picker()
navigation = st.navigation([
    st.Page("pages/representation.py", title=t("nav.representation"), icon=":material/bar_chart:",
            default=True),
    st.Page("pages/upload.py", title=t("nav.upload"), icon=":material/upload_file:"),
    st.Page("pages/about.py", title=t("nav.about"), icon=":material/info:"),
])
sidebar.dataset_pickers()
navigation.run()
