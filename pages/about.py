"""About the data: definitions, disclosure policy and caveats, in the reader's language."""

import streamlit as st

from cpwb_ui.data import app_policy
from cpwb_ui.guard import require_entry
from cpwb_ui.i18n import t

require_entry()

st.title(t("about.title"))
for section in ("data", "representation", "retention", "targets", "disclosure", "workspace", "caveats"):
    st.subheader(t(f"about.{section}_title"))
    st.markdown(t(f"about.{section}_body", k=app_policy().min_cell,
                  k_last=app_policy().min_cell - 1, floor=app_policy().population_floor))
