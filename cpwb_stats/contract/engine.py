"""The contract engine: one walk from a file's cells to a validated extract, for every kind.

A :class:`Contract` declares an extract kind as data: its fields (which are required in which
shape, how each cell is read, what problem an unreadable cell is), its cross-field rules, how
each shape is counted and the pandera model its counts must satisfy. :func:`validate_extract`
runs any contract the same way:

    identifiers -> columns -> shape -> source fields -> blanks -> fields read cell by cell
    -> cross-field rules -> dimensions -> counts -> output schema -> report

Validation is lazy and columnar: each field is read once per distinct cell value, no check
stops another, and every problem reaches the :class:`ValidationReport` with the row as the user
sees it in the file. Only a wrong kind of file, a shape the kind does not have or a missing
required column ends the walk early, since the cells cannot be read without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cpwb_stats.contract.checks import (
    Source,
    ValidationReport,
    capped,
    check_cells,
    detect_shape,
    dimensions_present,
    failed,
    first_per_cell,
    groups_and_counts,
    named_by_source,
    or_total,
    read_blanks,
    source_fields,
    structural,
    unmapped_warning,
    wrong_kind,
)
from cpwb_stats.ingest.identifiers import find_identifiers
from cpwb_stats.ingest.load import RawTable
from cpwb_stats.ingest.mapping import MappingProfile, propose_columns
from cpwb_stats.problems import Problem, error
from cpwb_stats.terms.vocabulary import Dimension, normalise_label

SHAPES = ("records", "long", "wide")
AGGREGATED = frozenset({"long", "wide"})
GROUPS = "*groups"


@dataclass
class Run:
    """One file going through a contract: what each step has found so far."""

    raw: RawTable
    profile: MappingProfile
    shape: str
    source: Source
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    parsed: pd.DataFrame | None = None
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    counts: pd.DataFrame | None = None
    context: dict[str, Any] = field(default_factory=dict)
    """What the contract works out from the file (its rank ladder, its stages)."""

    @property
    def frame(self) -> pd.DataFrame:
        return self.source.frame

    @property
    def origin(self) -> dict[str, str]:
        return self.source.origin

    def add(self, problems: list[Problem]) -> None:
        self.errors += [p for p in problems if p.severity == "error"]
        self.warnings += [p for p in problems if p.severity == "warning"]


Reader = Callable[[Run], Callable[[str], object]]
Rule = Callable[[Run], list[Problem]]


@dataclass(frozen=True)
class Field:
    """One canonical field: when the file must give it and how its cells are read.

    ``read`` builds the cell reader for a run (it may need the file's ladder or stages); a cell
    it reads as nothing is a ``problem``, listing ``accepted`` labels when there are some.
    ``totals``: in the aggregated shapes a cell may read Total (a control-total row).
    ``blank``: a blank cell is left empty ("") rather than being a problem.
    ``column``: a field read by its own function (several columns at once, or rows that differ).
    ``shapes``: the shapes in which the field is read at all. The name ``*groups`` places the
    dimensions' group and count columns (read for every kind the same way).
    """

    name: str
    required: frozenset[str] = frozenset()
    shapes: frozenset[str] = frozenset(SHAPES)
    read: Reader | None = None
    problem: str = ""
    accepted: Callable[[Run], object] | None = None
    totals: bool = False
    blank: bool = False
    column: Callable[[Run, pd.DataFrame], list[Problem]] | None = None


@dataclass(frozen=True)
class Contract:
    """An extract kind, declared once. See ``docs/architecture.md`` for how to add one."""

    kind: str
    fields: tuple[Field, ...]
    schema: Any
    """The pandera model the counts satisfy (``WorkforceCounts``, ...)."""
    counts: Mapping[str, Callable[[Run], tuple[pd.DataFrame, list[Problem]]]]
    """How each shape the kind accepts is counted; a shape not listed is refused."""
    extract: Callable[[Run], object]
    rows: Callable[[Run], int]
    """The rows the report says were read (total rows left out)."""
    rules: tuple[Rule, ...] = ()
    """Cross-field rules over the read fields (promotions go up, passed only at the end)."""
    file_rules: tuple[Rule, ...] = ()
    """Rules over the whole file, checked once its cells are read."""
    count_rules: tuple[Rule, ...] = ()
    """Rules over the counts, checked once they are made (a stage never grows)."""
    context: Callable[[Run], dict[str, Any]] = lambda run: {}
    """What the fields' readers need from the file (its ladder, its stages)."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Mapping targets this kind calls by another name (movements: reference_date is date)."""
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Headers of this kind's own fields (``opleiding`` -> ``course``), besides the built-in."""
    shape_fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Fields a shape calls by another name (records of applicants: stage is stage_reached)."""
    detect: Callable[[list[str]], str] = detect_shape
    not_shape: str = ""
    """The problem a refused shape is (``movements_not_wide``); by default the shapes allowed."""
    prepare: Callable[[MappingProfile, set[str]], tuple[MappingProfile, list[Problem]]] = (
        lambda profile, fields: (profile, []))
    """The profile adjusted to the file (a table of leavers gets movement = leave)."""
    steps: tuple[Callable[[Run], list[Problem]], ...] = ()
    """Steps over the source text before the cells are read (age bands, total rows)."""
    wide_missing: bool = False
    """``blanks: missing`` in the wide shape means unknown people, not an error."""
    identifiers_named_only: bool = False
    """Columns holding identifiers are named in the report, never listed as unmapped."""
    counts_despite_identifiers: bool = False

    def required(self, shape: str) -> list[str]:
        return [f.name for f in self.fields_in(shape) if shape in f.required]

    def fields_in(self, shape: str) -> list[Field]:
        renamed = self.shape_fields.get(shape, {})
        return [replace(f, name=renamed.get(f.name, f.name)) for f in self.fields
                if shape in f.shapes]


def validate_extract(contract: Contract, raw: RawTable, profile: MappingProfile | None = None,
                     default_zone: str | None = None,
                     on_stage: Callable[[str], None] | None = None) -> ValidationReport:
    """Check every row of a table against a contract and, when all is well, count it.

    ``on_stage`` is told ``counting`` when the checks are done and the counts begin.
    """
    kind = contract.kind
    profile = profile or MappingProfile(kind=kind)
    rows = len(raw.cells)
    columns = _columns(contract, list(raw.cells.columns), profile)
    identifiers = find_identifiers(raw.cells, [h for h, t in columns.items() if t])
    mapped = {h: t for h, t in columns.items() if t}
    shape = profile.shape or contract.detect(list(mapped.values()))
    refused = {p.column for p in identifiers} if contract.identifiers_named_only else set()
    warnings = unmapped_warning({h: t for h, t in columns.items() if h not in refused})

    def stop(problems: list[Problem]) -> ValidationReport:
        return failed(identifiers + problems, rows, shape, columns, kind)

    kind_problems = wrong_kind(kind, mapped)
    if kind_problems:
        return stop(kind_problems + warnings)
    if shape not in contract.counts:
        return stop([error(contract.not_shape) if contract.not_shape else
                     error("profile_bad_value", column="shape", value=shape,
                           accepted=", ".join(contract.counts))])
    mapped = {h: contract.shape_fields.get(shape, {}).get(t, t) for h, t in mapped.items()}
    profile, prepared = contract.prepare(profile, set(mapped.values()))
    source, problems = source_fields(raw.cells, mapped, profile, default_zone, shape,
                                     contract.required(shape))
    warnings += [p for p in problems if p.severity == "warning"] + prepared
    errors = [p for p in problems if p.severity == "error"]
    if structural(errors):
        if "no_dimension_column" in {p.code for p in errors}:  # it lists the columns itself
            warnings = [w for w in warnings if w.code != "unmapped_columns"]
        return stop(errors + warnings)
    source, found = read_blanks(source, profile, shape, wide_missing=contract.wide_missing)
    run = Run(raw, profile, shape, source, errors, warnings)
    run.add(found)
    for step in contract.steps:
        run.add(step(run))
    _read_fields(contract, run)
    run.errors += [p for rule in contract.file_rules for p in rule(run)]
    run.dimensions = dimensions_present(run.parsed, profile)
    if not run.errors and (contract.counts_despite_identifiers or not identifiers):
        if on_stage is not None:
            on_stage("counting")
        run.counts, more = contract.counts[shape](run)
        more += [p for rule in contract.count_rules for p in rule(run)]
        run.add(named_by_source(more, source.origin))
    if identifiers or run.errors:
        return stop(capped(_without_values(run.errors, identifiers)) + run.warnings)
    run.counts = contract.schema.validate(run.counts)
    return ValidationReport(True, kind, shape, contract.rows(run), (), tuple(run.warnings),
                            contract.extract(run), columns)


def _columns(contract: Contract, headers: list[str],
             profile: MappingProfile) -> dict[str, str | None]:
    """Each header's field: the profile's or built-in word, else the contract's own."""
    columns = {h: (contract.headers.get(t, t) if t else t)
               for h, t in propose_columns(headers, profile).items()}
    own = {normalise_label(k): v for k, v in contract.aliases.items()}
    claimed = set(columns.values())
    for header, target in columns.items():
        alias = own.get(normalise_label(header))
        if target is None and alias and alias not in claimed:
            columns[header] = alias
            claimed.add(alias)
    return columns


def _read_fields(contract: Contract, run: Run) -> None:
    """Each declared field the file gives, read cell by cell; then the groups, counts and rules.

    A cell holds at most one problem (the first found), so a wrong rank is not also a wrong
    staff category.
    """
    run.context.update(contract.context(run))
    out = pd.DataFrame(index=run.frame.index)
    problems: list[Problem] = []
    groups_done = False
    for spec in contract.fields_in(run.shape):
        if spec.name == GROUPS:
            groups, found = groups_and_counts(run.frame, run.origin, run.profile, run.shape)
            out, groups_done = out.join(groups), True
            problems += found
        elif spec.column is not None:
            problems += spec.column(run, out)
        elif spec.name in run.frame and spec.read is not None:
            problems += _read_field(spec, run, out)
    if not groups_done:
        groups, found = groups_and_counts(run.frame, run.origin, run.profile, run.shape)
        out = out.join(groups)
        problems += found
    run.parsed = out
    problems += [p for rule in contract.rules for p in rule(run)]
    found = first_per_cell(problems)
    run.errors = first_per_cell(run.errors + [p for p in found if p.severity == "error"])
    run.warnings += [p for p in found if p.severity == "warning"]


def _read_field(spec: Field, run: Run, out: pd.DataFrame) -> list[Problem]:
    text = run.frame[spec.name]
    read = spec.read(run)
    if spec.totals and run.shape in AGGREGATED:
        read = or_total(read)
    params = {"accepted": spec.accepted(run)} if spec.accepted else {}
    if spec.blank:
        out[spec.name] = pd.Series("", index=text.index, dtype=object)
        text = text[text.str.strip() != ""]
    values, problems = check_cells(text, read, spec.problem, run.origin[spec.name], **params)
    if spec.blank:
        out.loc[values.index, spec.name] = values
    else:
        out[spec.name] = values
    return problems


def _without_values(problems: list[Problem], identifiers: list[Problem]) -> list[Problem]:
    """Cells of a column that holds identifiers are named, never repeated."""
    columns = {p.column for p in identifiers}
    return [replace(p, value=None) if p.column in columns else p for p in problems]


def stripped(run: Run) -> Callable[[str], str | None]:
    """A free-text key (zone, campaign): any text but blank."""
    return lambda value: value.strip() or None
