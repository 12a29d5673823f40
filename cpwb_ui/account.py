"""The workspace connection, who is signed in, and the sign-in, sign-out and setup forms.

The signed-in account is kept in this session only, by name and the moment it signed in; its
role and zones are read afresh from the database at every page view, so a change by an
administrator applies at once, and a password set or reset, or the account deactivated or
removed, ends the session at its next page view.

A file a session tried without storing, combined with a zone's stored data, belongs to the
account that loaded it: whenever the account of a session changes (signed out, expired,
revoked, or another account signed in), it is forgotten before anything is shown. (The zone
picked is kept as a wish only: the sidebar offers the zones the new account may see.)
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

import streamlit as st
from sqlalchemy import Engine

from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.problems import Refused
from cpwb_stats.workspace import accounts
from cpwb_stats.workspace.access import VISITOR, Actor
from cpwb_stats.workspace.database import database_url
from cpwb_ui import session_cookie
from cpwb_ui.i18n import language, t

_SESSION = "account"
_DATA_OWNER = "_data_owner"
LINK_SHOWN = "CPWB_SETUP_LINK_SHOWN"
IDLE = timedelta(minutes=30)
LONGEST = timedelta(hours=12)


def configured_url() -> str:
    """``CPWB_DATABASE_URL``, else ``database_url`` in Streamlit secrets, else local SQLite."""
    try:
        secret = st.secrets.get("database_url")
    except Exception:  # no secrets file: the environment or the local default decides
        secret = None
    return database_url(secret)


def engine() -> Engine:
    return _engine(configured_url())


@st.cache_resource(show_spinner="Opening the workspace · De werkruimte wordt geopend · "
                                 "Ouverture de l'espace de travail…")
def _engine(url: str) -> Engine:
    workspace = open_workspace(url)
    if os.environ.get(LINK_SHOWN):
        return workspace  # scripts/run.sh printed the link when the server started
    token = accounts.first_admin_token(workspace)
    if token is not None:
        print(setup_message(public_url(), token), file=sys.stderr, flush=True)
    return workspace


def setup_message(base_url: str, token: str) -> str:
    """Like Jupyter's token: whoever can read the server's terminal can create the first admin."""
    return (f"\nCPWB Stats has no administrator yet. Create one with this one-time link:\n"
            f"  {base_url}/?setup={token}\n")


def public_url() -> str:
    configured = os.environ.get("CPWB_PUBLIC_URL", "").rstrip("/")
    return configured or f"http://localhost:{st.get_option('server.port')}"


def current_actor() -> Actor:
    """The signed-in account, or the visitor once the session has expired or been closed; the
    session's data of any other account is forgotten first."""
    actor = _session_actor()
    _forget_data_of_another_account(actor)
    return actor


def _forget_data_of_another_account(actor: Actor) -> None:
    owner = st.session_state.get(_DATA_OWNER)
    if owner is not None and owner != actor.name:
        st.session_state.pop("active_dataset", None)
    st.session_state[_DATA_OWNER] = actor.name


def _session_actor() -> Actor:
    session = st.session_state.get(_SESSION)
    if session is None:
        session = session_cookie.restored()
        if session is None:
            return VISITOR
        st.session_state[_SESSION] = session
    now = datetime.now(UTC)
    session_cookie.drop_ended(lambda s: accounts.session_expired(s["since"], s["seen"], now,
                                                                 IDLE, LONGEST))
    if accounts.session_expired(session["since"], session["seen"], now, IDLE, LONGEST):
        st.session_state.pop(_SESSION)
        session_cookie.forget()
        st.session_state["session_expired"] = True
        return VISITOR
    if session_cookie.revoked():
        st.session_state.pop(_SESSION)
        return VISITOR
    actor = accounts.actor_for(engine(), session["name"], session["since"])
    if actor is None:
        st.session_state.pop(_SESSION)
        session_cookie.forget()
        return VISITOR
    session["seen"] = now
    return actor


def _begin_session(actor: Actor) -> None:
    now = datetime.now(UTC)
    st.session_state[_SESSION] = {"name": actor.name, "since": now, "seen": now}
    session_cookie.remember(st.session_state[_SESSION], LONGEST)
    for key in [k for k in st.session_state if str(k).startswith(("zone", "period"))]:
        del st.session_state[key]
    st.session_state.pop("active_dataset", None)
    st.session_state[_DATA_OWNER] = actor.name


def account_box(actor: Actor) -> None:
    """Sidebar: sign in, or who is signed in and sign out."""
    if st.session_state.pop("session_expired", False):
        st.sidebar.warning(t("account.expired"))
    if actor.signed_in:
        st.sidebar.caption(t("account.signed_in_as", name=actor.name,
                             role=t(f"role.{actor.role}")))
        if st.sidebar.button(t("account.sign_out"), key="sign_out"):
            st.session_state.pop(_SESSION, None)
            session_cookie.forget()
            st.session_state.pop("active_dataset", None)
            st.rerun()
        return
    with st.sidebar.expander(t("account.sign_in")), st.form("sign_in", border=False):
        name = st.text_input(t("account.username"), key="sign_in_name")
        password = st.text_input(t("account.password"), type="password", key="sign_in_password")
        if st.form_submit_button(t("account.sign_in")):
            _sign_in(name.strip(), password)


def _sign_in(name: str, password: str) -> None:
    try:
        actor = accounts.authenticate(engine(), name, password)
    except Refused as refused:
        for message in refused.messages(language()):
            st.error(message)
        return
    _begin_session(actor)
    st.rerun()


def setup_page(token: str) -> None:
    """Opened from a one-time setup link: choose a password (and a name, for the first admin)."""
    st.title(t("setup.title"))
    try:
        owner = accounts.token_owner(engine(), token)
    except Refused as refused:
        st.error(refused.messages(language())[0])
        return
    st.markdown(t("setup.intro_first_admin") if owner is None else t("setup.intro", name=owner))
    with st.form("setup"):
        name = owner or st.text_input(t("setup.username"), key="setup_name",
                                      help=t("setup.username_help"))
        password = st.text_input(t("account.password"), type="password", key="setup_password")
        again = st.text_input(t("setup.again"), type="password", key="setup_again")
        submitted = st.form_submit_button(t("setup.submit"), type="primary")
    if not submitted:
        return
    if password != again:
        st.error(t("setup.mismatch"))
        return
    try:
        actor = accounts.redeem_token(engine(), token, password, name.strip() or None)
    except Refused as refused:
        for message in refused.messages(language()):
            st.error(message)
        return
    _begin_session(actor)
    st.query_params.clear()
    st.rerun()
