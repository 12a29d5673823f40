"""The interface language of this session (never process-wide) and the translate helper."""

from __future__ import annotations

import streamlit as st

from cpwb_stats.i18n import LANGUAGES, resolve_language, translate
from cpwb_ui import session_cookie

_KEY = "language"
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands", "fr": "Français"}
BABEL_LOCALES = {"en": "en_GB", "nl": "nl_BE", "fr": "fr_BE"}


def language() -> str:
    if _KEY not in st.session_state:
        kept = session_cookie.cookie(session_cookie.LANGUAGE_COOKIE)
        st.session_state[_KEY] = kept if kept in LANGUAGES else resolve_language(_browser_locale())
    return st.session_state[_KEY]


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # outside a browser session (tests, bare mode) there is no locale
        return None


def t(key: str, **params: object) -> str:
    return translate(key, language(), **params)


def language_picker() -> str:
    language()  # the session's language is set before the widget, which then only reads it
    st.sidebar.selectbox("Language · Taal · Langue", LANGUAGES, format_func=LANGUAGE_NAMES.get,
                         key=_KEY)
    session_cookie.keep_language(st.session_state[_KEY])
    return st.session_state[_KEY]
