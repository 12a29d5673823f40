"""One entry point per task: file bytes in, a validation report and protected tables out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from cpwb_stats.contract.extracts import validate_file
from cpwb_stats.contract.validate import ValidationReport, WorkforceExtract
from cpwb_stats.contract.validate_applicants import ApplicantsExtract
from cpwb_stats.contract.validate_movements import MovementsExtract
from cpwb_stats.disclosure.control import (
    MERGEABLE,
    OTHER_OR_NOT_STATED,
    DisclosurePolicy,
    band_from_code,
    merge_small_categories,
    protect_breakdown,
    protect_comparison,
    protect_curve,
    protect_funnel,
    protect_representation,
)
from cpwb_stats.disclosure.flows import (
    DECLARED_TOTAL,
    RANK_TOTAL,
    funnel_hidden,
    protect_flows,
)
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.measures.funnel import funnel_impact
from cpwb_stats.measures.representation import COMBINED_ZONE, combine_zones, representation_by_rank
from cpwb_stats.measures.retention import leave_reasons, leaver_rates, promotion_rates
from cpwb_stats.measures.survival import (
    NeedsTwoSnapshots,
    cumulative_incidence,
    logrank_test,
    observations,
    retention_at,
    retention_by_group,
)
from cpwb_stats.problems import ExtractRejected, error
from cpwb_stats.terms.ladders import ALL
from cpwb_stats.terms.schemas import KEYS

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from cpwb_stats.workspace.access import Actor
    from cpwb_stats.workspace.versions import StoredVersion


@dataclass(frozen=True)
class RepresentationRequest:
    dimension: str | None = None
    combine_zones: bool = False
    denominator: str = "declared"
    policy: DisclosurePolicy = DisclosurePolicy()


def protected_representation(extract: WorkforceExtract,
                             request: RepresentationRequest) -> pd.DataFrame:
    """Representation by rank after disclosure control: the only form that leaves the package.

    Every dimension is protected together and then the one asked for is kept, so the pattern
    of hidden cells does not depend on which dimension is looked at. With ``combine_zones``
    the zones' sum is shown as in the comparison of zones (only what every zone shows).
    """
    _check_dimension(extract, request.dimension)
    if request.combine_zones:
        table = protected_comparison(extract, request)
        table = table[table["zone"] == COMBINED_ZONE].reset_index(drop=True)
    else:
        table = protect_representation(_zone_tables(extract, request)[0], request.policy)
    _check_floor(table, request.policy)
    return _only(table, request.dimension)


def protected_comparison(extract: WorkforceExtract,
                         request: RepresentationRequest) -> pd.DataFrame:
    """Every zone as on its own page, and all of them summed (zone 'all') from what they show."""
    _check_dimension(extract, request.dimension)
    table = protect_comparison(*comparison_tables(extract, request), request.policy)
    _check_floor(table, request.policy)
    return _only(table, request.dimension)


def comparison_tables(extract: WorkforceExtract,
                      request: RepresentationRequest) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables compared, before protection: each zone's own table (small groups merged as
    its page merges them) and their sum (zone 'all', a group merged where any zone merged it)."""
    by_zone, dimensions = _zone_tables(extract, request)
    counts = extract.counts
    for name, dimension in dimensions.items():
        if dimension != extract.dimensions[name]:
            merged = (counts["dimension"] == name) & counts["group"].isin(MERGEABLE)
            counts = counts.assign(group=counts["group"].mask(merged, OTHER_OR_NOT_STATED))
    combined = representation_by_rank(combine_zones(counts), dimensions, extract.ladder,
                                      None, request.denominator)
    return by_zone, combined


def _zone_tables(extract: WorkforceExtract, request: RepresentationRequest):
    """Each zone's unprotected table, small categories merged as its own page merges them;
    and the dimensions with every merge any zone made (for the sum of the zones)."""
    tables, dimensions = [], dict(extract.dimensions)
    for _, counts in extract.counts.groupby("zone", sort=False):
        merged_counts, merged = merge_small_categories(counts, extract.dimensions,
                                                       request.policy)
        tables.append(representation_by_rank(merged_counts, merged, extract.ladder, None,
                                             request.denominator))
        dimensions |= {n: d for n, d in merged.items() if d != extract.dimensions[n]}
    if not tables:
        return representation_by_rank(extract.counts, extract.dimensions, extract.ladder,
                                      None, request.denominator), dimensions
    return pd.concat(tables, ignore_index=True), dimensions


def _only(table: pd.DataFrame, dimension: str | None) -> pd.DataFrame:
    if dimension is None:
        return table
    return table[table["dimension"] == dimension].reset_index(drop=True)


def _check_floor(table: pd.DataFrame, policy: DisclosurePolicy) -> None:
    if table.empty and policy.active:
        raise ExtractRejected([error("population_below_floor", minimum=policy.population_floor)])


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
    """The funnel after disclosure control; pooled CMH rows appended on request.

    Every dimension of a campaign is protected together (:func:`funnel_hidden`) and then the
    one asked for is shown, so the pattern of hidden cells does not depend on which dimension
    is looked at, and no dimension's funnel gives back what another's hides.
    """
    dimension = _funnel_dimension(extract, request.dimension)
    table = funnel_impact(extract.counts, dimension, extract.stages, extract.measured,
                          request.reference)
    return protect_funnel(table, request.policy, request.reference, request.pooled,
                          hidden=_funnel_hidden(extract, request.policy),
                          measured=extract.measured)


def hidden_funnel_counts(extract: ApplicantsExtract, policy: DisclosurePolicy) -> set[tuple]:
    """The stage counts the funnel pages hide, as (campaign, zone, dimension, group, stage):
    any other number built on the applicants (a share of applicants beside a target) is hidden
    where it would give one back."""
    return _funnel_hidden(extract, policy)


_RECENT_FUNNELS: list[tuple] = []


def _funnel_hidden(extract: ApplicantsExtract, policy: DisclosurePolicy) -> set[tuple]:
    """The hidden stage counts of every dimension of the extract (the last few remembered by
    the very extract: a page shows one dimension after another of the same file)."""
    for seen, seen_policy, hidden in _RECENT_FUNNELS:
        if seen is extract and seen_policy == policy:
            return hidden
    hidden = funnel_hidden(extract.counts, extract.dimensions, policy, extract.measured)
    _RECENT_FUNNELS[:] = [*_RECENT_FUNNELS[-3:], (extract, policy, hidden)]
    return hidden


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
    from cpwb_stats.workspace.versions import UploadedFile, store_extract

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
    return _protected_flows(workforce, movements, request)[0]


# The last few protected leaver tables, by the data they were made from: a page shows the leaver
# table, the promotions and the curves that depend on it, every dimension of it, one protection
# for all; the same counts read again (another page, a download, the package) reuse it.
_RECENT_FLOWS: list[tuple] = []


def _data_key(workforce: WorkforceExtract, movements: MovementsExtract) -> tuple:
    """What a leaver protection is made from, as a key: the same counts give the same pattern."""
    def frame_key(frame: pd.DataFrame) -> tuple:
        return (frame.shape, tuple(frame.columns),
                int(pd.util.hash_pandas_object(frame, index=False).sum()))
    return (frame_key(workforce.counts), frame_key(movements.counts),
            repr(workforce.dimensions), repr(workforce.ladder))


def _protected_flows(workforce: WorkforceExtract, movements: MovementsExtract,
                     request: RetentionRequest) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The leaver table and the promotions, protected together (promotions are in the ranks'
    balances), with the groups merged and the headcounts hidden exactly as the zone's
    representation pages merge and hide them (their headcounts are the same numbers).

    Every dimension is protected together, whichever one is asked for: a rank's leavers (and
    hires, promotions) over all groups are the same number in every dimension, so the cells
    one dimension shows would otherwise give back what another hides. A page, a download or
    the package asking for one dimension gets its rows of that one pattern.
    """
    joint = replace(request, dimension=None)
    key = (_data_key(workforce, movements), joint)
    seen = [result for seen_key, result in _RECENT_FLOWS if seen_key == key]
    if not seen:
        seen = [_protect_flows_now(workforce, movements, joint)]
        _RECENT_FLOWS[:] = [*_RECENT_FLOWS[-3:], (key, seen[0])]
    table, promotions = seen[0]
    if request.dimension is not None:
        table = table[table["dimension"] == request.dimension].reset_index(drop=True)
        promotions = promotions[promotions["dimension"] == request.dimension].reset_index(
            drop=True)
    return table.copy(), promotions.copy()


def _protect_flows_now(workforce: WorkforceExtract, movements: MovementsExtract,
                       request: RetentionRequest) -> tuple[pd.DataFrame, pd.DataFrame]:
    dimensions = [request.dimension] if request.dimension else list(workforce.dimensions)
    tables, promoted, declared = [], [], set()
    for stock, flows, merged in _merged_as_represented(workforce, movements, request.policy):
        declared |= {(zone, name, group) for zone in stock["zone"].unique()
                     for name, dimension in merged.items() for group in dimension.declared}
        tables.append(leaver_rates(stock, flows, merged, request.dimension, request.reference))
        promoted += [promotion_rates(stock, flows, workforce.ladder, name) for name in dimensions]
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    promoted = [p for p in promoted if not p.empty]
    promotions = pd.concat(promoted, ignore_index=True) if promoted else promotion_rates(
        workforce.counts, movements.counts.iloc[:0], workforce.ladder, dimensions[0])
    hidden, bands = representation_knowledge(workforce, request.policy)
    return protect_flows(table, promotions, request.policy, hidden, declared, bands)


def _merged_as_represented(workforce: WorkforceExtract, movements: MovementsExtract,
                           policy: DisclosurePolicy):
    """Headcounts and movements with ``x``, ``undisclosed`` and ``unknown`` shown together
    wherever the zone's representation shows them together (:func:`merge_small_categories`),
    as (headcounts, movements, dimensions), zones that merge alike taken together."""
    if not policy.active or workforce.counts.empty:
        return [(workforce.counts, movements.counts, workforce.dimensions)]
    alike: dict[tuple, list] = {}
    for zone, counts in workforce.counts.groupby("zone", sort=False):
        merged_counts, merged = merge_small_categories(counts, workforce.dimensions, policy)
        names = tuple(n for n, d in merged.items() if d != workforce.dimensions[n])
        flows = movements.counts[movements.counts["zone"] == zone]
        for name in names:
            rows = (flows["dimension"] == name) & flows["group"].isin(MERGEABLE)
            flows = flows.assign(group=flows["group"].mask(rows, OTHER_OR_NOT_STATED))
        parts = alike.setdefault(names, [[], [], merged])
        parts[0].append(merged_counts)
        parts[1].append(flows)
    known = set(workforce.counts["zone"].unique())
    elsewhere = movements.counts[~movements.counts["zone"].isin(known)]
    groups = [(pd.concat(stock, ignore_index=True), pd.concat(flows, ignore_index=True), merged)
              for stock, flows, merged in alike.values()]
    if not elsewhere.empty:
        stock, flows, merged = groups[0]
        groups[0] = (stock, pd.concat([flows, elsewhere], ignore_index=True), merged)
    return groups


SERIES_COLUMNS = ["period", "count", "declared", "share"]


def protected_flow_series(workforce: WorkforceExtract, movements: MovementsExtract, flow: str,
                          dimension: str, group: str, zone: str,
                          policy: DisclosurePolicy) -> pd.DataFrame:
    """A group's share of the zone's hires or promotions per period, beside a target, built
    from the protected leaver and promotion tables only.

    Shape: one row per period of the leaver table (named by its end snapshot) with ``count``
    (the group's hires, or promotions over every rank), ``declared`` (the same over the
    groups that gave an answer) and ``share`` = count / declared. A count the Retention page
    hides (or any rank's promotions of the group) is hidden here; the number declared is
    hidden when any declared group's count is, or under k; the share when either is. So the
    line beside a target never shows a number the Retention page and its balances protect.
    ``flow`` is ``"hires"`` or ``"promotions"``.
    """
    table, promotions = _protected_flows(workforce, movements,
                                         RetentionRequest(dimension, None, policy))
    if flow == "hires":
        rows = table[(table["zone"] == zone) & (table["staff_category"] == ALL)
                     & (table["rank"] == ALL)]
        counts = rows.set_index(["period", "group"])["hires"].astype("Float64")
    else:
        rows = promotions[promotions["zone"] == zone]
        counts = rows.groupby(["period", "group"])["promotions"].agg(
            lambda s: s.astype("Float64").sum() if s.notna().all() else pd.NA).astype("Float64")
    if counts.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    wide = counts.unstack("group")
    declared_groups = [g for g in workforce.dimensions[dimension].declared if g in wide.columns]
    declared = wide[declared_groups].sum(axis=1, min_count=1).mask(
        wide[declared_groups].isna().any(axis=1))
    count = wide[group] if group in wide.columns else pd.Series(0.0, index=wide.index)
    if policy.active:
        count = count.mask((count > 0) & (count < policy.min_cell))
        declared = declared.mask(declared < policy.min_cell)
    frame = pd.DataFrame({"count": count, "declared": declared}).astype("Float64")
    share = (frame["count"] / frame["declared"].where(frame["declared"] > 0)).astype(float)
    return frame.assign(share=share).reset_index()[SERIES_COLUMNS]


def protected_applicant_series(applicants: ApplicantsExtract, dimension: str, group: str,
                               policy: DisclosurePolicy) -> pd.DataFrame:
    """A group's share of applicants per campaign, beside a target (``period`` names the
    campaign), with the same columns as :func:`protected_flow_series`. A campaign whose funnel
    hides a first-stage count of any declared group of the dimension shows none of its three
    numbers (beside the funnel they would give that count back); a count of 1..k-1 or a number
    declared under k is hidden with its share."""
    from cpwb_stats.measures.progress import applicant_series

    dimension_of = applicants.dimensions[dimension]
    first = applicants.stages.codes[0]
    series = applicant_series(applicants.counts, dimension_of, group, first)
    hidden = {c[0] for c in hidden_funnel_counts(applicants, policy)
              if c[2] == dimension and c[3] in dimension_of.declared and c[4] == first}
    joint = series["period"].isin(hidden)
    small = joint | series["count"].map(policy.is_small).astype(bool) | (
        series["declared"] < policy.min_cell)
    return series.assign(share=series["share"].mask(small),
                         count=series["count"].astype("Float64").mask(small),
                         declared=series["declared"].astype("Float64").mask(
                             joint | series["declared"].map(policy.is_small).astype(bool))
                         )[SERIES_COLUMNS]


def hidden_stocks(workforce: WorkforceExtract, dimension: str | None,
                  policy: DisclosurePolicy) -> set[tuple]:
    """The headcounts the representation pages hide (every dimension protected together, small
    groups merged, exactly as :func:`protected_representation`): other tables hide them too.

    Keys are (snapshot, zone, staff category, rank, dimension, group) for a group's headcount;
    group :data:`~cpwb_stats.disclosure.flows.DECLARED_TOTAL` for the number who declared,
    where it is not shown; dimension and group :data:`~cpwb_stats.disclosure.flows.RANK_TOTAL`
    for a rank's headcount hidden in every dimension's table (with the dimension, where hidden
    in that dimension's table). A snapshot below the population floor is not shown at all:
    every headcount of it counts as hidden, so a leaver table does not show what its
    representation refuses to.
    """
    return representation_knowledge(workforce, policy)[0]


def representation_knowledge(workforce: WorkforceExtract, policy: DisclosurePolicy
                             ) -> tuple[set[tuple], dict[tuple, tuple[float, float]]]:
    """What the representation pages tell a reader of the leaver tables: the headcounts they
    hide (:func:`hidden_stocks`), and the declaration-rate bands shown where a number behind the
    rate is hidden, as (snapshot, zone, staff category, rank, dimension) -> (low, high)."""
    if not policy.active:
        return set(), {}
    whole = _zone_tables(workforce, RepresentationRequest(policy=policy))[0]
    table = protect_representation(whole, policy)
    shown = pd.MultiIndex.from_frame(table[["period", "zone"]].drop_duplicates())
    refused = whole[~pd.MultiIndex.from_frame(whole[["period", "zone"]]).isin(shown)]
    refused = refused.assign(count=pd.NA, declared=pd.NA, headcount=pd.NA,
                             declaration_rate_band=None)
    table = pd.concat([table, refused], ignore_index=True)
    place = KEYS + ["dimension"]
    hidden = {tuple(k) for k in table.loc[table["count"].isna(), place + ["group"]].itertuples(
        index=False)}
    rows = table[place + ["declared", "headcount", "declaration_rate_band"]].drop_duplicates(place)
    hidden |= {(*k, DECLARED_TOTAL) for k in rows.loc[rows["declared"].isna(), place]
               .itertuples(index=False)}
    hidden |= {(*k, RANK_TOTAL) for k in rows.loc[rows["headcount"].isna(), place]
               .itertuples(index=False)}
    everywhere = rows.assign(_hidden=rows["headcount"].isna()).groupby(KEYS)["_hidden"].all()
    hidden |= {(*k, RANK_TOTAL, RANK_TOTAL) for k in everywhere[everywhere].index}
    bands = {tuple(row[:-1]): band_from_code(row[-1])
             for row in rows[place + ["declaration_rate_band"]].itertuples(index=False)
             if band_from_code(row[-1]) is not None}
    return hidden, bands


def protected_survival(workforce: WorkforceExtract, movements: MovementsExtract,
                       request: RetentionRequest) -> pd.DataFrame:
    """Kaplan-Meier retention by group, every step showing at least k leavers.

    Needs ``entry_year`` in the workforce file (people per entry year) and in the movements.
    """
    return protected_survival_with_notes(workforce, movements, request)[0]


def protected_survival_with_notes(workforce: WorkforceExtract, movements: MovementsExtract,
                                  request: RetentionRequest
                                  ) -> tuple[pd.DataFrame, list[tuple[str, CurveNote]]]:
    """:func:`protected_survival`, and for each dimension the curves not drawn or cut short."""
    dimensions = [request.dimension] if request.dimension else list(workforce.dimensions)
    pieces, notes = [], []
    for name in dimensions:
        people = _cohort_people(workforce, movements, name)
        withheld = curve_withheld(workforce, movements, name, request.policy)
        protected = protect_curve(people[~people["group"].isin(withheld)], request.policy)
        pieces.append(retention_by_group(protected).assign(dimension=name))
        notes += [(name, note) for note in curve_notes(people, protected, withheld)]
    table = pd.concat(pieces, ignore_index=True)
    return table[["dimension", "group", "years", "retention", "ci_low", "ci_high", "at_risk",
                  "events"]], notes


@dataclass(frozen=True)
class CurveNote:
    """Why a group's cohort curve is not drawn (``withheld``: the leaver table hides one of the
    group's leaver counts; ``no_step``: no step has k leavers among k observed), or the years
    after which it is not continued (``cut_short``)."""

    group: str
    reason: str
    years: float | None = None


def curve_note_text(note: CurveNote, dimension: str, k: int, language: str) -> str:
    """The note in the reader's words, e.g. "woman: this curve is not shown. ..."."""
    from cpwb_stats.i18n import translate

    label = translate(f"group.{dimension}.{note.group}", language)
    if label.startswith("group."):
        label = translate(f"group.{note.group}", language)
    label = note.group if label.startswith("group.") else label
    years = "" if note.years is None else f"{note.years:.1f}".removesuffix(".0")
    if language != "en":
        years = years.replace(".", ",")
    return translate(f"retention.curve_{note.reason}", language, group=label, k=k, years=years)


def curve_notes(people: pd.DataFrame, protected: pd.DataFrame,
                withheld: set[str]) -> list[CurveNote]:
    """Each group of ``people`` whose curve the protection withholds or stops early.

    ``people`` are the observations before protection, ``protected`` after (without the
    ``withheld`` groups). A curve is cut short when its last step shown comes before the last
    time anyone of the group left.
    """
    notes = []
    for group, part in people.groupby("group", sort=True):
        if not part["event"].any():
            continue  # nobody left: a flat curve, nothing withheld
        if group in withheld:
            notes.append(CurveNote(group, "withheld"))
            continue
        shown = protected[(protected["group"] == group) & protected["event"]]
        if shown.empty:
            notes.append(CurveNote(group, "no_step"))
        elif shown["duration"].max() < part.loc[part["event"], "duration"].max():
            notes.append(CurveNote(group, "cut_short", float(shown["duration"].max())))
    return notes


@dataclass(frozen=True)
class CohortRetention:
    """Kaplan-Meier curves, 1/3/5-year retention, the log-rank test, incidence by reason."""

    curves: pd.DataFrame
    milestones: pd.DataFrame
    logrank_statistic: float
    logrank_p: float
    incidence: pd.DataFrame
    notes: tuple[CurveNote, ...] = ()


def protected_cohorts(workforce: WorkforceExtract, movements: MovementsExtract,
                      dimension: str, policy: DisclosurePolicy) -> CohortRetention:
    """Cohort retention by group for one dimension, every step showing at least k leavers.

    Curves, the log-rank test and the incidence by reason are all computed from the same
    protected observations; the 1/3/5-year values are read off the protected curves, so they
    show nothing the curves do not.
    """
    people = _cohort_people(workforce, movements, dimension)
    everyone = people[people["group"].map(workforce.dimensions[dimension].is_declared)]
    withheld = curve_withheld(workforce, movements, dimension, policy)
    people = everyone[~everyone["group"].isin(withheld)]
    protected = protect_curve(people, policy)
    curves = retention_by_group(protected)
    statistic, p = logrank_test(protected)
    incidence = cumulative_incidence(protect_curve(people, policy, by_reason=True))
    return CohortRetention(curves, retention_at(curves), statistic, p, incidence,
                           tuple(curve_notes(everyone, protected, withheld)))


def curve_withheld(workforce: WorkforceExtract, movements: MovementsExtract, dimension: str,
                   policy: DisclosurePolicy) -> set[str]:
    """The groups whose cohort curve is not drawn: the leaver table hides one of their leaver
    counts of the whole zone.

    A curve's leavers (its events, or its at-risk counts and retention values, from which they
    follow) add up to the group's leavers over the observation window, a sum over the periods
    of the leaver table published beside it. With the headcounts of every snapshot published,
    that sum would give a hidden period back (``leavers = start - end + hires``, and no hire
    is negative). A curve is therefore drawn only for a group whose whole-zone leavers are
    shown in every period: what its steps add up to is then a sum of published counts.
    """
    if not policy.active or movements.counts.empty:
        return set()
    table = protected_retention(workforce, movements, RetentionRequest(dimension, None, policy))
    whole = table[(table["staff_category"] == ALL) & (table["rank"] == ALL)]
    whole = table if whole.empty else whole
    return set(whole.loc[whole["leavers"].isna(), "group"])


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
    """Promotion rates by group, protected together with the leaver table (promotions out of
    a rank and into the next are in the ranks' balances): small counts and what would give
    them back hidden, with the headcount below where it is hidden or under k."""
    return _protected_flows(workforce, movements, RetentionRequest(dimension, None, policy))[1]
