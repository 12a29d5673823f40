"""Progress towards a target: the actual series against the straight path to it.

A target is a goal with a path, not a pass/fail quota. For each period *t* with a visible
share *s_t*:

- ``path`` = the straight line from the baseline share *s_0* (at the baseline period, or the
  first period when none is given) on the baseline date to the target share *T* on the deadline;
- ``gap_pp`` = (*s_t* − *T*) × 100;
- ``status`` at the latest period: ``reached`` when *s_t* ≥ *T*; ``on_track`` when *s_t* is on
  or above the path; ``behind`` otherwise;
- ``gap_change_pp``: how the gap moved since the previous period with a visible share.

Shares come from protected tables, so a hidden share leaves a hole, never a number.

>>> series = pd.DataFrame({"period": ["2022-12-31", "2024-12-31"], "share": [0.05, 0.07]})
>>> table = target_progress(series, 0.10, "2026-12-31", "2022-12-31")
>>> [round(p, 3) for p in table["path"]], table["status"].iloc[-1]
([0.05, 0.075], 'behind')
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from cpwb_stats.i18n import LANGUAGES, translate
from cpwb_stats.ingest.cell_values import parse_period
from cpwb_stats.measures.retention import period_key
from cpwb_stats.problems import Localised, Problem, accepted_labels, error
from cpwb_stats.terms.labels import dimension_label, group_label, scope_label
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_stats.terms.vocabulary import Dimension

FLOWS = ("hires", "applicants", "promotions")


def _when(period: str) -> pd.Timestamp:
    text = parse_period(str(period)) or str(period)
    if len(text) == 7:
        return pd.Timestamp(f"{text}-01") + pd.offsets.MonthEnd(0)
    return pd.Timestamp(period_key(text))


def target_progress(series: pd.DataFrame, target_share: float, deadline: str,
                    baseline_period: str | None = None) -> pd.DataFrame:
    """``period, share, path, gap_pp, gap_change_pp, status`` (status on the latest row)."""
    visible = series.dropna(subset=["share"]).sort_values("period", key=lambda p: p.map(
        period_key)).reset_index(drop=True)
    if visible.empty:
        return visible.assign(path=None, gap_pp=None, gap_change_pp=None, status=None)
    baseline = baseline_period or visible["period"].iloc[0]
    at_baseline = visible[visible["period"] == baseline]
    start = at_baseline["share"].iloc[0] if not at_baseline.empty else visible["share"].iloc[0]
    begin, end = _when(baseline), _when(deadline)
    span = (end - begin).days or 1
    elapsed = visible["period"].map(lambda p: min(max((_when(p) - begin).days / span, 0), 1))
    path = start + (target_share - start) * elapsed
    gap = (visible["share"] - target_share) * 100
    status = pd.Series(None, index=visible.index, dtype=object)
    latest = visible.index[-1]
    share = visible.at[latest, "share"]
    status[latest] = ("reached" if share >= target_share else
                      "on_track" if share >= path[latest] - 1e-12 else "behind")
    return visible.assign(path=path, gap_pp=gap, gap_change_pp=gap.diff(), status=status)


def stock_series(representation: pd.DataFrame, zone: str, dimension: str, group: str,
                 scope: str, ladder: Ladder) -> pd.DataFrame:
    """The group's share over periods for a rank, a staff category or the whole zone."""
    if scope == ALL:
        chosen = (representation["staff_category"] == ALL)
    elif scope in ladder.categories:
        chosen = (representation["staff_category"] == scope) & (representation["rank"] == ALL)
    else:
        chosen = representation["rank"] == scope
    rows = representation[chosen & (representation["zone"] == zone)
                          & (representation["dimension"] == dimension)
                          & (representation["group"] == group)]
    return rows[["period", "share", "count", "declared"]].reset_index(drop=True)


def flow_series(movements: pd.DataFrame, flow: str, dimension: Dimension,
                group: str) -> pd.DataFrame:
    """The group's share of hires or promotions per year (of those with a declared answer)."""
    kind = {"hires": "hire", "promotions": "promotion"}[flow]
    rows = movements[(movements["movement"] == kind) & (movements["dimension"] == dimension.name)
                     & movements["group"].isin(dimension.declared)]
    rows = rows.assign(period=rows["period"].str[:4])
    total = rows.groupby("period")["count"].sum()
    mine = rows[rows["group"] == group].groupby("period")["count"].sum()
    frame = pd.DataFrame({"count": mine.reindex(total.index, fill_value=0), "declared": total})
    return frame.assign(share=frame["count"] / frame["declared"]).reset_index()


def applicant_series(applicants: pd.DataFrame, dimension: Dimension, group: str,
                     first_stage: str) -> pd.DataFrame:
    """The group's share of applicants per campaign (those with a declared answer)."""
    rows = applicants[(applicants["stage"] == first_stage)
                      & (applicants["dimension"] == dimension.name)
                      & applicants["group"].isin(dimension.declared)]
    total = rows.groupby("campaign")["entered"].sum()
    mine = rows[rows["group"] == group].groupby("campaign")["entered"].sum()
    frame = pd.DataFrame({"count": mine.reindex(total.index, fill_value=0), "declared": total})
    return (frame.assign(share=frame["count"] / frame["declared"]).reset_index()
            .rename(columns={"campaign": "period"}))


_HEADERS = {"dimension": "representation.dimension", "group": "representation.group",
            "scope": "targets.scope", "target_share": "targets.target_share_percent",
            "deadline": "targets.deadline"}


def check_targets(targets: pd.DataFrame, dimensions: dict[str, Dimension],
                  ladder: Ladder) -> list[Problem]:
    """Every row of an edited targets table names a known group and scope, a share and a date.

    An empty cell is one problem that names its column; a value not accepted lists what is, as
    the reader's language says it (labels, never codes).
    """
    scopes = [ALL, *ladder.categories, *ladder.rank_codes, *FLOWS]
    problems = []
    for row_number, row in enumerate(targets.itertuples(index=False), start=1):
        empty = [name for name in _HEADERS if _is_empty(getattr(row, name))]
        problems += [error("target_missing", row=row_number, column=name,
                           field=Localised({language: translate(_HEADERS[name], language)
                                            for language in LANGUAGES})) for name in empty]
        dimension = dimensions.get(row.dimension)
        if "dimension" in empty:
            pass
        elif dimension is None:
            problems.append(error("target_bad_dimension", row=row_number, value=row.dimension,
                                  accepted=accepted_labels(dimensions, dimension_label)))
        elif "group" not in empty and row.group not in dimension.declared:
            problems.append(error("target_bad_group", row=row_number, value=row.group,
                                  accepted=accepted_labels(dimension.declared, partial(
                                      group_label, row.dimension))))
        if "scope" not in empty and row.scope not in scopes:
            problems.append(error("target_bad_scope", row=row_number, value=row.scope,
                                  accepted=accepted_labels(scopes, partial(_scope_label, ladder))))
        if "target_share" not in empty and not 0 < float(row.target_share) <= 1:
            problems.append(error("target_bad_share", row=row_number, value=row.target_share))
        if "deadline" not in empty and not _is_period(row.deadline):
            problems.append(error("target_bad_deadline", row=row_number, value=row.deadline))
    return problems


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        not isinstance(value, str) and pd.isna(value))


def _scope_label(ladder: Ladder, scope: str, language: str) -> str:
    return (translate(f"targets.flow_{scope}", language) if scope in FLOWS
            else scope_label(ladder, scope, language))


def _is_period(value: object) -> bool:
    return isinstance(value, str) and parse_period(value) is not None
