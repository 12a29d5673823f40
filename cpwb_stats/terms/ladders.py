"""Rank ladders: ordered ranks (lowest first) within staff categories, with EN/NL/FR labels.

Ladders are data. The presets below follow the design's table; a deployment may add its own
(a YAML file with the same structure, read by :func:`ladder_from_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cpwb_stats.problems import Localised, accepted_labels
from cpwb_stats.terms.vocabulary import normalise_label

ALL = "all"


@dataclass(frozen=True)
class Rank:
    code: str
    staff_category: str
    labels: dict[str, str]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ladder:
    """Staff categories in order, each with its ranks lowest first."""

    name: str
    ranks: tuple[Rank, ...]
    category_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    category_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.staff_category for r in self.ranks))

    @property
    def rank_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.ranks)

    def category_of(self, rank_code: str) -> str:
        return next(r.staff_category for r in self.ranks if r.code == rank_code)

    def rank_code(self, raw: object) -> str | None:
        return self._rank_lookup.get(normalise_label(raw))

    def category_code(self, raw: object) -> str | None:
        return self._category_lookup.get(normalise_label(raw))

    def rank_label(self, code: str, language: str = "en") -> str:
        rank = next((r for r in self.ranks if r.code == code), None)
        return rank.labels.get(language, rank.labels["en"]) if rank else code

    def category_label(self, code: str, language: str = "en") -> str:
        labels = self.category_labels.get(code, {})
        return labels.get(language, labels.get("en", code))

    def accepted_rank_labels(self) -> Localised:
        """The ranks a file may name, listed with their labels in each language."""
        return accepted_labels((r.code for r in self.ranks), self.rank_label)

    @cached_property
    def _rank_lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for rank in self.ranks:
            for alias in (rank.code, *rank.labels.values(), *rank.aliases):
                table.setdefault(normalise_label(alias), rank.code)
        return table

    @cached_property
    def _category_lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for code in self.categories:
            names = (code, *self.category_labels.get(code, {}).values(),
                     *self.category_aliases.get(code, ()))
            for alias in names:
                table.setdefault(normalise_label(alias), code)
        return table

    def order_key(self) -> dict[str, int]:
        """Sort key: categories in ladder order, ranks lowest first, 'all' last."""
        order = {code: i for i, code in enumerate(self.categories)}
        order.update({code: i for i, code in enumerate(self.rank_codes)})
        order[ALL] = 10_000
        return order


def _ranks(category: str, rows: list[tuple[str, str, str, str, tuple[str, ...]]]) -> list[Rank]:
    return [Rank(code, category, {"en": en, "nl": nl, "fr": fr}, aliases)
            for code, en, nl, fr, aliases in rows]


BELGIAN_POLICE = Ladder(
    name="belgian-police",
    ranks=tuple(
        _ranks("operational", [
            ("agent", "Agent", "Agent van politie", "Agent de police", ("agent", "AGP")),
            ("inspector", "Inspector", "Inspecteur", "Inspecteur",
             ("inspecteur van politie", "inspecteur de police", "INP")),
            ("chief-inspector", "Chief inspector", "Hoofdinspecteur", "Inspecteur principal",
             ("hoofdinspecteur van politie", "inspecteur principal de police", "HINP", "INPP")),
            ("commissioner", "Commissioner", "Commissaris", "Commissaire",
             ("commissaris van politie", "commissaire de police", "CP")),
            ("chief-commissioner", "Chief commissioner", "Hoofdcommissaris",
             "Commissaire divisionnaire",
             ("hoofdcommissaris van politie", "commissaire divisionnaire de police", "HCP",
              "CDP")),
        ])
        + _ranks("calog", [
            (f"calog-{lvl}", f"CALog level {lvl.upper()}", f"Niveau {lvl.upper()}",
             f"Niveau {lvl.upper()}",
             (f"calog {lvl}", f"level {lvl}", f"niveau {lvl}", f"calog niveau {lvl}"))
            for lvl in ("d", "c", "b", "a")
        ])
    ),
    category_labels={
        "operational": {"en": "Operational", "nl": "Operationeel kader",
                        "fr": "Cadre opérationnel"},
        "calog": {"en": "CALog (administrative and logistics)",
                  "nl": "CALog (administratief en logistiek kader)",
                  "fr": "CALog (cadre administratif et logistique)"},
    },
    category_aliases={
        "operational": ("operationeel", "operationnel", "operational staff", "police officers"),
        "calog": ("administratief en logistiek kader", "cadre administratif et logistique",
                  "civilian", "civilian staff", "burgerpersoneel"),
    },
)


def _simple_ladder(name: str, category: str, labels: dict[str, str],
                   ranks: list[tuple[str, str, tuple[str, ...]]]) -> Ladder:
    rows = [(code, en, en, en, aliases) for code, en, aliases in ranks]
    return Ladder(name, tuple(_ranks(category, rows)), {category: labels})


ENGLAND_WALES = _simple_ladder(
    "england-wales", "officer", {"en": "Police officers", "nl": "Politieambtenaren",
                                 "fr": "Policiers"},
    [("constable", "Constable", ("PC",)), ("sergeant", "Sergeant", ("PS",)),
     ("inspector", "Inspector", ()), ("chief-inspector", "Chief Inspector", ()),
     ("superintendent", "Superintendent", ()),
     ("chief-superintendent", "Chief Superintendent", ()),
     ("chief-officer", "Chief Officer", ("ACPO", "chief officers"))],
)

RCMP = _simple_ladder(
    "rcmp", "regular-member", {"en": "Regular members", "nl": "Regular members",
                               "fr": "Membres réguliers"},
    [("constable", "Constable", ("cst", "gendarme")), ("corporal", "Corporal", ("cpl", "caporal")),
     ("sergeant", "Sergeant", ("sgt", "sergent")),
     ("staff-sergeant", "Staff Sergeant", ("s sgt", "sergent d etat major")),
     ("inspector", "Inspector", ("insp",)), ("superintendent", "Superintendent", ("supt",)),
     ("chief-superintendent", "Chief Superintendent", ("c supt", "surintendant principal")),
     ("assistant-commissioner", "Assistant Commissioner", ("a comm", "commissaire adjoint")),
     ("deputy-commissioner", "Deputy Commissioner", ("d comm", "sous commissaire")),
     ("commissioner", "Commissioner", ("comm", "commissaire"))],
)

PRESETS: dict[str, Ladder] = {
    ladder.name: ladder for ladder in (BELGIAN_POLICE, ENGLAND_WALES, RCMP)
}
DEFAULT_LADDER = BELGIAN_POLICE.name


def ladder_from_dict(spec: dict[str, Any]) -> Ladder:
    """Build a ladder from a config mapping: {name, categories: {code: {labels, ranks: [...]}}}.

    Each rank is {code, labels: {en, nl, fr}, aliases: [...]}, lowest first.
    """
    ranks: list[Rank] = []
    labels: dict[str, dict[str, str]] = {}
    for category, body in spec["categories"].items():
        labels[category] = dict(body.get("labels", {"en": category}))
        for rank in body["ranks"]:
            rank_labels = dict(rank.get("labels", {}))
            rank_labels.setdefault("en", rank["code"])
            ranks.append(Rank(rank["code"], category, rank_labels,
                              tuple(rank.get("aliases", ()))))
    return Ladder(spec.get("name", "custom"), tuple(ranks), labels)


def best_ladder(raw_ranks: list[object]) -> Ladder:
    """The preset that recognises the most of these rank cells (the Belgian one on a tie)."""
    distinct = {normalise_label(r) for r in raw_ranks} - {""}

    def recognised(ladder: Ladder) -> int:
        return sum(ladder.rank_code(r) is not None for r in distinct)

    return max(PRESETS.values(), key=lambda ladder: (recognised(ladder),
                                                     ladder.name == DEFAULT_LADDER))
