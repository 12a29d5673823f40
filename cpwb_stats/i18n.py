"""Message catalogues for English, Dutch and French.

Catalogues are JSON files in ``locales/``, one per language, with the same keys (a test keeps
them in step). Nothing here holds a current language: callers pass the language they serve,
so two users in two languages never see each other's words.
"""

from __future__ import annotations

import json
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
    """The message for ``key`` in ``language``, with ``{placeholders}`` filled in."""
    text = catalogue(resolve_language(language)).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        return key
    return text.format(**params) if params else text
