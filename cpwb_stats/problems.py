"""Validation problems: where (row as in the file, column), what value, and what is wrong.

A problem holds a message key and its parameters rather than a sentence, so the same report can
be shown in the language of whoever reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from cpwb_stats.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity = "error"
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def message(self, language: str = DEFAULT_LANGUAGE) -> str:
        params = {"row": self.row, "column": self.column, "value": self.value, **self.params}
        params = {k: v.get(language, v.get(DEFAULT_LANGUAGE)) if isinstance(v, Localised) else v
                  for k, v in params.items()}
        if isinstance(params.get("dimension"), str):
            said = vocabulary_label("dimension")(params["dimension"], language)
            params["dimension"] = said[:1].lower() + said[1:]  # said mid-sentence
        if "kind" in params:
            params["kind"] = translate(f"term.{params['kind']}", language)
        return translate(f"problem.{self.code}", language, **params)

    def as_dict(self, language: str = DEFAULT_LANGUAGE) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "value": self.value,
                "message": self.message(language), "code": self.code}


class Localised(dict):
    """A message parameter written in every language ({language: text}), e.g. the accepted
    values of a field listed with their Dutch or French labels rather than English codes."""


def accepted_labels(codes: Iterable[str], label: Callable[[str, str], str]) -> Localised:
    """``codes`` listed as ``label(code, language)`` says them, one text per language."""
    codes = list(codes)
    return Localised({language: ", ".join(label(code, language) for code in codes)
                      for language in LANGUAGES})


def vocabulary_label(prefix: str) -> Callable[[str, str], str]:
    """A label from the catalogue (``{prefix}.{code}``), the code itself where there is none."""
    def label(code: str, language: str) -> str:
        text = translate(f"{prefix}.{code}", language)
        return code if text.startswith(f"{prefix}.") else text
    return label


def error(code: str, **kwargs: object) -> Problem:
    return _make(code, "error", kwargs)


def warning(code: str, **kwargs: object) -> Problem:
    return _make(code, "warning", kwargs)


def _make(code: str, severity: Severity, kwargs: dict[str, object]) -> Problem:
    where = {k: kwargs.pop(k) for k in ("row", "column", "value") if k in kwargs}
    value = where.get("value")
    if value is not None:
        where["value"] = str(value)[:200]
    return Problem(code, severity, params=kwargs, **where)


class Refused(Exception):
    """An action that cannot be carried out, with the reasons a person can act on."""

    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems

    def messages(self, language: str = DEFAULT_LANGUAGE) -> list[str]:
        return [p.message(language) for p in self.problems]


class ExtractRejected(Refused):
    """Raised inside the pipeline when a file cannot be read any further; carries the reasons."""
