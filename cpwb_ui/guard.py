"""Every page runs inside app.py's shell: language, data pickers (and, later, login).

Opened by its own URL in a new session, Streamlit may run a file of ``pages/`` on its own,
without the entry script. The first such run remembers the page and goes through app.py,
whose navigation then opens it. A session that has been through app.py and still runs a page
on its own (Streamlit's test harness does) gets the same shell in place.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import streamlit as st

from cpwb_ui import sidebar
from cpwb_ui.i18n import language_picker

_FLAG = "_entered_through_app"
_SEEN = "_seen_app"
_REQUESTED = "_requested_page"


def shell() -> None:
    """What surrounds every page: the language picker and the data pickers."""
    language_picker()
    sidebar.dataset_pickers()


def mark_entry() -> None:
    st.session_state[_FLAG] = True
    st.session_state[_SEEN] = True


def requested_page() -> str | None:
    return st.session_state.pop(_REQUESTED, None)


def require_entry() -> None:
    if st.session_state.pop(_FLAG, False):
        return
    if not st.session_state.get(_SEEN):
        st.session_state[_REQUESTED] = f"pages/{Path(inspect.stack()[1].filename).name}"
        st.switch_page("app.py")
    shell()
