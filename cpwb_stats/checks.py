"""Checks shared by every extract kind: lazy, cell by cell, each failure a :class:`Problem`.

Validation never stops at the first problem: each helper returns every problem it finds,
with the row as the user sees it in the file and the user's own column header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cpwb_stats.cell_values import parse_count
from cpwb_stats.mapping import MappingProfile
from cpwb_stats.problems import Problem, error, warning
from cpwb_stats.vocabulary import Dimension, is_total_label

TOTAL = "__total__"
UNSPECIFIED_ZONE = "unspecified"
MAX_PROBLEMS = 5000
_FORMULA_START = ("=", "@", "+=", "-=")


@dataclass(frozen=True)
class ValidationReport:
    valid: bool
    kind: str
    shape: str | None
    rows: int
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    extract: Any = field(default=None, repr=False)
    columns: dict[str, str | None] = field(default_factory=dict)

    def as_dict(self, language: str = "en") -> dict[str, object]:
        return {"valid": self.valid, "kind": self.kind, "shape": self.shape, "rows": self.rows,
                "errors": [p.as_dict(language) for p in self.errors],
                "warnings": [p.as_dict(language) for p in self.warnings]}


def failed(problems: list[Problem], rows: int = 0, shape: str | None = None,
           columns: dict[str, str | None] | None = None, kind: str = "workforce") -> ValidationReport:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    return ValidationReport(False, kind, shape, rows, tuple(errors), tuple(warnings),
                            columns=columns or {})


def named_by_source(problems: list[Problem], origin: dict[str, str]) -> list[Problem]:
    """Problems found on canonical fields, pointed back at the user's own column headers."""
    return [replace(p, column=origin.get(p.column, p.column)) for p in problems]


def detect_shape(targets: list[str]) -> str:
    if any("=" in t for t in targets):
        return "wide"
    if "count" in targets or "total" in targets:
        return "long"
    return "records"


def unmapped_warning(columns: dict[str, str | None]) -> list[Problem]:
    unmapped = [h for h, t in columns.items() if not t]
    return [warning("unmapped_columns", value=", ".join(unmapped))] if unmapped else []


def formula_cells(frame: pd.DataFrame, origin: dict[str, str]) -> list[Problem]:
    problems = []
    for name in frame.columns:
        text = frame[name]
        hits = text[text.str.strip().str.startswith(_FORMULA_START)]
        problems += [error("formula_in_cell", row=int(r), column=origin[name], value=v)
                     for r, v in hits.items()]
    return problems


def check_cells(text: pd.Series, read: Callable[[str], object], code: str, column: str,
           **params: object) -> tuple[pd.Series, list[Problem]]:
    """Apply ``read`` to each distinct cell; a cell it cannot read becomes a problem."""
    table = {value: read(value) for value in text.drop_duplicates()}
    parsed = text.map(table)
    bad = parsed.isna()
    problems = [error(code, row=int(r), column=column, value=text[r], **params)
                for r in text.index[bad][:MAX_PROBLEMS]]
    return parsed, problems


def or_total(read: Callable[[str], object]) -> Callable[[str], object]:
    return lambda value: TOTAL if is_total_label(value) else read(value)


def first_per_cell(problems: list[Problem]) -> list[Problem]:
    seen, kept = set(), []
    for problem in problems:
        key = (problem.row, problem.column)
        if problem.row is None or key not in seen:
            seen.add(key)
            kept.append(problem)
    return sorted(kept, key=lambda p: (p.row or 0, p.column or ""))


def capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return problems[:MAX_PROBLEMS] + [error("too_many_problems", more=len(problems) - MAX_PROBLEMS)]


def dimensions_present(parsed: pd.DataFrame, profile: MappingProfile) -> dict[str, Dimension]:
    catalogue = profile.dimension_catalogue()
    names = [c.split("=")[0] for c in parsed.columns if c in catalogue or "=" in c]
    return {name: catalogue[name] for name in dict.fromkeys(names)}


def control_totals(detail: pd.DataFrame, totals: pd.DataFrame, keys: list[str],
                    value_columns: list[str]) -> list[Problem]:
    """Each total row must equal the sum of the detail rows it covers; it is never counted."""
    problems = []
    for row, total in totals.iterrows():
        covered = pd.Series(True, index=detail.index)
        for key in keys:
            if key in detail and total[key] != TOTAL:
                covered &= detail[key] == total[key]
        for column in value_columns:
            expected = int(detail.loc[covered, column].sum())
            if expected != int(total[column]):
                problems.append(error("control_total_mismatch", row=int(row), column=column,
                                      value=str(total[column]), expected=expected))
    return problems


@dataclass
class Source:
    """Text of each canonical field, and the header (or constant) it came from."""

    frame: pd.DataFrame
    origin: dict[str, str]


def source_fields(cells: pd.DataFrame, mapped: dict[str, str], profile: MappingProfile,
                  default_zone: str | None, shape: str,
                  required: list[str]) -> tuple[Source, list[Problem]]:
    """The mapped columns under canonical names, with constants and the zone filled in."""
    frame = pd.DataFrame({t: cells[h].astype(str) for h, t in mapped.items()}, index=cells.index)
    origin = dict(zip(mapped.values(), mapped.keys()))
    for name, value in profile.constants.items():
        if name not in frame:
            frame[name], origin[name] = str(value), f"[{name}]"
    if "zone" not in frame:
        frame["zone"], origin["zone"] = default_zone or UNSPECIFIED_ZONE, "[zone]"
    if shape == "long" and "count" not in frame and "total" in frame:
        frame = frame.rename(columns={"total": "count"})
        origin["count"] = origin.pop("total")
    problems = [error("missing_column", column=name) for name in required if name not in frame]
    if origin["zone"] == "[zone]" and not default_zone and "zone" not in profile.constants:
        problems.append(warning("no_zone_column", value=UNSPECIFIED_ZONE))
    if not any(t in profile.dimension_catalogue() or "=" in t for t in frame):
        problems.append(error("no_dimension_column"))
    problems += formula_cells(frame, origin)
    return Source(frame, origin), problems


def groups_and_counts(frame: pd.DataFrame, origin: dict[str, str], profile: MappingProfile,
                      shape: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The group columns read into codes and the count columns into numbers.

    In the aggregated shapes a group cell may read Total: that row is a control total.
    """
    parsed = pd.DataFrame(index=frame.index)
    problems: list[Problem] = []
    catalogue = profile.dimension_catalogue()
    for name in [c for c in frame.columns if c in catalogue]:
        dimension = catalogue[name]
        read = dimension.code_for if shape == "records" else or_total(dimension.code_for)
        parsed[name], found = check_cells(frame[name], read, "unknown_group", origin[name],
                                          dimension=name, accepted=", ".join(dimension.values))
        problems += found
    for name in [c for c in frame.columns if c in ("count", "total") or "=" in c]:
        parsed[name], found = check_cells(frame[name], parse_count, "bad_count", origin[name])
        problems += found
    return parsed, problems
