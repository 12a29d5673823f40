"""The applicants contract: a recruitment campaign, counted as people entering each stage.

Records: one row per candidate with the furthest stage entered and the outcome there; a
candidate who reached stage *s* entered every stage before it. Long: a count of people who
entered each stage per group. Wide: one row per stage, a count column per group. In the
aggregated shapes a stage may not count more people than the stage before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cpwb_stats.contract.checks import TOTAL, control_totals
from cpwb_stats.contract.engine import GROUPS, Contract, Field, Run, stripped
from cpwb_stats.problems import Problem, accepted_labels, error, warning
from cpwb_stats.terms.schemas import APPLICANT_KEYS, ApplicantCounts
from cpwb_stats.terms.stages import StageLadder, outcome_code
from cpwb_stats.terms.vocabulary import UNDISCLOSED, Dimension

KIND = "applicants"


@dataclass(frozen=True)
class ApplicantsExtract:
    """Stage counts (see :class:`ApplicantCounts`) and the stages the file measured."""

    counts: pd.DataFrame
    shape: str
    stages: StageLadder
    measured: tuple[str, ...]
    dimensions: dict[str, Dimension]


def _stages(run: Run) -> dict[str, object]:
    return {"stages": run.profile.resolve_stages()}


def _stage(run: Run):
    stages = run.context["stages"]
    values = run.profile.values.get("stage", {}) | run.profile.values.get("stage_reached", {})
    return lambda value: stages.code_for(values.get(value.strip(), value))


def _stage_labels(run: Run):
    stages = run.context["stages"]
    return accepted_labels(stages.codes, stages.label)


def passed_only_at_the_end(run: Run) -> list[Problem]:
    """A candidate passed the procedure only by reaching its last stage."""
    out, stages, origin = run.parsed, run.context["stages"], run.origin
    if "outcome" not in out:
        return []
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
    return counts, checked


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
    return counts, problems


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["campaign", "zone", "stage", "dimension", "group"]
    summed = frame.groupby(columns, as_index=False)["entered"].sum()
    return summed[columns + ["entered"]]


def stages_never_grow(run: Run) -> list[Problem]:
    """In the counted shapes a stage counts no more people than the stage before it, per group.

    Records need no check: entries are made from the furthest stage each candidate reached.
    """
    if run.shape == "records":
        return []
    keys = [*APPLICANT_KEYS, "stage", *(d for d in run.dimensions if d in run.parsed)]
    detail = run.parsed[~(run.parsed[keys] == TOTAL).any(axis=1)]
    return _stage_never_grows(run.counts, detail, run.context["stages"])


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


def _built(build):
    """A shape's count builder, called with what the run has found."""
    return lambda run: build(run.parsed, run.dimensions, run.context["stages"])


def _extract(run: Run) -> ApplicantsExtract:
    stages = run.context["stages"]
    return ApplicantsExtract(run.counts, run.shape, stages,
                             _measured(run.counts, stages, run.shape), run.dimensions)


def _rows(run: Run) -> int:
    stage = "stage_reached" if run.shape == "records" else "stage"
    return len(run.raw.cells) - int((run.parsed[["zone", stage]] == TOTAL).any(axis=1).sum())


EVERY_SHAPE = frozenset({"records", "long", "wide"})

APPLICANTS_CONTRACT = Contract(
    kind=KIND,
    fields=(
        Field("campaign", required=EVERY_SHAPE, read=stripped, problem="missing_campaign"),
        Field("zone", read=stripped, problem="missing_zone", totals=True),
        Field("stage", required=EVERY_SHAPE, read=_stage, problem="unknown_stage",
              accepted=_stage_labels, totals=True),
        Field("count", required=frozenset({"long"})),
        Field(GROUPS),
        Field("outcome", read=lambda run: outcome_code, problem="unknown_outcome",
              shapes=frozenset({"records"})),
    ),
    rules=(passed_only_at_the_end,),
    count_rules=(stages_never_grow,),
    schema=ApplicantCounts,
    counts={"records": _built(_from_records), "long": _built(_from_long),
            "wide": _built(_from_wide)},
    extract=_extract,
    rows=_rows,
    context=_stages,
    shape_fields={"records": {"stage": "stage_reached"}},
)
