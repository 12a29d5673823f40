"""Message catalogues for English, Dutch and French.

Catalogues are JSON files in ``locales/``, one per language, with the same keys (a test keeps
them in step). Nothing here holds a current language: callers pass the language they serve,
so two users in two languages never see each other's words.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "nl", "fr")
DEFAULT_LANGUAGE = "en"
_LOCALES = Path(__file__).parent / "locales"


@cache
def catalogue(language: str) -> dict[str, str]:
    return json.loads((_LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def resolve_language(preferred: str | None) -> str:
    """The supported language closest to a locale such as 'nl-BE' or 'fr_FR'."""
    code = (preferred or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, language: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message for ``key`` in ``language``, with ``{placeholders}`` filled in.

    ``{count:plural:problem|problems}`` is the word for that number in the language: the
    first form for one (in French for 0 and 1 too), the second otherwise.
    """
    language = resolve_language(language)
    text = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        return key
    return _Formatter(language).format(text, **params) if params else text


class _Formatter(string.Formatter):
    def __init__(self, language: str):
        self.language = language

    def format_field(self, value: object, format_spec: str) -> str:
        if not format_spec.startswith("plural:"):
            return super().format_field(value, format_spec)
        one, _, other = format_spec.removeprefix("plural:").partition("|")
        return one if _is_singular(value, self.language) else other


def _is_singular(value: object, language: str) -> bool:
    try:
        text = "".join(str(value).split()).replace("\u202f", "")
        text = text.replace(",", "") if language == "en" else text.replace(".", "").replace(",", ".")
        number = float(text)
    except ValueError:
        return False
    return number == 1 or (language == "fr" and 0 <= number < 2)
