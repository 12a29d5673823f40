"""One entry point per task: file bytes in, a validation report and protected tables out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import pandas as pd

from cpwb_stats.disclosure import (
    DisclosurePolicy,
    protect_breakdown,
    protect_comparison,
    protect_curve,
    protect_funnel,
    protect_representation,
    protect_retention,
)
from cpwb_stats.funnel import funnel_impact
from cpwb_stats.ingest import validate_file
from cpwb_stats.mapping import MappingProfile
from cpwb_stats.problems import ExtractRejected, error
from cpwb_stats.representation import combine_zones, representation_by_rank
from cpwb_stats.retention import leave_reasons, leaver_rates, promotion_rates
from cpwb_stats.schemas import KEYS
from cpwb_stats.survival import (
    NeedsTwoSnapshots,
    cumulative_incidence,
    logrank_test,
    observations,
    retention_at,
    retention_by_group,
)
from cpwb_stats.validate import ValidationReport, WorkforceExtract
from cpwb_stats.validate_applicants import ApplicantsExtract
from cpwb_stats.validate_movements import MovementsExtract

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from cpwb_stats.access import Actor
    from cpwb_stats.workspace import StoredVersion


@dataclass(frozen=True)
class RepresentationRequest:
    dimension: str | None = None
    combine_zones: bool = False
    denominator: str = "declared"
    policy: DisclosurePolicy = DisclosurePolicy()


def protected_representation(extract: WorkforceExtract,
                             request: RepresentationRequest) -> pd.DataFrame:
    """Representation by rank after disclosure control: the only form that leaves the package."""
    _check_dimension(extract, request.dimension)
    counts = combine_zones(extract.counts) if request.combine_zones else extract.counts
    table = representation_by_rank(counts, extract.dimensions, extract.ladder,
                                   request.dimension, request.denominator)
    return protect_representation(table, request.policy)


def protected_comparison(extract: WorkforceExtract,
                         request: RepresentationRequest) -> pd.DataFrame:
    """Every zone side by side and all of them summed (zone 'all'), protected together."""
    _check_dimension(extract, request.dimension)
    measure = partial(representation_by_rank, dimensions=extract.dimensions,
                      ladder=extract.ladder, dimension=request.dimension,
                      denominator=request.denominator)
    return protect_comparison(measure(extract.counts), measure(combine_zones(extract.counts)),
                              request.policy)


def _check_dimension(extract, dimension: str | None) -> None:
    if dimension is not None and dimension not in extract.dimensions:
        raise ExtractRejected([error("dimension_not_in_file", value=dimension,
                                     accepted=", ".join(extract.dimensions))])


@dataclass(frozen=True)
class FunnelRequest:
    dimension: str | None = None
    reference: str = "highest"
    pooled: bool = False
    policy: DisclosurePolicy = DisclosurePolicy()


def protected_funnel(extract: ApplicantsExtract, request: FunnelRequest) -> pd.DataFrame:
    """The funnel after disclosure control; pooled CMH rows appended on request."""
    dimension = _funnel_dimension(extract, request.dimension)
    table = funnel_impact(extract.counts, dimension, extract.stages, extract.measured,
                          request.reference)
    return protect_funnel(table, request.policy, request.reference, request.pooled)


def _funnel_dimension(extract: ApplicantsExtract, name: str | None):
    if name is None:
        name = "migration_background" if "migration_background" in extract.dimensions else next(
            iter(extract.dimensions))
    if name not in extract.dimensions:
        raise ExtractRejected([error("dimension_not_in_file", value=name,
                                     accepted=", ".join(extract.dimensions))])
    return extract.dimensions[name]


def store_file(engine: Engine, actor: Actor, content: bytes, filename: str,
               profile: MappingProfile | None = None, default_zone: str | None = None,
               kind: str = "workforce") -> tuple[ValidationReport, list[StoredVersion]]:
    """Validate a file and, only when it has no errors, store it as new versions."""
    from cpwb_stats.workspace import UploadedFile, store_extract

    report = validate_file(content, filename, profile, default_zone, kind)
    if not report.valid:
        return report, []
    profile = profile or MappingProfile(kind=kind)
    return report, store_extract(engine, actor, report.extract,
                                 UploadedFile(content, filename, profile))


@dataclass(frozen=True)
class RetentionRequest:
    dimension: str | None = None
    reference: str | None = None
    policy: DisclosurePolicy = DisclosurePolicy()


def protected_retention(workforce: WorkforceExtract, movements: MovementsExtract,
                        request: RetentionRequest) -> pd.DataFrame:
    """Leaver and resignation rates after disclosure control."""
    _check_dimension(workforce, request.dimension)
    table = leaver_rates(workforce.counts, movements.counts, workforce.dimensions,
                         request.dimension, request.reference)
    return protect_retention(table, request.policy,
                             hidden_stocks(workforce, request.dimension, request.policy))


def hidden_stocks(workforce: WorkforceExtract, dimension: str | None,
                  policy: DisclosurePolicy) -> set[tuple]:
    """The headcounts the representation pages hide: other tables hide them too."""
    if not policy.active:
        return set()
    table = protect_representation(representation_by_rank(
        workforce.counts, workforce.dimensions, workforce.ladder, dimension), policy)
    hidden = table[table["count"].isna()]
    return {tuple(k) for k in hidden[KEYS + ["dimension", "group"]].itertuples(index=False)}


def protected_survival(workforce: WorkforceExtract, movements: MovementsExtract,
                       request: RetentionRequest) -> pd.DataFrame:
    """Kaplan-Meier retention by group, every step showing at least k leavers.

    Needs ``entry_year`` in the workforce file (people per entry year) and in the movements.
    """
    dimensions = [request.dimension] if request.dimension else list(workforce.dimensions)
    pieces = []
    for name in dimensions:
        people = protect_curve(_cohort_people(workforce, movements, name), request.policy)
        pieces.append(retention_by_group(people).assign(dimension=name))
    table = pd.concat(pieces, ignore_index=True)
    return table[["dimension", "group", "years", "retention", "ci_low", "ci_high", "at_risk",
                  "events"]]


@dataclass(frozen=True)
class CohortRetention:
    """Kaplan-Meier curves, 1/3/5-year retention, the log-rank test, incidence by reason."""

    curves: pd.DataFrame
    milestones: pd.DataFrame
    logrank_statistic: float
    logrank_p: float
    incidence: pd.DataFrame


def protected_cohorts(workforce: WorkforceExtract, movements: MovementsExtract,
                      dimension: str, policy: DisclosurePolicy) -> CohortRetention:
    """Cohort retention by group for one dimension, every step showing at least k leavers.

    Curves, the log-rank test and the incidence by reason are all computed from the same
    protected observations; the 1/3/5-year values are read off the protected curves, so they
    show nothing the curves do not.
    """
    people = _cohort_people(workforce, movements, dimension)
    people = people[people["group"].map(workforce.dimensions[dimension].is_declared)]
    protected = protect_curve(people, policy)
    curves = retention_by_group(protected)
    statistic, p = logrank_test(protected)
    incidence = cumulative_incidence(protect_curve(people, policy, by_reason=True))
    return CohortRetention(curves, retention_at(curves), statistic, p, incidence)


def _cohort_people(workforce: WorkforceExtract, movements: MovementsExtract,
                   dimension: str) -> pd.DataFrame:
    """The observations behind cohort retention (to be protected with ``protect_curve``).

    Refused, with a message saying what is needed, without entry years or with one snapshot.
    """
    if workforce.entries is None:
        raise ExtractRejected([error("survival_needs_entry_year")])
    try:
        people = observations(workforce.entries, movements.counts, dimension)
    except NeedsTwoSnapshots as single:
        raise ExtractRejected([error("survival_needs_two_snapshots", period=str(single))]) from None
    return people


def protected_reasons(movements: MovementsExtract, dimension: str,
                      policy: DisclosurePolicy) -> pd.DataFrame:
    """Leavers per reason and group, small counts hidden."""
    return protect_breakdown(leave_reasons(movements.counts, dimension), "count",
                             ["zone", "group"], policy, derived=("share",))


def protected_promotions(workforce: WorkforceExtract, movements: MovementsExtract,
                         dimension: str, policy: DisclosurePolicy) -> pd.DataFrame:
    """Promotion rates by group, small counts hidden (promotions and the headcount below)."""
    table = promotion_rates(workforce.counts, movements.counts, workforce.ladder, dimension)
    table = protect_breakdown(table, "promotions", ["period", "zone", "rank"], policy,
                              derived=("promotion_rate",))
    small_base = table["start_headcount"].map(policy.is_small) | (
        table["start_headcount"] < policy.min_cell)
    return table.assign(start_headcount=table["start_headcount"].astype("Int64").mask(small_base),
                        promotion_rate=table["promotion_rate"].mask(small_base),
                        suppressed=table["suppressed"] | small_base)
