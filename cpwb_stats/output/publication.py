"""The open-data package of a zone's period: its protected tables as CSV and a Frictionless
``datapackage.json`` that describes every field, the zone, the period, the disclosure policy
and the licence.

Only what the disclosure gate lets through leaves: every table is built by the same call the
pages make (so the same cells are hidden as on screen), then cut to the period. A hidden
number is an empty cell, and the row says so in its ``hidden`` column; why a number is hidden
is never published (a reason that told "small" apart would itself say 1 to k-1).

>>> sorted(FILES)
['funnel', 'leavers', 'representation', 'retention', 'trend']
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from cpwb_stats.contract.validate import WorkforceExtract
from cpwb_stats.contract.validate_applicants import ApplicantsExtract
from cpwb_stats.contract.validate_movements import MovementsExtract
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.measures.funnel import POOLED
from cpwb_stats.output.export import spreadsheet_safe
from cpwb_stats.pipeline import (
    FunnelRequest,
    RepresentationRequest,
    RetentionRequest,
    protected_cohorts,
    protected_funnel,
    protected_representation,
    protected_retention,
)
from cpwb_stats.problems import ExtractRejected, error
from cpwb_stats.terms.ladders import ALL

LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0 (public domain dedication)",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License 1.0",
                   "https://opendatacommons.org/licenses/by/1-0/"),
    "MIT-Licentie-Vlaanderen-1.0": ("Modellicentie Gratis Hergebruik Vlaanderen 1.0",
                                    "https://data.vlaanderen.be/id/licentie/"
                                    "modellicentie-gratis-hergebruik/v1.0"),
}
DEFAULT_LICENCE = "CC-BY-4.0"

# Field descriptions: (type, title, description, constraints). Every column of every file is
# here; a test keeps the files and these descriptions in step.
_SHARE = {"minimum": 0, "maximum": 1}
_COUNT = {"minimum": 0}
FIELDS: dict[str, tuple[str, str, str, dict]] = {
    "period": ("string", "Period", "Reference date of the workforce snapshot (ISO 8601, "
               "YYYY-MM-DD); for leavers the end of the year counted.", {"required": True}),
    "zone": ("string", "Police zone", "The police zone described.", {"required": True}),
    "staff_category": ("string", "Staff category",
                       "operational, administrative_logistic (CALog), or 'all' for the whole "
                       "zone.", {"required": True}),
    "rank": ("string", "Rank", "Rank code of the zone's ladder, or 'all' for the total of the "
             "staff category.", {"required": True}),
    "dimension": ("string", "Dimension", "Designated-group dimension: gender, "
                  "migration_background, disability, ...", {"required": True}),
    "group": ("string", "Group", "Group of the dimension. 'other_or_not_stated' merges x, "
              "unknown and undisclosed wherever one of them is small.", {"required": True}),
    "declared_group": ("boolean", "Counted in the declared total",
                       "true when the group is an answer counted in 'declared' (not unknown or "
                       "undisclosed).", {}),
    "count": ("integer", "People in the group", "Number of people (headcount) of the group "
              "in this rank. Empty when hidden.", _COUNT),
    "declared": ("integer", "People who declared", "People of this rank whose answer for the "
                 "dimension is known: the denominator of 'share'. Empty when hidden.", _COUNT),
    "headcount": ("integer", "Headcount", "All people of this rank. Empty when hidden.",
                  _COUNT),
    "share": ("number", "Share of the declared", "count / declared, a fraction between 0 "
              "and 1 (0.25 is 25 %). Empty when hidden or not robust.", _SHARE),
    "declaration_rate": ("number", "Declaration rate", "declared / headcount, a fraction "
                         "between 0 and 1. Empty when hidden.", _SHARE),
    "declaration_rate_band": ("string", "Declaration rate, band", "Where the exact "
                              "declaration rate is hidden (it would give the hidden headcount "
                              "back): the band it lies in, 'low-high' as fractions, low "
                              "included and high excluded ('0.99-1': 99 % or more). Empty "
                              "otherwise.", {}),
    "ci_low": ("number", "95 % interval, low", "Lower end of the Wilson 95 % confidence "
               "interval of the share or pass rate (fraction).", _SHARE),
    "ci_high": ("number", "95 % interval, high", "Upper end of the Wilson 95 % confidence "
                "interval of the share or pass rate (fraction).", _SHARE),
    "not_robust": ("boolean", "Not robust", "true when fewer than the policy's minimum "
                   "declared (60 %): the share is withheld.", {}),
    "hidden": ("boolean", "Hidden", "true when disclosure control withheld numbers of this "
               "row: its empty counts, and the shares and rates computed from them.",
               {"required": True}),
    "leavers": ("integer", "Leavers", "People who left the zone during the year. Empty when "
                "hidden.", _COUNT),
    "resignations": ("integer", "Resignations", "Leavers who resigned. Empty when hidden.",
                     _COUNT),
    "hires": ("integer", "Hires", "People who joined during the year. Empty when hidden.",
              _COUNT),
    "start_headcount": ("integer", "Headcount at the start", "Headcount of the snapshot "
                        "opening the year. Empty when hidden.", _COUNT),
    "end_headcount": ("integer", "Headcount at the end", "Headcount of the snapshot closing "
                      "the year. Empty when hidden.", _COUNT),
    "average_headcount": ("number", "Average headcount", "(start + end) / 2, the denominator "
                          "of the leaver rate.", {"minimum": 0}),
    "headcount_basis": ("string", "Headcount basis", "'average' of two snapshots, or the one "
                        "snapshot available.", {}),
    "leaver_rate": ("number", "Leaver rate", "leavers / average_headcount over the year "
                    "(fraction).", {"minimum": 0}),
    "resignation_rate": ("number", "Resignation rate", "resignations / average_headcount "
                         "(fraction).", {"minimum": 0}),
    "reference_group": ("string", "Reference group", "The group others are compared with.",
                        {}),
    "relative_leaver_rate": ("number", "Relative leaver rate", "The group's leaver rate "
                             "divided by the reference group's.", {"minimum": 0}),
    "rr_ci_low": ("number", "Relative rate, 95 % low", "Lower end of the 95 % interval of "
                  "the relative leaver rate.", {"minimum": 0}),
    "rr_ci_high": ("number", "Relative rate, 95 % high", "Upper end of the 95 % interval of "
                   "the relative leaver rate.", {"minimum": 0}),
    "p_value": ("number", "p-value", "Probability of a difference at least this large by "
                "chance alone (two-sided).", _SHARE),
    "years": ("integer", "Years of service", "Years since entry (1, 3 or 5).",
              {"required": True, "minimum": 0}),
    "retention": ("number", "Share still in service", "Kaplan-Meier estimate of the share of "
                  "the group's entrants still in the zone after 'years' (fraction). Empty when "
                  "too few people were followed that long.", _SHARE),
    "at_risk": ("integer", "People followed", "People of the group still followed at that "
                "time (at least k wherever shown).", _COUNT),
    "campaign": ("string", "Recruitment campaign", "The campaign's code as the zone names it.",
                 {"required": True}),
    "stage": ("string", "Selection stage", "Stage of the recruitment funnel.",
              {"required": True}),
    "entered": ("integer", "Entered the stage", "Candidates of the group who entered the "
                "stage. Empty when hidden.", _COUNT),
    "passed": ("integer", "Passed the stage", "Candidates who passed (entered the next "
               "stage). Empty when hidden.", _COUNT),
    "pass_rate": ("number", "Pass rate", "passed / entered (fraction).", _SHARE),
    "cumulative_rate": ("number", "Cumulative pass rate", "Share of the group's applicants "
                        "who reached past this stage (fraction).", _SHARE),
    "impact_ratio": ("number", "Adverse impact ratio", "The group's pass rate divided by the "
                     "reference group's; below 0.8 fails the four-fifths rule.", {"minimum": 0}),
    "below_four_fifths": ("boolean", "Below four fifths", "true when impact_ratio < 0.8.", {}),
    "p_fisher": ("number", "p-value (Fisher)", "Fisher's exact test of the group against the "
                 "reference group at this stage.", _SHARE),
    "z_score": ("number", "z-score", "Two-proportion z statistic (group against reference).",
                {}),
    "shortfall": ("number", "Shortfall", "Candidates who would have passed at the reference "
                  "group's rate, minus those who did.", {}),
    "one_person_flips": ("boolean", "One person changes the verdict", "true when one "
                         "candidate more or less would change the four-fifths verdict.", {}),
    "insufficient_data": ("boolean", "Insufficient data", "true when too few candidates for "
                          "a verdict.", {}),
}

FILES: dict[str, dict] = {
    "representation": {
        "title": "Representation by rank",
        "description": "Each group's share per rank, staff category and the whole zone, for "
                       "every dimension, in the period.",
        "fields": ["period", "zone", "staff_category", "rank", "dimension", "group",
                   "declared_group", "count", "declared", "headcount", "share",
                   "declaration_rate", "declaration_rate_band", "ci_low", "ci_high",
                   "not_robust", "hidden"],
        "key": ["period", "zone", "staff_category", "rank", "dimension", "group"]},
    "trend": {
        "title": "Trend of the whole zone",
        "description": "The whole zone's representation in every period up to this one.",
        "fields": ["period", "zone", "dimension", "group", "declared_group", "count",
                   "declared", "headcount", "share", "declaration_rate",
                   "declaration_rate_band", "ci_low", "ci_high", "not_robust", "hidden"],
        "key": ["period", "zone", "dimension", "group"]},
    "leavers": {
        "title": "Leavers and leaver rates",
        "description": "Leavers, resignations and hires in the year ending at the period, per "
                       "group, staff category and rank.",
        "fields": ["period", "zone", "staff_category", "rank", "dimension", "group", "leavers",
                   "resignations", "hires", "start_headcount", "end_headcount",
                   "average_headcount", "headcount_basis", "leaver_rate", "resignation_rate",
                   "reference_group", "relative_leaver_rate", "rr_ci_low", "rr_ci_high",
                   "p_value", "hidden"],
        "key": ["period", "zone", "staff_category", "rank", "dimension", "group"]},
    "retention": {
        "title": "Cohort retention",
        "description": "Share of each group's entrants still in service after 1, 3 and 5 "
                       "years (Kaplan-Meier, steps merged until each reflects at least k "
                       "people), from every snapshot up to the period. Published with the "
                       "zone's latest period only.",
        "fields": ["period", "zone", "dimension", "group", "years", "retention", "ci_low",
                   "ci_high", "at_risk", "hidden"],
        "key": ["period", "zone", "dimension", "group", "years"]},
    "funnel": {
        "title": "Recruitment funnel",
        "description": "Candidates per selection stage and group in the campaigns of the "
                       "period's year, with pass rates and adverse impact.",
        "fields": ["campaign", "zone", "stage", "dimension", "group", "entered", "passed",
                   "pass_rate", "ci_low", "ci_high", "cumulative_rate", "reference_group",
                   "impact_ratio", "below_four_fifths", "p_fisher", "z_score", "shortfall",
                   "one_person_flips", "insufficient_data", "hidden"],
        "key": ["campaign", "zone", "stage", "dimension", "group"]},
}


@dataclass(frozen=True)
class ZoneData:
    """What is stored for a zone: its workforce, and its movements and applicants if any."""

    workforce: WorkforceExtract
    movements: MovementsExtract | None = None
    applicants: ApplicantsExtract | None = None


@dataclass(frozen=True)
class Publication:
    zone: str
    period: str
    policy: DisclosurePolicy
    licence: str
    tables: dict[str, pd.DataFrame]
    created: datetime


def publication(data: ZoneData, zone: str, period: str, policy: DisclosurePolicy,
                licence: str = DEFAULT_LICENCE) -> Publication:
    """The zone's protected tables for ``period``; refused for an unknown period or licence,
    or without disclosure control (a publication is for everyone)."""
    counts = data.workforce.counts
    periods = sorted(counts.loc[counts["zone"] == zone, "period"].unique())
    if period not in periods:
        raise ExtractRejected([error("publish_unknown_period", value=period,
                                     accepted=", ".join(periods) or "-")])
    if licence not in LICENCES:
        raise ExtractRejected([error("publish_unknown_licence", value=licence,
                                     accepted=", ".join(LICENCES))])
    if policy.min_cell < 2:
        raise ExtractRejected([error("publish_needs_protection")])
    tables = {"representation": representation_rows(data.workforce, zone, period, policy)}
    if tables["representation"].empty:  # the period is below the population floor: refused
        raise ExtractRejected([error("population_below_floor", minimum=policy.population_floor)])
    tables["trend"] = trend_rows(data.workforce, zone, period, policy)
    if data.movements is not None:
        tables["leavers"] = leaver_rows(data.workforce, data.movements, zone, period, policy)
    if data.movements is not None and period == periods[-1]:
        tables["retention"] = retention_rows(data.workforce, data.movements, zone, period,
                                             policy)
    if data.applicants is not None:
        tables["funnel"] = funnel_rows(data.applicants, zone, period, policy)
    tables = {name: table for name, table in tables.items() if not table.empty}
    return Publication(zone, period, policy, licence, tables, datetime.now(UTC))


def _zone_table(table: pd.DataFrame, zone: str) -> pd.DataFrame:
    return table[table["zone"] == zone]


def representation_rows(workforce: WorkforceExtract, zone: str, period: str,
                        policy: DisclosurePolicy) -> pd.DataFrame:
    """Every dimension as the Representation page shows it (shares of the declared)."""
    table = _zone_table(protected_representation(
        workforce, RepresentationRequest(policy=policy)), zone)
    return _published(table[table["period"] == period], "representation")


def trend_rows(workforce: WorkforceExtract, zone: str, period: str,
               policy: DisclosurePolicy) -> pd.DataFrame:
    table = _zone_table(protected_representation(
        workforce, RepresentationRequest(policy=policy)), zone)
    whole = (table["staff_category"] == ALL) & (table["rank"] == ALL) & (table["period"] <= period)
    return _published(table[whole], "trend")


def leaver_rows(workforce: WorkforceExtract, movements: MovementsExtract, zone: str,
                period: str, policy: DisclosurePolicy) -> pd.DataFrame:
    """Each dimension as the Retention page computes it (one dimension at a time)."""
    pieces = []
    for dimension in workforce.dimensions:
        table = _zone_table(protected_retention(
            workforce, movements, RetentionRequest(dimension, None, policy)), zone)
        pieces.append(table[table["period"] == period].assign(dimension=dimension))
    return _published(pd.concat(pieces, ignore_index=True), "leavers")


def retention_rows(workforce: WorkforceExtract, movements: MovementsExtract, zone: str,
                   period: str, policy: DisclosurePolicy) -> pd.DataFrame:
    """The 1/3/5-year retention the Retention page shows, each dimension; none without entry
    years or a second snapshot (the page says what is missing)."""
    pieces = []
    for dimension in workforce.dimensions:
        try:
            cohorts = protected_cohorts(workforce, movements, dimension, policy)
        except ExtractRejected:
            return _published(pd.DataFrame(columns=["suppressed"]), "retention")
        pieces.append(cohorts.milestones.assign(period=period, zone=zone, dimension=dimension,
                                                at_risk=cohorts.milestones["at_risk"]
                                                .astype("Float64").round().astype("Int64")))
    table = pd.concat(pieces, ignore_index=True)
    return _published(table.assign(suppressed=table["retention"].isna()), "retention")


def funnel_rows(applicants: ApplicantsExtract, zone: str, period: str,
                policy: DisclosurePolicy) -> pd.DataFrame:
    """The campaigns of the period's year, each dimension as the Recruitment page protects it
    (with its pooled rows, which are not published here: they span other years)."""
    year = period[:4]
    pieces = []
    for dimension in applicants.dimensions:
        table = _zone_table(protected_funnel(
            applicants, FunnelRequest(dimension, "highest", True, policy)), zone)
        chosen = (table["campaign"] != POOLED) & table["campaign"].str.startswith(year)
        pieces.append(table[chosen].assign(dimension=dimension))
    return _published(pd.concat(pieces, ignore_index=True), "funnel")


def _published(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """The file's columns in order, numbers unrounded (they read back exactly); ``hidden``
    where the gate withheld a number of the row (it may hide one count, say resignations,
    and leave the rest of the row shown)."""
    columns = FILES[name]["fields"]
    counts = [c for c in columns if FIELDS[c][0] == "integer"]
    hidden = table["suppressed"].astype(bool) | table[counts].isna().any(axis=1)
    return table.assign(hidden=hidden).reset_index(drop=True).reindex(columns=columns)


def descriptor(published: Publication, language: str = "en") -> dict:
    """The ``datapackage.json`` (Frictionless Data Package v1, tabular)."""
    from cpwb_stats import __version__

    title, path = LICENCES[published.licence]
    return {
        "profile": "tabular-data-package",
        "name": package_name(published.zone, published.period),
        "title": f"Workforce diversity statistics, {published.zone}, {published.period}",
        "description": (
            f"Protected workforce statistics of police zone {published.zone} for the period "
            f"{published.period}: representation of designated groups by rank, the trend, "
            "leavers and the recruitment funnel. Counts below the disclosure threshold and the "
            "cells that would give them back are left empty (see 'disclosure')."),
        "version": published.period,
        "created": published.created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "keywords": ["police", "workforce", "diversity", "equal opportunities", "Belgium"],
        "licenses": [{"name": published.licence, "title": title, "path": path}],
        "sources": [{"title": f"Workforce records of police zone {published.zone}"}],
        "contributors": [{"title": published.zone, "role": "publisher"}],
        "zone": published.zone,
        "period": published.period,
        "language": language,
        "producer": f"cpwb_stats {__version__}",
        "disclosure": disclosure_policy(published.policy),
        "resources": [_resource(name) for name in published.tables],
    }


def disclosure_policy(policy: DisclosurePolicy) -> dict:
    k = policy.min_cell
    return {
        "threshold_k": k,
        "minimum_declaration_rate": policy.min_declaration_rate,
        "hidden_marker": "an empty cell, with hidden = true on its row",
        "rules": [
            f"A count of 1 to {k - 1} people is never published.",
            "Other cells are hidden with it, chosen so that no hidden count can be worked out "
            f"to within fewer than {k} people from totals, other groups, ranks or periods.",
            "A share is withheld when its count or denominator is hidden or the denominator "
            f"is below {k}.",
            f"Shares are withheld (not_robust = true) when fewer than "
            f"{policy.min_declaration_rate:.0%} of the people answered the question.",
            "x, unknown and undisclosed are published together as other_or_not_stated "
            "wherever one of them is small.",
            "Why a cell is hidden is not published: every hidden cell looks the same.",
        ],
    }


def _resource(name: str) -> dict:
    spec = FILES[name]
    fields = []
    for column in spec["fields"]:
        kind, title, description, constraints = FIELDS[column]
        field = {"name": column, "type": kind, "title": title, "description": description}
        if kind == "boolean":
            field |= {"trueValues": ["true"], "falseValues": ["false"]}
        if constraints:
            field["constraints"] = dict(constraints)
        fields.append(field)
    return {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
            "title": spec["title"], "description": spec["description"], "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": True},
            "schema": {"fields": fields, "missingValues": [""], "primaryKey": spec["key"]}}


def table_csv(table: pd.DataFrame) -> bytes:
    """Plain UTF-8 CSV, ``true``/``false`` for flags, empty for a hidden or missing number;
    text that a spreadsheet would run as a formula is defused."""
    flags = {c: table[c].map({True: "true", False: "false"}) for c in table.columns
             if FIELDS[c][0] == "boolean"}
    text = spreadsheet_safe(table.assign(**flags)).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8")


def package_zip(published: Publication, language: str = "en") -> bytes:
    """The ZIP: ``datapackage.json`` and one CSV per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor(published, language),
                                                        ensure_ascii=False, indent=2))
        for name, table in published.tables.items():
            archive.writestr(f"{name}.csv", table_csv(table))
    return buffer.getvalue()


def package_name(zone: str, period: str) -> str:
    """``cpwb-gent-2024-12-31``: lower case letters, digits, '-', '.' and '_' only."""
    slug = f"cpwb-{zone}-{period}".lower()
    return "".join(c if c.isascii() and (c.isalnum() or c in "-._") else "-" for c in slug)
