"""Every page runs inside app.py's shell: language, account, and the zone and period pickers.

Opened by its own URL in a new session, Streamlit may run a file of ``pages/`` on its own,
without the entry script. The first such run remembers the page and goes through app.py,
whose navigation then opens it. A session that has been through app.py and still runs a page
on its own (Streamlit's test harness does) gets the same shell in place.

Either way the page runs inside :func:`safely`: an unexpected error shows a message in the
reader's language and is logged on the server; no traceback or server path reaches a page.
"""

from __future__ import annotations

import inspect
import logging
import runpy
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from cpwb_stats.i18n import translate
from cpwb_stats.problems import Refused
from cpwb_stats.workspace.access import Actor
from cpwb_ui import session_cookie, sidebar
from cpwb_ui.account import account_box, current_actor
from cpwb_ui.i18n import language, language_picker

_LOG = logging.getLogger("cpwb_stats.app")
Result = TypeVar("Result")
_FLAG = "_entered_through_app"
_SEEN = "_seen_app"
_REQUESTED = "_requested_page"
_RUNS = "_runs"
_WAS_SIGNED_IN = "_was_signed_in"


def safely(action: Callable[[], Result]) -> Result | None:
    """Run part of a page; an unexpected error becomes a message in the reader's language.

    The traceback, which names files on the server, goes to the server's log only, under a
    short reference the message gives, so an administrator can find it. Streamlit's own
    control flow (stop, rerun, switching pages) is not an error and passes through.
    """
    try:
        return action()
    except Refused as refused:  # a refusal a person can act on, e.g. a view below the floor
        for message in refused.messages(language()):
            st.error(message)
        return None
    except Exception:
        reference = secrets.token_hex(4)
        _LOG.exception("unexpected error on a page (reference %s)", reference)
        st.error(translate("guard.unexpected_error", language(), reference=reference))
        return None


def shell() -> Actor:
    """What surrounds every page: the language picker, the account and the data pickers."""
    st.session_state[_RUNS] = st.session_state.get(_RUNS, 0) + 1
    language_picker()
    actor = current_actor()
    sidebar.remember_actor(actor)
    account_box(actor)
    session_cookie.write()
    sidebar.dataset_pickers()
    return actor


def allowed(page: str, actor: Actor) -> bool:
    """Pages offered to this account; each restricted page checks again when it runs."""
    if page.endswith("admin.py"):
        return actor.role == "admin"
    if page.endswith("versions.py"):
        return actor.signed_in
    if page.endswith("compare.py"):
        return len(sidebar.visible_zones()) > 1
    return True


def require_page_access() -> Actor:
    """Stop a page the account may not open (reached by URL or by an old link)."""
    actor = sidebar.actor()
    page = f"pages/{Path(inspect.stack()[1].filename).name}"
    if not allowed(page, actor):
        if not actor.signed_in and not page.endswith("compare.py"):
            st.info(translate("guard.sign_in_first", language()))
        else:
            st.error(translate("problem.admin_only" if page.endswith("admin.py")
                               else "guard.not_allowed", language()))
        st.stop()
    return actor


def mark_entry() -> None:
    st.session_state[_FLAG] = True
    st.session_state[_SEEN] = True


def requested_page() -> str | None:
    return st.session_state.pop(_REQUESTED, None)


def open_requested_page(navigation, actor: Actor, figures: str) -> None:
    """Pages keep their own address; only two cases move the session to another page.

    A page run on its own before app.py (see the module's docstring) is opened by its own
    address. An account arriving at "/" (the start page) — a new tab, a reload, or the run just
    after signing in — is sent on to its figures; once there, "Start" in the menu opens the
    start page as for anyone.
    """
    requested = requested_page()
    arrived = runs() <= 1 or not st.session_state.get(_WAS_SIGNED_IN, False)
    st.session_state[_WAS_SIGNED_IN] = actor.signed_in
    if requested is not None and navigation.url_path != _url_path(requested):
        st.switch_page(requested)
    if actor.signed_in and arrived and navigation.url_path == "":
        st.switch_page(figures)


def _url_path(page: str) -> str:
    return "" if page.endswith("start.py") else Path(page).stem


def require_entry() -> None:
    if st.session_state.pop(_FLAG, False):
        return
    page = Path(inspect.stack()[1].filename)
    if not st.session_state.get(_SEEN):
        st.session_state[_REQUESTED] = f"pages/{page.name}"
        st.switch_page("app.py")
    safely(shell)
    # Run on its own, the page gets the protection app.py gives it: it runs again here, inside
    # the guard (its own require_entry then returns at once), and this outer run stops.
    st.session_state[_FLAG] = True
    try:
        safely(lambda: runpy.run_path(str(page), run_name="__main__"))
    finally:
        st.session_state.pop(_FLAG, None)
    st.stop()


def runs() -> int:
    """How many times this session has drawn a page: tells a page whether it was just open."""
    return st.session_state.get(_RUNS, 0)
