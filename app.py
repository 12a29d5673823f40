"""CPWB Stats: workforce diversity statistics for police zones (run: see README)."""

import streamlit as st

from cpwb_ui import sidebar
from cpwb_ui.i18n import language_picker, t

st.set_page_config(page_title="CPWB Stats", page_icon="📊", layout="wide")
language_picker()
navigation = st.navigation([
    st.Page("pages/representation.py", title=t("nav.representation"), icon="📊", default=True),
    st.Page("pages/upload.py", title=t("nav.upload"), icon="📤"),
    st.Page("pages/about.py", title=t("nav.about"), icon="ℹ️"),
])
sidebar.dataset_pickers()
navigation.run()
