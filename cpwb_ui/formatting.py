"""Numbers, shares and labels formatted for the reader's language (27,2 % in Dutch and French)."""

from __future__ import annotations

import re

import pandas as pd
from babel.numbers import format_decimal, format_percent

# The labels are the statistics package's, so pages, downloads and the report say the same.
from cpwb_stats.terms.labels import dimension_label as dimension_label
from cpwb_stats.terms.labels import group_label as group_label
from cpwb_stats.terms.labels import rank_label as rank_label
from cpwb_stats.terms.labels import scope_label as scope_label
from cpwb_ui.i18n import BABEL_LOCALES


def percent(value: float | None, language: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_percent(value, format="#,##0.0 %", locale=BABEL_LOCALES[language])


def count(value: object, language: str) -> str:
    """A visible count with the reader's thousands separator (hidden counts never get here)."""
    return format_decimal(int(value), locale=BABEL_LOCALES[language])


def decimal(value: float, language: str, signed: bool = False) -> str:
    pattern = "+#,##0.0;-#,##0.0" if signed else "#,##0.00"
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[language])


def p_value(value: object, language: str) -> str:
    """A p-value as it is read: three decimals, '< 0.001' below that, '–' when there is none.

    >>> [p_value(v, "en") for v in (0.0312, 0.0004, None)], p_value(0.0312, "fr")
    (['0.031', '< 0.001', '–'], '0,031')
    """
    if value is None or pd.isna(value):
        return "–"
    if float(value) < 0.001:
        return "< " + format_decimal(0.001, format="0.000", locale=BABEL_LOCALES[language])
    return format_decimal(float(value), format="0.000", locale=BABEL_LOCALES[language])


def p_text(value: object, language: str) -> str:
    """'p = 0.031' or 'p < 0.001' for a sentence; '–' when there is no test."""
    shown = p_value(value, language)
    if shown == "–":
        return shown
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def decimal_plain(value: float, language: str) -> str:
    """Up to two decimals, none when whole, in the reader's way: 10, 10,5 (nl, fr), 10.5 (en)."""
    return format_decimal(round(value, 2), format="#,##0.##", locale=BABEL_LOCALES[language])


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$])")


def plain(text: object) -> str:
    """A name from a user (zone, file) made inert inside Streamlit markdown.

    >>> plain("[Gent](http://x) *1*")
    '\\\\[Gent\\\\]\\\\(http://x\\\\) \\\\*1\\\\*'
    """
    return _MARKDOWN.sub(r"\\\1", str(text))
