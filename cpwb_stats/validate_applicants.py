"""Validate an applicants extract (a recruitment campaign) and normalise it to stage counts.

Records: one row per candidate with the furthest stage entered and the outcome there; a
candidate who reached stage *s* entered every stage before it. Long: a count of people who
entered each stage per group. Wide: one row per stage, a count column per group. In the
aggregated shapes a stage may not count more people than the stage before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cpwb_stats.checks import (
    TOTAL,
    ValidationReport,
    capped,
    check_cells,
    control_totals,
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
from cpwb_stats.identifiers import find_identifiers
from cpwb_stats.load import RawTable
from cpwb_stats.mapping import MappingProfile, propose_columns
from cpwb_stats.problems import Problem, accepted_labels, error, warning
from cpwb_stats.schemas import APPLICANT_KEYS, ApplicantCounts
from cpwb_stats.stages import StageLadder, outcome_code
from cpwb_stats.vocabulary import UNDISCLOSED, Dimension

KIND = "applicants"


@dataclass(frozen=True)
class ApplicantsExtract:
    """Stage counts (see :class:`ApplicantCounts`) and the stages the file measured."""

    counts: pd.DataFrame
    shape: str
    stages: StageLadder
    measured: tuple[str, ...]
    dimensions: dict[str, Dimension]


def validate_applicants(raw: RawTable, profile: MappingProfile | None = None,
                        default_zone: str | None = None) -> ValidationReport:
    """Check every row of an applicants table and, when all is well, count entries per stage."""
    profile = profile or MappingProfile(kind=KIND)
    rows = len(raw.cells)
    columns = propose_columns(list(raw.cells.columns), profile)
    identifiers = find_identifiers(raw.cells, [h for h, t in columns.items() if t])
    mapped = {h: t for h, t in columns.items() if t}
    shape = profile.shape or detect_shape(list(mapped.values()))
    kind_problems = wrong_kind(KIND, mapped)
    if kind_problems:
        return failed(identifiers + kind_problems + unmapped_warning(columns), rows, shape,
                      columns, KIND)
    if shape == "records":
        mapped = {h: ("stage_reached" if t == "stage" else t) for h, t in mapped.items()}
    stage_field = "stage_reached" if shape == "records" else "stage"
    required = ["campaign", stage_field] + (["count"] if shape == "long" else [])
    source, problems = source_fields(raw.cells, mapped, profile, default_zone, shape, required)
    warnings = unmapped_warning(columns) + [p for p in problems if p.severity == "warning"]
    errors = [p for p in problems if p.severity == "error"]
    if structural(errors):
        return failed(identifiers + errors + warnings, rows, shape, columns, KIND)
    source, found = read_blanks(source, profile, shape)
    errors += [p for p in found if p.severity == "error"]
    warnings += [p for p in found if p.severity == "warning"]
    stages = profile.resolve_stages()
    parsed, problems = _parse(source, profile, shape, stages, stage_field)
    problems = first_per_cell(errors + problems)
    dimensions = dimensions_present(parsed, profile)
    if not problems and not identifiers:
        build = {"records": _from_records, "long": _from_long, "wide": _from_wide}[shape]
        counts, more = build(parsed, dimensions, stages)
        problems += named_by_source(more, source.origin)
    if identifiers or any(p.severity == "error" for p in problems):
        return failed(identifiers + capped(problems) + warnings, rows, shape, columns, KIND)
    measured = _measured(counts, stages, shape)
    extract = ApplicantsExtract(ApplicantCounts.validate(counts), shape, stages, measured,
                                dimensions)
    total_rows = int((parsed[["zone", stage_field]] == TOTAL).any(axis=1).sum())
    return ValidationReport(True, KIND, shape, rows - total_rows, (),
                            tuple(warnings + problems), extract, columns)


def _parse(source, profile: MappingProfile, shape: str, stages: StageLadder,
           stage_field: str) -> tuple[pd.DataFrame, list[Problem]]:
    frame, origin = source.frame, source.origin
    out = pd.DataFrame(index=frame.index)
    problems: list[Problem] = []
    out["campaign"], found = check_cells(frame["campaign"], lambda v: v.strip() or None,
                                         "missing_campaign", origin["campaign"])
    problems += found
    zone = lambda v: v.strip() or None  # noqa: E731
    out["zone"], found = check_cells(frame["zone"], zone if shape == "records" else or_total(zone),
                                     "missing_zone",
                                     origin["zone"])
    problems += found
    values = profile.values.get("stage", {}) | profile.values.get("stage_reached", {})

    def read_stage(value: str) -> str | None:
        return stages.code_for(values.get(value.strip(), value))

    read = read_stage if shape == "records" else or_total(read_stage)
    out[stage_field], found = check_cells(
        frame[stage_field], read, "unknown_stage", origin[stage_field],
        accepted=accepted_labels(stages.codes, stages.label))
    problems += found
    groups, found = groups_and_counts(frame, origin, profile, shape)
    out = out.join(groups)
    problems += found
    if shape == "records" and "outcome" in frame:
        out["outcome"], found = check_cells(frame["outcome"], outcome_code, "unknown_outcome",
                                            origin["outcome"])
        problems += found
        problems += _passed_only_at_the_end(out, stages, origin)
    return out, first_per_cell(problems)


def _passed_only_at_the_end(out: pd.DataFrame, stages: StageLadder,
                            origin: dict[str, str]) -> list[Problem]:
    early = (out["outcome"] == "passed") & (out["stage_reached"] != stages.codes[-1])
    return [error("passed_before_last_stage", row=int(r), column=origin["outcome"],
                  value="passed", stage=out.at[r, "stage_reached"], last=stages.codes[-1])
            for r in out.index[early & out["stage_reached"].notna()]]


def _entered_from_reached(reached: pd.DataFrame, stages: StageLadder) -> pd.DataFrame:
    """People who reached stage s or beyond entered s: a reversed cumulative sum over stages."""
    keys = [c for c in reached.columns if c not in ("stage", "entered")]
    wide = reached.pivot_table(index=keys, columns="stage", values="entered", aggfunc="sum",
                               fill_value=0).reindex(columns=list(stages.codes), fill_value=0)
    entered = wide.iloc[:, ::-1].cumsum(axis=1).iloc[:, ::-1]
    return entered.reset_index().melt(id_vars=keys, var_name="stage", value_name="entered")


def _from_records(parsed: pd.DataFrame, dimensions: dict[str, Dimension], stages: StageLadder):
    pieces = []
    for name in dimensions:
        reached = (parsed.groupby([*APPLICANT_KEYS, name, "stage_reached"], as_index=False)
                   .size().rename(columns={name: "group", "stage_reached": "stage",
                                           "size": "entered"}))
        pieces.append(_entered_from_reached(reached, stages).assign(dimension=name))
    problems = []
    if "outcome" in parsed and (parsed["outcome"] == "pending").any():
        problems.append(warning("pending_candidates",
                                value=str(int((parsed["outcome"] == "pending").sum()))))
    return _canonical(pd.concat(pieces, ignore_index=True)), problems


def _from_long(parsed: pd.DataFrame, dimensions: dict[str, Dimension], stages: StageLadder):
    keys = [*APPLICANT_KEYS, "stage", *dimensions]
    is_total = (parsed[keys] == TOTAL).any(axis=1)
    detail = parsed[~is_total]
    checked = control_totals(detail, parsed[is_total], keys, ["count"])
    pieces = [detail.groupby([*APPLICANT_KEYS, "stage", name], as_index=False)["count"].sum()
              .rename(columns={name: "group", "count": "entered"}).assign(dimension=name)
              for name in dimensions]
    counts = _canonical(pd.concat(pieces, ignore_index=True))
    return counts, checked + _stage_never_grows(counts, detail, stages)


def _from_wide(parsed: pd.DataFrame, dimensions: dict[str, Dimension], stages: StageLadder):
    keys = [*APPLICANT_KEYS, "stage"]
    is_total = (parsed[keys] == TOTAL).any(axis=1)
    detail = parsed[~is_total]
    columns = [c for c in parsed.columns if "=" in c or c == "total"]
    problems, pieces = control_totals(detail, parsed[is_total], keys, columns), []
    for name in dimensions:
        columns = [c for c in detail.columns if c.startswith(f"{name}=")]
        values = detail[columns].astype("int64").rename(columns=lambda c: c.split("=", 1)[1])
        given = values.sum(axis=1)
        total = detail["total"].astype("int64") if "total" in detail else given
        problems += [error("dimension_exceeds_total", row=int(r), dimension=name,
                           value=str(given[r]), total=int(total[r]))
                     for r in detail.index[given > total]]
        values[UNDISCLOSED] = values.get(UNDISCLOSED, 0) + (total - given).clip(lower=0)
        long = detail[[*APPLICANT_KEYS, "stage"]].join(values).melt(
            id_vars=[*APPLICANT_KEYS, "stage"], var_name="group", value_name="entered")
        pieces.append(long.assign(dimension=name))
    counts = _canonical(pd.concat(pieces, ignore_index=True))
    return counts, problems + _stage_never_grows(counts, detail, stages)


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["campaign", "zone", "stage", "dimension", "group"]
    summed = frame.groupby(columns, as_index=False)["entered"].sum()
    return summed[columns + ["entered"]]


def _stage_never_grows(counts: pd.DataFrame, detail: pd.DataFrame,
                       stages: StageLadder) -> list[Problem]:
    """A stage cannot count more people than the stage before it (per group)."""
    order = {code: i for i, code in enumerate(stages.codes)}
    ordered = counts.assign(_order=counts["stage"].map(order)).sort_values("_order")
    problems = []
    for (campaign, zone, dimension, group), part in ordered.groupby(
            ["campaign", "zone", "dimension", "group"]):
        previous = part.shift(1)
        grown = part["entered"] > previous["entered"]
        for index in part.index[grown.fillna(False)]:
            stage, earlier = part.at[index, "stage"], previous.at[index, "stage"]
            rows = detail.index[(detail["stage"] == stage) & (detail["campaign"] == campaign)
                                & (detail["zone"] == zone)]
            problems.append(error(
                "stage_exceeds_previous", row=int(rows[0]) if len(rows) else None,
                column=f"{dimension}={group}", value=str(part.at[index, "entered"]),
                stage=stage, previous=earlier, previous_count=int(previous.at[index, "entered"])))
    return problems


def _measured(counts: pd.DataFrame, stages: StageLadder, shape: str) -> tuple[str, ...]:
    """The stages the file speaks of: every stage for records, those present otherwise."""
    if shape == "records":
        return stages.codes
    present = set(counts["stage"])
    return tuple(code for code in stages.codes if code in present)
