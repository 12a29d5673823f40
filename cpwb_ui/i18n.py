"""The interface language of this session (never process-wide) and the translate helper."""

from __future__ import annotations

import streamlit as st

from cpwb_stats.i18n import LANGUAGES, resolve_language, translate
from cpwb_ui import session_cookie

_KEY = "language"
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands", "fr": "Français"}
BABEL_LOCALES = {"en": "en_GB", "nl": "nl_BE", "fr": "fr_BE"}


def language() -> str:
    """The session's language; chosen from the cookie or the browser on its first run. A
    session whose state is being cleared (signing out) still gets one, never a KeyError."""
    chosen = st.session_state.get(_KEY)
    if chosen not in LANGUAGES:
        kept = session_cookie.cookie(session_cookie.LANGUAGE_COOKIE)
        chosen = kept if kept in LANGUAGES else resolve_language(_browser_locale())
        st.session_state[_KEY] = chosen
    return chosen


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # outside a browser session (tests, bare mode) there is no locale
        return None


def t(key: str, **params: object) -> str:
    return translate(key, language(), **params)


def language_picker() -> str:
    language()  # the session's language is set before the widget, which then only reads it
    chosen = st.sidebar.selectbox("Language · Taal · Langue", LANGUAGES,
                                  format_func=LANGUAGE_NAMES.get, key=_KEY)
    chosen = chosen if chosen in LANGUAGES else language()
    session_cookie.keep_language(chosen)
    return chosen
