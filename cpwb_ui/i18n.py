"""The interface language of this session (never process-wide) and the translate helper."""

from __future__ import annotations

import streamlit as st

from cpwb_stats.i18n import LANGUAGES, resolve_language, translate

_KEY = "language"
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands", "fr": "Français"}
BABEL_LOCALES = {"en": "en_GB", "nl": "nl_BE", "fr": "fr_BE"}


def language() -> str:
    if _KEY not in st.session_state:
        st.session_state[_KEY] = resolve_language(_browser_locale())
    return st.session_state[_KEY]


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # outside a browser session (tests, bare mode) there is no locale
        return None


def t(key: str, **params: object) -> str:
    return translate(key, language(), **params)


def language_picker() -> str:
    current = language()
    st.sidebar.selectbox("Language · Taal · Langue", LANGUAGES, index=LANGUAGES.index(current),
                         format_func=LANGUAGE_NAMES.get, key=_KEY)
    return st.session_state[_KEY]
