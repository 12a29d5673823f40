"""Administration: accounts (roles, zones, setup links) and the audit log."""

import streamlit as st

from cpwb_stats.workspace import accounts
from cpwb_stats.workspace.access import ROLES
from cpwb_stats.workspace.audit import audit_trail
from cpwb_ui import downloads, formatting, workspace_view
from cpwb_ui.account import engine, public_url
from cpwb_ui.guard import require_entry, require_page_access
from cpwb_ui.i18n import language, t
from cpwb_ui.sidebar import visible_zones
from cpwb_ui.workspace_view import attempt

require_entry()
actor = require_page_access()
lang = language()
st.title(t("admin.title"))
zone_names = [z.name for z in visible_zones() if not z.demo]


def show_link(username: str, token: str | None) -> None:
    if token:
        st.success(t("admin.link_for", name=formatting.plain(username)))
        st.code(f"{public_url()}/?setup={token}", language=None)


def zones_placeholder(choices: list[str]) -> str:
    """Streamlit's own placeholder ("Choose or add options", "Add options") is English only."""
    return t("admin.zones_placeholder" if choices else "admin.zones_placeholder_none")


def role_label(role: str) -> str:
    return t(f"role.{role}")


accounts_tab, audit_tab = st.tabs([t("admin.accounts"), t("admin.audit")])
with accounts_tab:
    users = attempt(lambda: accounts.list_users(engine(), actor), lang)
    if users is not None:
        st.dataframe(workspace_view.display_users(users, lang), hide_index=True, key="users")
    with st.form("new_account", clear_on_submit=True):
        st.subheader(t("admin.new_account"))
        name = st.text_input(t("account.username"), key="new_name")
        # least privilege first: a new account reads one zone unless chosen otherwise
        role = st.selectbox(t("admin.role"), ROLES, index=ROLES.index("zone_viewer"),
                            format_func=role_label, key="new_role")
        zones = st.multiselect(t("admin.zones"), zone_names, key="new_zones",
                               accept_new_options=True, help=t("admin.zones_help"),
                               placeholder=zones_placeholder(zone_names))
        if st.form_submit_button(t("admin.create"), type="primary"):
            show_link(name, attempt(lambda: accounts.create_user(engine(), actor, name.strip(),
                                                                 role, zones), lang))
    if users is not None and not users.empty:
        st.subheader(t("admin.change_account"))
        who = st.selectbox(t("account.username"), users["username"].tolist(), key="who")
        current = users.set_index("username").loc[who]
        with st.form("change_account"):
            new_role = st.selectbox(t("admin.role"), ROLES, index=ROLES.index(current["role"]),
                                    format_func=role_label, key="change_role")
            choices = sorted(set(zone_names) | set(filter(None, current["zones"].split(", "))))
            new_zones = st.multiselect(
                t("admin.zones"), choices,
                default=[z for z in current["zones"].split(", ") if z], key="change_zones",
                accept_new_options=True, placeholder=zones_placeholder(choices))
            active = st.checkbox(t("admin.active"), value=bool(current["active"]),
                                 key="change_active")
            if st.form_submit_button(t("admin.save")):
                if attempt(lambda: accounts.update_user(engine(), actor, who, new_role,
                                                        new_zones, active) or True, lang):
                    st.rerun()
        reset_column, remove_column = st.columns(2)
        if reset_column.button(t("admin.reset"), key="reset_password"):
            show_link(who, attempt(lambda: accounts.reset_password(engine(), actor, who), lang))
        if remove_column.button(t("admin.remove"), key="remove_account"):
            if attempt(lambda: accounts.delete_user(engine(), actor, who) or True, lang):
                st.rerun()

with audit_tab:
    trail = attempt(lambda: audit_trail(engine(), actor), lang)
    if trail is not None:
        shown = workspace_view.display_audit(trail, lang)
        st.dataframe(shown, hide_index=True, key="audit")
        st.download_button(t("admin.download_audit"), downloads.csv_bytes(shown, lang),
                           file_name=downloads.file_name("audit_log", lang, suffix="csv"),
                           mime="text/csv", key="download_audit")
