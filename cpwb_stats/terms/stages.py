"""Selection stage ladders: the ordered steps of a recruitment procedure, with EN/NL/FR labels.

The default is the Belgian integrated police selection for inspecteur/inspecteur: admission
conditions, cognitive test, physical test, personality test, selection commission, medical,
morality enquiry, basic training, appointment. A zone may configure its own ladder
(:func:`stage_ladder_from_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cpwb_stats.terms.vocabulary import normalise_label


@dataclass(frozen=True)
class Stage:
    code: str
    labels: dict[str, str]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageLadder:
    """Stages in order, first (application) to last (appointment)."""

    name: str
    stages: tuple[Stage, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.stages)

    @property
    def passable(self) -> tuple[str, ...]:
        """Stages a candidate can pass: all but the last (passing one means entering the next)."""
        return self.codes[:-1]

    def position(self, code: str) -> int:
        return self.codes.index(code)

    def code_for(self, raw: object) -> str | None:
        return self._lookup.get(normalise_label(raw))

    def label(self, code: str, language: str = "en") -> str:
        stage = next((s for s in self.stages if s.code == code), None)
        return stage.labels.get(language, stage.labels["en"]) if stage else code

    @cached_property
    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for stage in self.stages:
            for alias in (stage.code, *stage.labels.values(), *stage.aliases):
                table.setdefault(normalise_label(alias), stage.code)
        return table


def _stage(code: str, en: str, nl: str, fr: str, *aliases: str) -> Stage:
    return Stage(code, {"en": en, "nl": nl, "fr": fr}, aliases)


BELGIAN_SELECTION = StageLadder("belgian-police", (
    _stage("applied", "Application", "Kandidatuur", "Candidature", "applied", "application",
           "sollicitatie", "inschrijving", "inscription", "applicants", "kandidaten"),
    _stage("eligible", "Admission conditions", "Toelatingsvoorwaarden", "Conditions d'admission",
           "eligible", "admissible", "toelaatbaar", "recevable", "admission"),
    _stage("cognitive_test", "Cognitive test", "Cognitieve proef", "Épreuve cognitive",
           "cognitive", "cognitieve test", "test cognitif", "cognitive test"),
    _stage("physical_test", "Physical test", "Sportproef", "Épreuve sportive", "physical",
           "fysieke proef", "test physique", "functional course", "sport test"),
    _stage("personality_test", "Personality test", "Persoonlijkheidstest",
           "Test de personnalité", "personality", "persoonlijkheidsproef"),
    _stage("interview", "Selection commission", "Selectiecommissie", "Commission de sélection",
           "interview", "gesprek", "entretien", "selection interview"),
    _stage("medical", "Medical fitness", "Medische geschiktheid", "Aptitude médicale",
           "medical", "medisch onderzoek", "examen medical", "medical examination"),
    _stage("background_check", "Morality enquiry", "Moraliteitsonderzoek",
           "Enquête de moralité", "background check", "background", "morality"),
    _stage("academy", "Basic training", "Basisopleiding", "Formation de base", "academy",
           "politieschool", "academie", "police academy"),
    _stage("hired", "Appointment", "Benoeming", "Nomination", "hired", "appointed",
           "aanstelling", "indienstneming", "engage", "engagement", "appointment"),
))
STAGE_PRESETS = {BELGIAN_SELECTION.name: BELGIAN_SELECTION}


def stage_ladder_from_dict(spec: dict[str, Any]) -> StageLadder:
    """A zone's own ladder: {name, stages: [{code, labels: {en, nl, fr}, aliases: [...]}]}."""
    stages = []
    for item in spec["stages"]:
        labels = dict(item.get("labels", {}))
        labels.setdefault("en", item["code"])
        stages.append(Stage(item["code"], labels, tuple(item.get("aliases", ()))))
    return StageLadder(spec.get("name", "custom"), tuple(stages))


OUTCOMES = ("passed", "failed", "withdrew", "pending")
OUTCOME_ALIASES = {
    **dict.fromkeys(["passed", "pass", "geslaagd", "reussi", "ok", "admis", "appointed"], "passed"),
    **dict.fromkeys(["failed", "fail", "niet geslaagd", "gezakt", "echoue", "non admis",
                     "afgewezen", "refuse", "rejected"], "failed"),
    **dict.fromkeys(["withdrew", "withdrawn", "afgehaakt", "teruggetrokken", "afstand",
                     "desiste", "abandon", "dropped out"], "withdrew"),
    **dict.fromkeys(["pending", "lopend", "in behandeling", "en cours", "ongoing", ""],
                    "pending"),
}


def outcome_code(raw: object) -> str | None:
    return OUTCOME_ALIASES.get(normalise_label(raw))
