"""A reload keeps the session: a random reference in a cookie, the session itself on the server.

Streamlit starts a new session at every reload. To carry a signed-in session over it, the
browser keeps a cookie ``cpwb_session`` holding a random reference (32 random bytes, never the
password nor the account name). The server keeps, in its memory only, the SHA-256 of each
reference with the session it stands for; the session's own expiry rules (30 minutes idle,
12 hours at most) apply as before. Signing out forgets the reference on the server and clears
the cookie; a server restart forgets every reference, so everyone signs in again.

Streamlit reads cookies (``st.context.cookies``) but offers no way to set an HttpOnly one, so
the cookie is written by a line of script in the page (``SameSite=Strict``, ``Secure`` over
HTTPS). Until the browser brings the reference back, the line is sent with every run of the
page: a run cut short (a click while the page is still drawing, a busy machine) may never run
the script, and the next run then writes the cookie, instead of a reload signing the person
out. Nothing secret goes into an address, so nothing secret lands in a proxy log, the browser
history or a shared link. The interface language is kept the same way
(``cpwb_language``), so a reload no longer falls back to English.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from datetime import timedelta

import streamlit as st

SESSION_COOKIE = "cpwb_session"
LANGUAGE_COOKIE = "cpwb_language"
_PENDING = "_cookies_to_write"
_REFERENCE = "_session_reference"
_LIFETIME = "_session_cookie_seconds"
_LANGUAGE = "_language_kept"
_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _sessions() -> dict[str, dict]:
    """SHA-256 of a reference -> the session dict it stands for (shared by all browser tabs)."""
    return {}


def _digest(reference: str) -> str:
    return hashlib.sha256(reference.encode()).hexdigest()


def cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # outside a browser session (tests, bare mode) there are no cookies
        return None
    return value if isinstance(value, str) else None


def remember(session: dict, longest: timedelta) -> None:
    """A new signed-in session: keep it under a new reference, and send the reference."""
    forget()
    reference = secrets.token_urlsafe(32)
    with _LOCK:
        _sessions()[_digest(reference)] = session
    st.session_state[_REFERENCE] = reference
    st.session_state[_LIFETIME] = int(longest.total_seconds())


def restored() -> dict | None:
    """The session the browser's cookie refers to, on the first page view after a reload."""
    reference = cookie(SESSION_COOKIE)
    if not reference:
        return None
    with _LOCK:
        session = _sessions().get(_digest(reference))
    if session is not None:
        st.session_state[_REFERENCE] = reference
    return session


def forget() -> None:
    """Sign-out or expiry: the reference stops working at once, and the cookie is cleared."""
    reference = st.session_state.pop(_REFERENCE, None) or cookie(SESSION_COOKIE)
    if reference:
        with _LOCK:
            _sessions().pop(_digest(reference), None)
        _queue(SESSION_COOKIE, "", 0)


def revoked() -> bool:
    """True when this tab's reference was forgotten elsewhere (signed out in another tab)."""
    reference = st.session_state.get(_REFERENCE)
    if reference is None:
        return False
    with _LOCK:
        return _digest(reference) not in _sessions()


def drop_ended(ended) -> None:
    """Forget every reference whose session has ended (``ended(session)`` is true)."""
    with _LOCK:
        for key in [k for k, session in _sessions().items() if ended(session)]:
            _sessions().pop(key, None)


def keep_language(language: str) -> None:
    """Keep this session's language in the browser, unless the browser already keeps it."""
    if st.session_state.get(_LANGUAGE, cookie(LANGUAGE_COOKIE)) != language:
        st.session_state[_LANGUAGE] = language


def _queue(name: str, value: str, max_age: int) -> None:
    st.session_state.setdefault(_PENDING, {})[name] = (value, max_age)


def write() -> None:
    """Send this session's cookies to the browser (a line of script, nothing shown).

    A session reference or a chosen language the browser did not bring with this session is
    sent with every run, so a run whose script never ran in the browser is made good by the
    next; a cleared cookie is sent once.
    """
    pending = dict(st.session_state.pop(_PENDING, None) or {})
    reference = st.session_state.get(_REFERENCE)
    if reference and reference != cookie(SESSION_COOKIE):
        pending.setdefault(SESSION_COOKIE, (reference, st.session_state[_LIFETIME]))
    language = st.session_state.get(_LANGUAGE)
    if language and language != cookie(LANGUAGE_COOKIE):
        pending.setdefault(LANGUAGE_COOKIE, (language, int(timedelta(days=365).total_seconds())))
    if not pending:
        return
    lines = [f"document.cookie = {json.dumps(f'{name}={value}')} + '; path=/; max-age={age}"
             f"; SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');"
             for name, (value, age) in pending.items()]
    with st.sidebar:
        st.html(f"<script>{''.join(lines)}</script>", unsafe_allow_javascript=True)
