"""Mapping profiles: how a source file's headers and codes map onto the data contract.

A profile is YAML (see ``docs/formats.md``). Headers the profile does not name are matched
through the built-in EN/NL/FR aliases, so a file that follows the template needs no profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from cpwb_stats.problems import ExtractRejected, error
from cpwb_stats.terms.ladders import PRESETS, Ladder, ladder_from_dict
from cpwb_stats.terms.stages import BELGIAN_SELECTION, STAGE_PRESETS, StageLadder, stage_ladder_from_dict
from cpwb_stats.terms.vocabulary import (
    BUILT_IN_DIMENSIONS,
    Dimension,
    normalise_label,
    target_for_header,
)

KINDS = ("workforce", "applicants", "movements")
SHAPES = ("records", "long", "wide")
BLANKS = ("zero", "missing")
DATE_ORDERS = ("dmy", "mdy", "ymd")
WORKFORCE_FIELDS = ("reference_date", "zone", "rank", "staff_category", "age_band",
                    "entry_year", "fte", "count", "total")
APPLICANT_FIELDS = ("campaign", "zone", "track", "stage_reached", "stage", "outcome", "count",
                    "total")
MOVEMENT_FIELDS = ("date", "zone", "movement", "staff_category", "rank", "from_rank",
                   "leave_reason", "entry_year", "count", "total",
                   "reference_date")  # read as the date, so one profile can serve both files
FIELDS = {"workforce": WORKFORCE_FIELDS, "applicants": APPLICANT_FIELDS,
          "movements": MOVEMENT_FIELDS}


@dataclass(frozen=True)
class MappingProfile:
    kind: str = "workforce"
    shape: str | None = None
    ladder: str | dict[str, Any] | None = None
    stages: str | dict[str, Any] | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, dict[str, Any]] = field(default_factory=dict)
    blanks: str = "zero"
    """What a blank count cell in an aggregated table means: ``zero`` (nothing was reported)
    or ``missing`` (not known: people a dimension leaves unaccounted are then ``unknown``)."""
    date_order: str | None = None
    """``dmy``, ``mdy`` or ``ymd`` for dates such as 10/01/2021; unset reads day first."""
    subtotals: tuple[str, ...] = ()
    """Further labels (besides the built-in regions) of subtotal rows in the zone column."""
    many_reference_dates: bool = False
    """Confirms that a workforce file with many reference dates is a series of snapshots."""

    def dimension_catalogue(self) -> dict[str, Dimension]:
        """Built-in dimensions plus the profile's own, each with the profile's value mappings."""
        catalogue = dict(BUILT_IN_DIMENSIONS)
        for name, spec in self.dimensions.items():
            catalogue[name] = _custom_dimension(name, spec)
        for name in list(catalogue):
            extra = self.values.get(name, {})
            if extra:
                dimension = catalogue[name]
                catalogue[name] = replace(dimension, aliases={**dimension.aliases, **extra})
        return catalogue

    def resolve_ladder(self) -> Ladder | None:
        if self.ladder is None:
            return None
        if isinstance(self.ladder, dict):
            return ladder_from_dict(self.ladder)
        return PRESETS[self.ladder]

    def resolve_stages(self) -> StageLadder:
        if isinstance(self.stages, dict):
            return stage_ladder_from_dict(self.stages)
        return STAGE_PRESETS[self.stages or BELGIAN_SELECTION.name]

    def with_columns(self, columns: dict[str, str]) -> MappingProfile:
        return replace(self, columns=dict(columns))


def _custom_dimension(name: str, spec: dict[str, Any]) -> Dimension:
    undisclosed = tuple(spec.get("undisclosed", ())) or ("undisclosed",)
    unknown = tuple(spec.get("unknown", ())) or ("unknown",)
    return Dimension(name=name, declared=tuple(spec["values"]), undisclosed=undisclosed,
                     unknown=unknown, aliases=dict(spec.get("aliases", {})))


def profile_from_yaml(text: str) -> MappingProfile:
    """Parse and check a profile; raises :class:`ExtractRejected` naming what is wrong."""
    try:
        spec = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ExtractRejected([error("profile_not_yaml", detail=str(exc).splitlines()[0])]) from exc
    if not isinstance(spec, dict):
        raise ExtractRejected([error("profile_not_mapping")])
    return profile_from_dict(spec)


def profile_from_dict(spec: dict[str, Any]) -> MappingProfile:
    problems = []
    kind = str(spec.get("kind", "workforce"))
    if kind not in KINDS:
        problems.append(error("profile_bad_value", column="kind", value=kind, accepted=", ".join(KINDS)))
    shape = spec.get("shape")
    if shape is not None and shape not in SHAPES:
        problems.append(error("profile_bad_value", column="shape", value=shape,
                              accepted=", ".join(SHAPES)))
    ladder = spec.get("ladder")
    if isinstance(ladder, str) and ladder not in PRESETS:
        problems.append(error("profile_bad_value", column="ladder", value=ladder,
                              accepted=", ".join(PRESETS)))
    stages = spec.get("stages")
    if isinstance(stages, str) and stages not in STAGE_PRESETS:
        problems.append(error("profile_bad_value", column="stages", value=stages,
                              accepted=", ".join(STAGE_PRESETS)))
    elif isinstance(stages, dict) and not isinstance(stages.get("stages"), list):
        problems.append(error("profile_bad_section", column="stages"))
    for key, accepted in (("blanks", BLANKS), ("date_order", DATE_ORDERS)):
        if spec.get(key) is not None and str(spec[key]) not in accepted:
            problems.append(error("profile_bad_value", column=key, value=str(spec[key]),
                                  accepted=", ".join(accepted)))
    subtotals = spec.get("subtotals") or []
    if not isinstance(subtotals, list):
        problems.append(error("profile_bad_section", column="subtotals"))
        subtotals = []
    sections = {}
    for key in ("columns", "values", "constants", "dimensions"):
        body = spec.get(key) or {}
        if not isinstance(body, dict):
            problems.append(error("profile_bad_section", column=key))
            body = {}
        sections[key] = body
    dimensions = sections["dimensions"]
    for name, body in dimensions.items():
        if not isinstance(body, dict) or not body.get("values"):
            problems.append(error("profile_bad_dimension", column=str(name)))
    # Any kind's field is accepted, so that one profile can serve a zone's workforce and
    # movements files alike; a target no kind knows is a mistake worth reporting.
    fields = {f for kind_fields in FIELDS.values() for f in kind_fields}
    known_targets = fields | set(BUILT_IN_DIMENSIONS) | set(dimensions)
    for source, target in sections["columns"].items():
        if str(target).split("=")[0] not in known_targets:
            problems.append(error("profile_unknown_target", column=str(source), value=str(target),
                                  accepted=", ".join(sorted(known_targets))))
    if problems:
        raise ExtractRejected(problems)
    values = {str(f): {str(k): str(v) for k, v in (m or {}).items()}
              for f, m in sections["values"].items()}
    return MappingProfile(
        kind=kind, shape=shape, ladder=ladder, stages=stages,
        columns={str(k): str(v) for k, v in sections["columns"].items()},
        values=values,
        constants={str(k): str(v) for k, v in sections["constants"].items()},
        dimensions={str(k): dict(v) for k, v in dimensions.items()},
        blanks=str(spec.get("blanks") or "zero"),
        date_order=str(spec["date_order"]) if spec.get("date_order") else None,
        subtotals=tuple(str(label) for label in subtotals),
        many_reference_dates=bool(spec.get("many_reference_dates", False)),
    )


def profile_to_yaml(profile: MappingProfile) -> str:
    spec: dict[str, Any] = {"kind": profile.kind}
    for key in ("shape", "ladder", "stages"):
        if getattr(profile, key):
            spec[key] = getattr(profile, key)
    for key in ("columns", "values", "constants", "dimensions"):
        if getattr(profile, key):
            spec[key] = getattr(profile, key)
    if profile.blanks != "zero":
        spec["blanks"] = profile.blanks
    if profile.date_order:
        spec["date_order"] = profile.date_order
    if profile.subtotals:
        spec["subtotals"] = list(profile.subtotals)
    if profile.many_reference_dates:
        spec["many_reference_dates"] = True
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


def propose_columns(headers: list[str], profile: MappingProfile) -> dict[str, str | None]:
    """Each header's target: the profile's word first, then the built-in aliases.

    A target already claimed (by the profile, or by an earlier header) is not given twice:
    the later header stays unmapped and is reported as ignored.
    """
    explicit = {normalise_label(k): v for k, v in profile.columns.items()}
    proposal: dict[str, str | None] = {h: explicit.get(normalise_label(h)) for h in headers}
    claimed = {t for t in proposal.values() if t}
    dimensions = profile.dimension_catalogue()
    for header in headers:
        if proposal[header] is None:
            target = _alias_target(normalise_label(header), dimensions)
            if target and target not in claimed:
                proposal[header] = target
                claimed.add(target)
    return proposal


def _alias_target(label: str, dimensions: dict[str, Dimension]) -> str | None:
    if "=" in label:
        name, _, value = label.partition("=")
        dimension = dimensions.get(name.strip().replace(" ", "_"))
        code = dimension.code_for(value) if dimension else None
        return f"{dimension.name}={code}" if code else None
    if label.replace(" ", "_") in dimensions:
        return label.replace(" ", "_")
    return target_for_header(label)
