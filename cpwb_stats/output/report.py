"""The zone's report for one period: what a zone chief hands to the police council.

Assembly only: every number comes from the protected tables the pages and the command line
show (``pipeline.protected_*``), is written in the reader's language (Babel), and is laid out
as HTML text. Charts are described here (the protected rows and the words they carry) and
drawn as pictures by the drawing stage (``cpwb_figures.pictures``), which the caller passes
in; this package never draws them. ``to_pdf`` prints the HTML with WeasyPrint.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from babel.numbers import format_decimal, format_percent, parse_decimal

from cpwb_stats.contract.validate import WorkforceExtract
from cpwb_stats.disclosure.control import DisclosurePolicy, rate_band_text
from cpwb_stats.i18n import translate
from cpwb_stats.measures.funnel import ALL_STAGES, verdicts
from cpwb_stats.measures.progress import target_progress
from cpwb_stats.measures.retention import period_key
from cpwb_stats.pipeline import (
    FunnelRequest,
    RepresentationRequest,
    RetentionRequest,
    protected_cohorts,
    protected_funnel,
    protected_representation,
    protected_retention,
)
from cpwb_stats.problems import ExtractRejected, Refused, error
from cpwb_stats.targets.definitions import compare_with_reference, reference_for
from cpwb_stats.terms.labels import dimension_label, group_label, rank_label, scope_label
from cpwb_stats.terms.ladders import ALL, Ladder

BABEL_LOCALES = {"en": "en_GB", "nl": "nl_BE", "fr": "fr_BE"}
HIDDEN_MARK = "✱"
NOT_ROBUST_MARK = "†"
DASH = "–"
# Whole-zone focus when the zone has set no target or benchmark.
DEFAULT_FOCUS = (("migration_background", "yes"), ("gender", "woman"))


@dataclass(frozen=True)
class ReportData:
    """Everything stored for one zone, in the versions in use."""

    zone: str
    workforce: WorkforceExtract
    movements: object | None = None
    applicants: object | None = None
    targets: pd.DataFrame | None = None
    benchmarks: pd.DataFrame | None = None
    sources: pd.DataFrame | None = None  # kind, period, version, filename, sha256, created_at


@dataclass(frozen=True)
class Chart:
    """A figure to draw: its kind (a function of ``cpwb_figures.charts``), rows and words."""

    key: str
    kind: str
    rows: pd.DataFrame
    title: str
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    css: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    zone: str
    period: str
    language: str
    policy: DisclosurePolicy
    sections: list[Section]

    @property
    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]

    def filename(self, suffix: str) -> str:
        safe = "".join(c if c.isalnum() else "_" for c in self.zone).strip("_")
        return f"report_{safe}_{self.period}_{self.language}.{suffix}"


# ---------------------------------------------------------------- numbers in the reader's way

def percent(value, language: str) -> str:
    if value is None or pd.isna(value):
        return DASH
    return format_percent(value, format="#,##0.0 %", locale=BABEL_LOCALES[language])


def declaration_text(rate, band, language: str) -> str:
    """The declaration rate, else its published band ("99 % or more"), else a dash."""
    if rate is None or pd.isna(rate):
        return rate_band_text(band, language) or DASH
    return percent(rate, language)


def _bands(rows: pd.DataFrame) -> list:
    return (rows["declaration_rate_band"].tolist() if "declaration_rate_band" in rows
            else [None] * len(rows))


def count(value, language: str) -> str:
    if value is None or pd.isna(value):
        return HIDDEN_MARK
    return format_decimal(int(value), locale=BABEL_LOCALES[language])


def decimal(value, language: str, signed: bool = False, digits: int = 1) -> str:
    if value is None or pd.isna(value):
        return DASH
    places = "0" * digits
    pattern = f"+#,##0.{places};-#,##0.{places}" if signed else f"#,##0.{places}"
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[language])


def share_text(share, not_robust: bool, language: str) -> str:
    return NOT_ROBUST_MARK if not_robust else percent(share, language)


def interval(low, high, language: str) -> str:
    if pd.isna(low) or pd.isna(high):
        return DASH
    return f"{percent(low, language)} – {percent(high, language)}"


# ---------------------------------------------------------------- assembly

@dataclass(frozen=True)
class ReportTables:
    """The protected tables one period's report is written from, in every language."""

    period: str
    previous: str | None
    representation: pd.DataFrame
    focus: list[tuple[str, str]]
    retention: pd.DataFrame | None = None
    cohorts: object | None = None
    funnel: pd.DataFrame | None = None
    projections: dict = field(default_factory=dict)


def protected_tables(data: ReportData, period: str, policy: DisclosurePolicy,
                     project: bool = True) -> ReportTables:
    """Every protected table the report needs (the same calls the pages make); refused when the
    zone has no workforce stored for ``period``. ``project=False`` leaves the projections out
    (the slowest part): the targets section then gives progress only."""
    counts = data.workforce.counts
    periods = sorted(counts.loc[counts["zone"] == data.zone, "period"].unique(), key=period_key)
    if period not in periods:
        raise Refused([error("report_unknown_period", value=period,
                             accepted=", ".join(periods) or DASH)])
    table = protected_representation(data.workforce, RepresentationRequest(policy=policy))
    table = table[table["zone"] == data.zone]
    focus = _focus(data, table)
    earlier = [p for p in periods if period_key(p) < period_key(period)]
    retention = cohorts = funnel = None
    dimension = focus[0][0] if focus else None
    if data.movements is not None and dimension is not None:
        try:
            retention = protected_retention(data.workforce, data.movements,
                                            RetentionRequest(dimension, None, policy))
        except ExtractRejected:
            retention = None
        try:
            cohorts = protected_cohorts(data.workforce, data.movements, dimension, policy)
        except ExtractRejected:
            cohorts = None
    if data.applicants is not None and dimension is not None:
        try:
            funnel = protected_funnel(data.applicants,
                                      FunnelRequest(dimension, "highest", False, policy))
        except ExtractRejected:
            funnel = None
    return ReportTables(period, earlier[-1] if earlier else None, table, focus, retention,
                        cohorts, funnel, _projections(data, period, policy) if project else {})


def _projections(data: ReportData, period: str, policy: DisclosurePolicy) -> dict:
    """Per stock target (by its row number): the projection from published numbers, or None."""
    from cpwb_stats.targets.projection_inputs import published_hire_share
    from cpwb_stats.targets.target_projection import project_published_target

    targets = _zone_rows(data.targets, data.zone)
    if targets is None or data.movements is None:
        return {}
    ladder = data.workforce.ladder
    stock = set(ladder.rank_codes) | set(ladder.categories) | {ALL}
    shares, projections = {}, {}
    for number, target in enumerate(targets.itertuples()):
        if target.scope not in stock:
            continue
        key = (target.dimension, target.group)
        if key not in shares:
            shares[key] = published_hire_share(data.workforce, data.movements, target.dimension,
                                               target.group, policy)
        years = max(int(str(target.deadline)[:4]) - int(str(period)[:4]), 1)
        projections[number] = None if shares[key] is None else project_published_target(
            data.workforce, data.movements, target.dimension, target.group, target.scope,
            float(target.target_share), years, shares[key], 1.0, policy)
    return projections


def build_report(data: ReportData, period: str, language: str, policy: DisclosurePolicy,
                 tables: ReportTables | None = None) -> Report:
    """The report of ``data.zone`` for ``period`` in ``language``, written from ``tables``
    (computed here when not given: pass them to write several languages from one run)."""
    tables = tables or protected_tables(data, period, policy)
    table, focus = tables.representation, tables.focus
    sections = [_summary(data, table, period, language)]
    for dimension, group in focus:
        sections.append(_representation(data, table, period, dimension, group, language, policy))
    sections.append(_trend(data, table, period, focus, language))
    sections.append(_changes(data, table, period, tables.previous, focus, language))
    sections.append(_targets(data, tables, language))
    sections.append(_funnel(data, tables, language, policy))
    sections.append(_leavers(data, tables, language, policy))
    sections.append(_method(data, table, period, language, policy))
    return Report(data.zone, period, language, policy, sections)


def _focus(data: ReportData, table: pd.DataFrame) -> list[tuple[str, str]]:
    """The (dimension, group) pairs the zone follows: its targets' and benchmarks' first."""
    pairs = []
    for frame in (data.targets, data.benchmarks):
        if frame is not None and not frame.empty:
            rows = frame[frame["zone"] == data.zone]
            pairs += list(zip(rows["dimension"], rows["group"]))
    pairs += list(DEFAULT_FOCUS)
    present = set(zip(table["dimension"], table["group"]))
    return [p for p in dict.fromkeys(pairs) if p in present]


def _rows_for(table: pd.DataFrame, period: str, dimension: str, group: str) -> pd.DataFrame:
    return table[(table["period"] == period) & (table["dimension"] == dimension)
                 & (table["group"] == group)]


def labelled(rows: pd.DataFrame, ladder: Ladder, language: str) -> pd.DataFrame:
    """Protected representation rows with the texts the table and chart show."""
    return rows.assign(
        label=[rank_label(ladder, c, r, language)
               for c, r in zip(rows["staff_category"], rows["rank"])],
        scope=[c if r == ALL else r for c, r in zip(rows["staff_category"], rows["rank"])],
        colour_key=rows["staff_category"],
        share_text=[share_text(s, n, language) for s, n in zip(rows["share"], rows["not_robust"])],
        count_text=[count(v, language) for v in rows["count"]],
        declared_text=[count(v, language) for v in rows["declared"]],
        headcount_text=[count(v, language) for v in rows["headcount"]],
        ci_text=[interval(lo, hi, language) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        declaration_text=[declaration_text(r, b, language) for r, b in
                          zip(rows["declaration_rate"], _bands(rows))],
        hidden_text=[NOT_ROBUST_MARK if n else (HIDDEN_MARK if pd.isna(c) else DASH)
                     for c, n in zip(rows["count"], rows["not_robust"])],
    )


def _summary(data: ReportData, table: pd.DataFrame, period: str, language: str) -> Section:
    rows = table[(table["period"] == period) & (table["staff_category"] == ALL)
                 & (table["rank"] == ALL)].drop_duplicates("dimension")
    body = [[dimension_label(r.dimension, language), count(r.declared, language),
             count(r.headcount, language), declaration_text(r.declaration_rate, b, language)]
            for r, b in zip(rows.itertuples(), _bands(rows))]
    headers = [translate(k, language) for k in ("zone_report.col_dimension", "table.declared",
                                                "table.headcount", "table.declaration_rate")]
    return Section("summary", translate("zone_report.summary_title", language), [
        translate("zone_report.summary_intro", language, zone=html.escape(data.zone), period=period),
        translate("zone_report.declaration_note", language)], [Table(headers, body, "declaration")])


def _targets_for(data: ReportData, dimension: str, group: str, language: str) -> pd.DataFrame:
    ladder = data.workforce.ladder
    rows = reference_for(_zone_rows(data.targets, data.zone), data.zone, dimension, group,
                         "target_share")
    rows = rows[rows["scope"].isin(set(ladder.rank_codes) | set(ladder.categories) | {ALL})]
    return rows.assign(scope_label=[scope_label(ladder, s, language) for s in rows["scope"]])


def _benchmark_for(data: ReportData, dimension: str, group: str) -> float | None:
    rows = reference_for(_zone_rows(data.benchmarks, data.zone), data.zone, dimension, group,
                         "share")
    return float(rows["share"].iloc[0]) if not rows.empty else None


def _zone_rows(frame: pd.DataFrame | None, zone: str) -> pd.DataFrame | None:
    return None if frame is None else frame[frame["zone"] == zone]


def _representation(data: ReportData, table: pd.DataFrame, period: str, dimension: str,
                    group: str, language: str, policy: DisclosurePolicy) -> Section:
    ladder = data.workforce.ladder
    bars = labelled(_rows_for(table, period, dimension, group), ladder, language)
    target = _targets_for(data, dimension, group, language)
    benchmark = _benchmark_for(data, dimension, group)
    words = {"group": group_label(dimension, group, language),
             "dimension": dimension_label(dimension, language)}
    title = translate("representation.chart_title", language, zone=data.zone, period=period,
                      **words)
    headers = [translate(k, language) for k in ("table.rank", "table.count", "table.declared",
                                                "table.share", "table.ci")]
    body = [[r.label, r.count_text, r.declared_text, r.share_text, r.ci_text]
            for r in bars.itertuples()]
    notes = [translate("zone_report.representation_intro", language, k=policy.min_cell, **words)]
    for line in target.itertuples():
        row = bars[bars["scope"] == line.scope]
        if row.empty:
            continue
        compared = compare_with_reference(row, float(line.target_share)).iloc[0]
        if pd.isna(compared["gap_pp"]) or pd.isna(compared["people_needed"]):
            notes.append(translate("progress.hidden", language, scope=line.scope_label))
            continue
        notes.append(translate(
            "progress.target", language, scope=line.scope_label,
            share=percent(compared["share"], language),
            target=percent(line.target_share, language), deadline=line.deadline,
            gap=decimal(compared["gap_pp"], language, signed=True),
            size=decimal(abs(compared["gap_pp"]), language, signed=True).lstrip("+"),
            needed=count(max(int(compared["people_needed"]), 0), language)))
    zone_row = bars[bars["scope"] == ALL]
    if benchmark is not None and not zone_row.empty:
        compared = compare_with_reference(zone_row, benchmark).iloc[0]
        if pd.notna(compared["index"]):
            notes.append(translate("progress.benchmark", language,
                                   benchmark=percent(benchmark, language),
                                   index=decimal(compared["index"], language, digits=2)))
    chart = Chart(f"representation_{dimension}_{group}", "representation", bars, title,
                  {"target": target, "benchmark": benchmark})
    return Section(f"representation_{dimension}_{group}",
                   translate("zone_report.representation_title", language, **words), notes,
                   [Table(headers, body, "representation")], [chart])


def _trend(data: ReportData, table: pd.DataFrame, period: str,
           focus: list[tuple[str, str]], language: str) -> Section:
    ladder = data.workforce.ladder
    charts, tables = [], []
    shown = table[table["period"].map(period_key) <= period_key(period)]
    for dimension, group in focus:
        rows = shown[(shown["dimension"] == dimension) & (shown["group"] == group)
                     & (shown["staff_category"] == ALL)]
        rows = labelled(rows.sort_values("period", key=lambda p: p.map(period_key)), ladder,
                        language)
        name = group_label(dimension, group, language)
        headers = [translate("zone_report.col_period", language), translate("table.count", language),
                   translate("table.declared", language), name, translate("table.ci", language)]
        tables.append(Table(headers, [[r.period, r.count_text, r.declared_text, r.share_text,
                                       r.ci_text] for r in rows.itertuples()], "trend"))
        whole = _targets_for(data, dimension, group, language)
        whole = whole[whole["scope"] == ALL]
        target = float(whole["target_share"].iloc[0]) if not whole.empty else None
        charts.append(Chart(f"trend_{dimension}_{group}", "trend", rows,
                            translate("zone_report.trend_chart_title", language, group=name,
                                      dimension=dimension_label(dimension, language)),
                            {"target": target, "target_text": (
                                f"{translate('chart.target', language)}: "
                                f"{percent(target, language)}" if target is not None else "")}))
    return Section("trend", translate("zone_report.trend_title", language),
                   [translate("zone_report.trend_intro", language)], tables, charts)


def changes(table: pd.DataFrame, period: str, previous: str, dimension: str, group: str,
            ladder: Ladder, language: str) -> list[str]:
    """One sentence per rank, category and the zone whose share is shown in both periods.

    A change is written only as the difference of two published numbers (shares, and counts
    when both are shown), so it tells nothing the two periods' tables do not.
    """
    now = _rows_for(table, period, dimension, group).set_index(["staff_category", "rank"])
    before = _rows_for(table, previous, dimension, group).set_index(["staff_category", "rank"])
    sentences = []
    for key, row in now.iterrows():
        if key not in before.index:
            continue
        old = before.loc[key]
        label = rank_label(ladder, key[0], key[1], language)
        if pd.isna(row["share"]) or pd.isna(old["share"]) or row["not_robust"] or \
                old["not_robust"]:
            continue
        words = {"scope": label, "group": group_label(dimension, group, language),
                 "before": percent(old["share"], language), "now": percent(row["share"], language),
                 "previous": previous}
        # the difference of the shares as printed, so that the reader's own subtraction agrees
        points = _printed_points(row["share"]) - _printed_points(old["share"])
        words |= {"change": decimal(points, language, signed=True),
                  "size": decimal(abs(points), language)}
        sentence = translate("zone_report.change_share", language, **words)
        if pd.notna(row["count"]) and pd.notna(old["count"]):
            sentence += " " + translate("zone_report.change_people", language,
                                        before=count(old["count"], language),
                                        now=count(row["count"], language),
                                        people=_signed_count(row["count"] - old["count"],
                                                             language))
        sentences.append(sentence)
    return sentences


def _printed_points(share) -> Decimal:
    """The share in percent as ``percent`` prints it (one decimal), as an exact number."""
    return parse_decimal(percent(share, "en").replace("%", "").strip(), locale="en")


def _signed_count(value, language: str) -> str:
    return format_decimal(int(value), format="+#,##0;-#,##0", locale=BABEL_LOCALES[language])


def _changes(data: ReportData, table: pd.DataFrame, period: str, previous: str | None,
             focus: list[tuple[str, str]], language: str) -> Section:
    title = translate("zone_report.changes_title", language)
    if previous is None:
        return Section("changes", title, [translate("zone_report.changes_none", language)])
    paragraphs = [translate("zone_report.changes_intro", language, previous=previous)]
    for dimension, group in focus:
        said = changes(table, period, previous, dimension, group, data.workforce.ladder,
                       language)
        paragraphs += said or [translate("zone_report.changes_hidden", language,
                                         group=group_label(dimension, group, language))]
    return Section("changes", title, paragraphs)


def _targets(data: ReportData, tables: ReportTables, language: str) -> Section:
    from cpwb_stats.measures.progress import stock_series

    title = translate("zone_report.targets_title", language)
    targets = _zone_rows(data.targets, data.zone)
    if targets is None or targets.empty:
        return Section("targets", title, [translate("zone_report.targets_none", language)])
    ladder = data.workforce.ladder
    stock = set(ladder.rank_codes) | set(ladder.categories) | {ALL}
    table = tables.representation
    upto = table[table["period"].map(period_key) <= period_key(tables.period)]
    paragraphs, body = [], []
    for number, target in enumerate(targets.itertuples()):
        scope = target.scope
        name = group_label(target.dimension, target.group, language)
        if scope not in stock:
            paragraphs.append(translate("zone_report.target_flow", language, group=name,
                                        scope=translate(f"zone_report.scope_{scope}", language)))
            continue
        label = scope_label(ladder, scope, language)
        series = stock_series(upto, data.zone, target.dimension, target.group, scope, ladder)
        progress = target_progress(series, float(target.target_share), str(target.deadline),
                                   target.baseline_period or None)
        if progress.empty:
            paragraphs.append(translate("targets.no_series", language, scope=label))
            continue
        latest = progress.iloc[-1]
        change = latest["gap_change_pp"]
        paragraphs.append(translate(
            f"targets.status_{latest['status']}", language, group=name, scope=label,
            period=latest["period"], share=percent(latest["share"], language),
            target=percent(target.target_share, language), deadline=target.deadline,
            path=percent(latest["path"], language))
            + ("" if pd.isna(change) else " " + translate(  # a first period has no change
                "targets.gap_change", language, change=decimal(change, language, signed=True),
                size=decimal(abs(change), language))))
        body.append([f"{name} · {label}", percent(target.target_share, language),
                     str(target.deadline), percent(latest["share"], language),
                     translate(f"zone_report.status_{latest['status']}", language)])
        if number not in tables.projections:
            continue
        projection = tables.projections[number]
        if projection is None:
            paragraphs.append(translate("targets.projection_hidden", language))
            continue
        sentence = translate("targets.projection", language, deadline=target.deadline,
                             share=percent(projection.share_at_deadline, language),
                             probability=percent(projection.probability, language),
                             q=percent(projection.hire_share, language)).replace("**", "")
        paragraphs.append(sentence)
    headers = [translate(k, language) for k in ("zone_report.col_target",
                                                "zone_report.col_target_share",
                                                "targets.deadline", "table.share",
                                                "zone_report.col_status")]
    return Section("targets", title, paragraphs, [Table(headers, body, "targets")] if body else [])


def _funnel(data: ReportData, tables: ReportTables, language: str,
            policy: DisclosurePolicy) -> Section:
    title = translate("zone_report.funnel_title", language)
    year = tables.period[:4]
    none = Section("funnel", title, [translate("zone_report.funnel_none", language, year=year)])
    if tables.funnel is None or not tables.focus:
        return none
    dimension = tables.focus[0][0]
    stages = data.applicants.stages
    table = tables.funnel[tables.funnel["zone"] == data.zone]
    campaigns = [c for c in dict.fromkeys(table["campaign"]) if str(c).startswith(year)]
    if not campaigns:
        return none
    paragraphs, parts, charts = [translate("zone_report.funnel_intro", language)], [], []
    for campaign in campaigns:
        rows = funnel_rows(table[table["campaign"] == campaign], stages, dimension, language,
                           policy)
        headers = [translate(k, language) for k in ("funnel.col_stage", "funnel.col_group",
                                                    "funnel.col_passed", "funnel.col_rate",
                                                    "funnel.col_air")]
        parts.append(Table(headers, [[r.stage_label, r.group_label, r.counts_text, r.rate_text,
                                      r.air_text] for r in rows.itertuples()], "funnel"))
        paragraphs.append(translate("zone_report.campaign", language, campaign=campaign))
        paragraphs += _verdicts(rows, stages, dimension, language)
        charts.append(Chart(f"funnel_{campaign}", "funnel", rows, translate(
            "zone_report.funnel_chart_title", language, campaign=campaign,
            dimension=dimension_label(dimension, language))))
    return Section("funnel", title, paragraphs, parts, charts)


def funnel_rows(rows: pd.DataFrame, stages, dimension: str, language: str,
                policy: DisclosurePolicy) -> pd.DataFrame:
    """Protected funnel rows with the texts the recruitment page's table shows."""
    return rows.assign(
        stage_label=[translate("funnel.all_stages", language) if s == ALL_STAGES
                     else stages.label(s, language) for s in rows["stage"]],
        group_label=[group_label(dimension, g, language) for g in rows["group"]],
        rate_text=[percent(v, language) for v in rows["pass_rate"]],
        counts_text=[policy.label() if (s or pd.isna(e)) else
                     f"{count(p, language)} / {count(e, language)}"
                     for p, e, s in zip(rows["passed"], rows["entered"], rows["suppressed"])],
        air_text=[translate("funnel.insufficient", language) if (i or pd.isna(v))
                  else decimal(v, language, digits=2)
                  for v, i in zip(rows["impact_ratio"], rows["insufficient_data"])])


def _verdicts(rows: pd.DataFrame, stages, dimension: str, language: str) -> list[str]:
    sentences = []
    for verdict in verdicts(rows).itertuples():
        group = group_label(dimension, verdict.group, language)
        if verdict.strength == "insufficient":
            sentences.append(translate("funnel.verdict_insufficient", language, group=group))
            continue
        if verdict.group == verdict.reference_group and verdict.strength == "none":
            continue
        p = verdict.p_fisher
        p_words = DASH if pd.isna(p) else ("p < " + decimal(0.001, language, digits=3)
                                           if p < 0.001 else "p = " + decimal(p, language,
                                                                              digits=3))
        sentences.append(translate(
            f"funnel.verdict_{verdict.strength}", language, group=group,
            stage=(translate("funnel.all_stages", language) if verdict.stage == ALL_STAGES
                   else stages.label(verdict.stage, language)),
            reference=group_label(dimension, verdict.reference_group, language),
            air=decimal(verdict.impact_ratio, language, digits=2), p=p_words).replace("**", ""))
    return sentences


def _leavers(data: ReportData, tables: ReportTables, language: str,
             policy: DisclosurePolicy) -> Section:
    title = translate("zone_report.leavers_title", language)
    none = Section("leavers", title, [translate("zone_report.leavers_none", language)])
    if tables.retention is None or not tables.focus:
        return none
    dimension = tables.focus[0][0]
    table = tables.retention
    rows = table[(table["zone"] == data.zone) & (table["period"] == tables.period)
                 & table["declared_group"].astype(bool) & (table["rank"] == ALL)]
    if rows.empty:
        return none
    rows = leaver_rows(rows, data.workforce.ladder, dimension, language)
    headers = [translate(k, language) for k in ("table.rank", "funnel.col_group",
                                                "zone_report.col_leavers",
                                                "zone_report.col_leaver_rate")]
    parts = [Table(headers, [[r.label, r.group_label, r.count_text, r.rate_text]
                             for r in rows.itertuples()], "leavers")]
    charts = [Chart("leavers", "leavers", rows, translate(
        "zone_report.leavers_chart_title", language,
        dimension=dimension_label(dimension, language), period=tables.period))]
    paragraphs = [translate("zone_report.leavers_intro", language, k=policy.min_cell)]
    cohorts = tables.cohorts
    if cohorts is not None and not cohorts.milestones.empty:
        body = [[group_label(dimension, r.group, language), decimal(r.years, language, digits=0),
                 percent(r.retention, language), interval(r.ci_low, r.ci_high, language)]
                for r in cohorts.milestones.itertuples()]
        parts.append(Table([translate(k, language) for k in (
            "funnel.col_group", "zone_report.col_years", "zone_report.col_retention",
            "table.ci")], body, "cohorts"))
        paragraphs.append(translate("zone_report.cohorts_intro", language))
    else:
        paragraphs.append(translate("zone_report.cohorts_none", language))
    return Section("leavers", title, paragraphs, parts, charts)


def leaver_rows(rows: pd.DataFrame, ladder: Ladder, dimension: str,
                language: str) -> pd.DataFrame:
    """Protected leaver rows with the texts shown: leavers / average headcount, and the rate."""
    return rows.assign(
        label=[rank_label(ladder, c, r, language)
               for c, r in zip(rows["staff_category"], rows["rank"])],
        group_label=[group_label(dimension, g, language) for g in rows["group"]],
        rate_text=[percent(v, language) for v in rows["leaver_rate"]],
        count_text=[f"{count(v, language)} / "
                    f"{decimal(h, language) if pd.notna(h) else HIDDEN_MARK}"
                    for v, h in zip(rows["leavers"], rows["average_headcount"])])


def _method(data: ReportData, table: pd.DataFrame, period: str, language: str,
            policy: DisclosurePolicy) -> Section:
    hidden = table[(table["period"] == period) & table["count"].isna()]
    paragraphs = [translate("zone_report.method_sources", language)]
    tables = []
    if data.sources is not None and not data.sources.empty:
        body = [[translate(f"kind.{r.kind}", language), str(r.period), str(r.version),
                 html.escape(str(r.filename)), str(r.sha256)[:12]]
                for r in data.sources.itertuples()]
        tables.append(Table([translate(k, language) for k in (
            "zone_report.col_kind", "zone_report.col_period", "zone_report.col_version",
            "zone_report.col_file", "zone_report.col_sha")], body, "sources"))
    paragraphs += [translate(f"zone_report.method_{k}", language, k=policy.min_cell,
                             largest_hidden=policy.min_cell - 1,  # "from 1 to 4", not "5 minus 1"
                             hidden=len(hidden), floor=policy.population_floor)
                   for k in ("definitions", "shares", "leavers", "funnel", "disclosure",
                             "hidden", "legend")]
    return Section("method", translate("zone_report.method_title", language), paragraphs, tables)


# ---------------------------------------------------------------- HTML and PDF

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #222; }
h1 { font-size: 18pt; margin: 0 0 4pt 0; } h2 { font-size: 13pt; margin: 14pt 0 4pt 0;
  border-bottom: 1px solid #0072B2; } p { margin: 3pt 0; }
table { border-collapse: collapse; margin: 6pt 0; font-size: 8.5pt; }
th, td { border: 1px solid #bbb; padding: 2pt 5pt; text-align: left; }
td + td { text-align: right; } td:first-child { white-space: nowrap; } th { background: #eef3f8; }
img { max-width: 100%; } .chart { page-break-inside: avoid; margin: 4pt 0; }
section.method { page-break-before: always; } .subtitle { color: #555; }
"""


def to_html(report: Report, images: dict[str, bytes] | None = None) -> str:
    """The report as one self-contained HTML page; ``images`` are PNG pictures per chart key."""
    images = images or {}
    lang = report.language
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
             f"<title>{html.escape(_title(report))}</title><style>{CSS}</style></head><body>",
             f"<h1>{html.escape(_title(report))}</h1>",
             '<p class="subtitle">' + html.escape(translate(
                 "zone_report.subtitle", lang, k=report.policy.min_cell)) + "</p>"]
    for section in report.sections:
        parts.append(f'<section class="{section.key.split("_")[0]}" id="{section.key}">'
                     f"<h2>{html.escape(section.title)}</h2>")
        parts += [f"<p>{_safe(p)}</p>" for p in section.paragraphs]
        for index, table in enumerate(section.tables):
            chart = section.charts[index] if index < len(section.charts) else None
            if chart is not None and chart.key in images:
                parts.append(_image(chart, images[chart.key]))
            parts.append(_table(table))
        for chart in section.charts[len(section.tables):]:
            if chart.key in images:
                parts.append(_image(chart, images[chart.key]))
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _title(report: Report) -> str:
    return translate("zone_report.title", report.language, zone=report.zone, period=report.period)


def _safe(text: str) -> str:
    """Sentences come from the catalogues with zone names and numbers filled in: escaped."""
    return html.escape(html.unescape(text))


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return f'<table class="{table.css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _image(chart: Chart, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<div class="chart"><img alt="{html.escape(chart.title)}" '
            f'src="data:image/png;base64,{data}"></div>')


def to_pdf(document: str) -> bytes:
    """The HTML printed on A4 pages by WeasyPrint, with the system's fonts."""
    from weasyprint import HTML

    return HTML(string=document).write_pdf()


def stored_report_data(engine, actor, zone: str) -> ReportData:
    """The zone's stored extracts and references, read for ``actor`` (refused if not allowed)."""
    from cpwb_stats.workspace import stored

    names = [z.name for z in stored.visible_zones(engine, actor)]
    if zone not in names:
        raise Refused([error("report_unknown_zone", value=zone, accepted=", ".join(names))])
    workforce = stored.stored_workforce(engine, actor, [zone])
    if workforce is None:
        raise Refused([error("report_unknown_zone", value=zone, accepted=", ".join(names))])
    history = stored.history(engine, actor, zone)
    sources = history[history["current"]].drop(columns=["id", "current"])
    return ReportData(zone, workforce, stored.stored_movements(engine, actor, [zone]),
                      stored.stored_applicants(engine, actor, [zone]),
                      stored.stored_reference(engine, actor, zone, "targets"),
                      stored.stored_reference(engine, actor, zone, "benchmarks"), sources)
