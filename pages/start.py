"""Start: what this is, the demo, and the next step for this visitor or account."""

import streamlit as st

from cpwb_ui import formatting
from cpwb_ui.guard import require_entry
from cpwb_ui.i18n import t
from cpwb_ui.sidebar import actor, visible_zones

require_entry()

account = actor()
st.title(t("start.title"))
st.markdown(t("start.what"))
st.markdown(t("start.demo"))
st.page_link("pages/representation.py", label=t("start.see_demo"), icon=":material/bar_chart:")

st.subheader(t("start.next"))
real = [z.name for z in visible_zones() if not z.demo]
if not account.signed_in:
    st.markdown(t("start.sign_in"))
elif account.role == "admin":
    st.markdown(t("start.admin_steps"))
    with st.form("create_zone", border=True):
        name = st.text_input(t("start.zone_name"), key="start_zone_name",
                             help=t("start.zone_name_help"))
        if st.form_submit_button(t("start.create_zone"), type="primary") and name.strip():
            st.session_state["upload_zone"] = name.strip()
            st.switch_page("pages/upload.py")
    st.page_link("pages/admin.py", label=t("start.add_people"), icon=":material/group_add:")
elif account.role == "zone_editor":
    zones = ", ".join(formatting.plain(z) for z in sorted(account.zones))
    st.markdown(t("start.editor_steps", zones=zones))
    st.page_link("pages/upload.py", label=t("start.upload_first"), icon=":material/upload_file:")
else:
    st.markdown(t("start.viewer_steps"))
if real:
    st.caption(t("start.zones_stored", zones=", ".join(formatting.plain(z) for z in real)))
