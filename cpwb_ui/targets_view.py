"""The targets page's parts: editing and storing targets and benchmarks, progress, projection."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cpwb_figures.charts import GROUP_COLOURS, ZONE_COLOUR, title_space, wrapped_title
from cpwb_stats.demo.samples import note_code, note_label
from cpwb_stats.i18n import LANGUAGES, translate
from cpwb_stats.ingest.cell_values import parse_period
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.measures.progress import FLOWS, check_targets, stock_series
from cpwb_stats.output.export import to_csv_bytes
from cpwb_stats.pipeline import (
    SERIES_COLUMNS,
    protected_applicant_series,
    protected_flow_series,
)
from cpwb_stats.problems import ExtractRejected, Refused
from cpwb_stats.targets.definitions import (
    BENCHMARK_COLUMNS,
    TARGET_COLUMNS,
    compare_with_reference,
    parse_percentage,
    read_benchmarks,
    read_targets,
)
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_stats.terms.vocabulary import normalise_label
from cpwb_stats.workspace.versions import UploadedFile, store_reference
from cpwb_ui import downloads, formatting, upload_flow
from cpwb_ui.account import engine

COLUMNS = {"targets": TARGET_COLUMNS, "benchmarks": BENCHMARK_COLUMNS}
HIRE_SHARES = [round(i / 1000, 3) for i in range(1001)]  # 0 % to 100 % by 0.1 %
LEAVER_FACTORS = [round(0.25 + i * 0.05, 2) for i in range(36)]  # 0.25 to 2.00
SHARE = {"targets": "target_share", "benchmarks": "share"}


def zone_rows(table: pd.DataFrame | None, zone: str, kind: str) -> pd.DataFrame:
    columns = COLUMNS[kind][1:]
    if table is None or table.empty:
        return pd.DataFrame(columns=columns).astype({SHARE[kind]: float})
    rows = table[table["zone"] == zone] if "zone" in table else table
    return rows.reindex(columns=columns).reset_index(drop=True)


def _scope_options(ladder: Ladder, kind: str, language: str) -> dict[str, str]:
    scopes = [ALL, *ladder.categories, *ladder.rank_codes]
    labels = {s: formatting.scope_label(ladder, s, language) for s in scopes}
    if kind == "targets":
        labels |= {f: translate(f"targets.flow_{f}", language) for f in FLOWS}
    return labels


def _group_options(dimensions: dict, language: str) -> dict[tuple[str, str], str]:
    return {(name, g): formatting.group_label(name, g, language)
            for name, d in dimensions.items() for g in d.declared}


def percent_text(value: object, language: str) -> str:
    """A stored fraction as the person would type it back: 10 %, 10,5 % (empty when none)."""
    if value is None or value == "" or pd.isna(value):
        return ""
    number = float(value) * 100
    return f"{formatting.decimal_plain(number, language)} %"


def display_rows(rows: pd.DataFrame, kind: str, dimensions: dict, ladder: Ladder,
                 language: str) -> pd.DataFrame:
    """The rows as the editor shows them: labels for codes, shares in %, empty cells empty."""
    groups = _group_options(dimensions, language)
    scopes = _scope_options(ladder, kind, language)
    shown = rows.astype(object).where(rows.notna(), "").astype(str).replace("None", "")
    shown["group"] = [groups.get((d, g), g) for d, g in zip(rows["dimension"], shown["group"])]
    shown["dimension"] = [formatting.dimension_label(d, language) if d in dimensions else d
                          for d in shown["dimension"]]
    shown["scope"] = [scopes.get(s, s) for s in shown["scope"]]
    shown[SHARE[kind]] = [percent_text(v, language) for v in rows[SHARE[kind]]]
    if "note" in shown:
        shown["note"] = [note_label(n, language) for n in shown["note"]]
    return shown.astype(str)


def coded_rows(shown: pd.DataFrame, kind: str, dimensions: dict, ladder: Ladder,
               language: str) -> tuple[pd.DataFrame, dict[int, str]]:
    """The edited rows back in codes and fractions, and a message per share typed that cannot
    be read, by row number (an empty share is the targets check's to name)."""
    shown = shown.replace("", None).dropna(how="all").reset_index(drop=True)
    coded = codes_for_labels(shown, kind, dimensions, ladder, (language,))
    shares = [parse_percentage(v) for v in shown[SHARE[kind]]]
    messages = {number: translate("targets.bad_percentage", language, row=number, value=text)
                for number, (text, share) in enumerate(zip(shown[SHARE[kind]], shares), start=1)
                if share is None and _typed(text)}
    coded[SHARE[kind]] = pd.Series(shares, index=coded.index, dtype=float)
    if "note" in coded:
        coded["note"] = [n if n is None or pd.isna(n) else note_code(n) for n in coded["note"]]
    return coded, messages


def _typed(value: object) -> bool:
    """Something was typed in the cell: not left empty (the grid gives an empty cell as None,
    '' or NaN)."""
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and bool(
        str(value).strip())


def codes_for_labels(rows: pd.DataFrame, kind: str, dimensions: dict, ladder: Ladder,
                     languages: tuple[str, ...]) -> pd.DataFrame:
    """Dimensions, groups and scopes written as labels in ``languages`` back in codes."""
    dimension_codes, group_codes, scope_codes = {}, {}, {}
    for language in languages:
        dimension_codes |= {formatting.dimension_label(d, language): d for d in dimensions}
        group_codes |= {(d, label): g for (d, g), label in
                        _group_options(dimensions, language).items()}
        scope_codes |= {label: s for s, label in _scope_options(ladder, kind, language).items()}
    coded = rows.copy()
    coded["dimension"] = [dimension_codes.get(d, d) for d in rows["dimension"]]
    coded["group"] = [group_codes.get((d, g), g) for d, g in zip(coded["dimension"],
                                                                   rows["group"])]
    coded["scope"] = [scope_codes.get(s, s) for s in rows["scope"]]
    return coded


_HEADERS = {"zone": "sidebar.zone", "dimension": "representation.dimension",
            "group": "representation.group", "scope": "targets.scope",
            "target_share": "targets.target_share_percent", "share": "targets.share_percent",
            "deadline": "targets.deadline", "baseline_period": "targets.baseline",
            "note": "targets.note", "source": "targets.source"}


def export_rows(rows: pd.DataFrame, kind: str, zone: str, dimensions: dict, ladder: Ladder,
                language: str) -> pd.DataFrame:
    """The zone's targets as the editor shows them, with its headers: imported back as they are."""
    shown = display_rows(rows, kind, dimensions, ladder, language).assign(zone=zone)
    return shown[COLUMNS[kind]].rename(columns={c: translate(_HEADERS[c], language)
                                                for c in COLUMNS[kind]})


def read_reference(content: bytes, kind: str, dimensions: dict, ladder: Ladder) -> pd.DataFrame:
    """A targets or benchmarks file in codes, or as exported from this page in any language."""
    headers = {normalise_label(translate(_HEADERS[c], language)): c
               for language in LANGUAGES for c in COLUMNS[kind]}
    rows = READERS[kind](content, headers)
    return codes_for_labels(rows, kind, dimensions, ladder, LANGUAGES)


def editor(rows: pd.DataFrame, kind: str, dimensions: dict, ladder: Ladder, periods: list[str],
           language: str, editable: bool) -> pd.DataFrame:
    """The table a person edits, in labels and percentages; returns it as edited (labels)."""
    labels = _group_options(dimensions, language)
    groups = list(dict.fromkeys(labels.values()))
    # a new row starts filled in (the first dimension and group, the whole zone), so no cell
    # reads "None"; the person changes what differs
    first = next(iter(labels), (None, None))
    config = {
        "dimension": st.column_config.SelectboxColumn(
            translate("representation.dimension", language),
            options=[formatting.dimension_label(d, language) for d in dimensions],
            default=formatting.dimension_label(first[0], language) if first[0] else None),
        "group": st.column_config.SelectboxColumn(translate("representation.group", language),
                                                  options=groups, default=labels.get(first)),
        "scope": st.column_config.SelectboxColumn(
            translate("targets.scope", language),
            options=list(_scope_options(ladder, kind, language).values()),
            default=formatting.scope_label(ladder, ALL, language)),
        SHARE[kind]: st.column_config.TextColumn(
            translate(f"targets.{SHARE[kind]}_percent", language),
            help=translate("targets.percent_help", language), default=""),
    }
    if kind == "targets":
        config |= {
            "deadline": st.column_config.TextColumn(translate("targets.deadline", language),
                                                    help=translate("targets.date_help", language),
                                                    default=""),
            "baseline_period": st.column_config.TextColumn(
                translate("targets.baseline", language),
                help=translate("targets.baseline_help", language,
                               periods=", ".join(periods) or "–"), default=""),
            "note": st.column_config.TextColumn(translate("targets.note", language), default="")}
    else:
        config["source"] = st.column_config.TextColumn(translate("targets.source", language),
                                                       default="")
    shown = display_rows(rows, kind, dimensions, ladder, language)
    return st.data_editor(shown, num_rows="dynamic" if editable else "fixed", hide_index=True,
                          disabled=not editable, column_config=config, key=f"{kind}_editor")


def save(actor, zone: str, kind: str, rows: pd.DataFrame, language: str) -> bool:
    table = rows.assign(zone=zone)[COLUMNS[kind]]
    share = table[SHARE[kind]]
    table = table.astype(object).where(table.notna(), "").assign(**{SHARE[kind]: share})
    upload = UploadedFile(to_csv_bytes(table), f"{kind} (edited in the app).csv", MappingProfile())
    try:
        store_reference(engine(), actor, zone, kind, table, upload)
    except Refused as refused:
        for message in refused.messages(language):
            st.error(message)
        return False
    return True


def status_sentence(target: pd.Series, progress: pd.DataFrame, needed: int | None,
                    language: str, scope_label: str, group_label: str) -> tuple[str, str]:
    """(status, sentence) for the target's latest visible period."""
    if progress.empty:
        return "hidden", translate("targets.no_series", language, scope=scope_label)
    latest = progress.iloc[-1]
    change = latest["gap_change_pp"]
    words = {
        "group": group_label, "scope": scope_label, "period": latest["period"],
        "share": formatting.percent(latest["share"], language),
        "target": formatting.percent(target["target_share"], language),
        "deadline": target["deadline"], "path": formatting.percent(latest["path"], language)}
    sentence = translate(f"targets.status_{latest['status']}", language, **words)
    if pd.notna(change):  # a first period has no change to speak of
        sentence += " " + translate("targets.gap_change", language,
                                    change=formatting.decimal(change, language, signed=True),
                                    size=formatting.decimal(abs(change), language,
                                                            signed=True).lstrip("+"))
    if needed:
        sentence += " " + translate("targets.people_needed", language, needed=needed)
    return latest["status"], sentence


def progress_chart(progress: pd.DataFrame, target: pd.Series, projection, title: str,
                   words: dict[str, str]) -> go.Figure:
    figure = go.Figure()
    if projection is not None:
        first = _year(progress["period"].iloc[-1])
        years = [first + y for y in projection.band["year"]]
        figure.add_trace(go.Scatter(x=years, y=projection.band["high"], mode="lines",
                                    line_width=0, showlegend=False, hoverinfo="skip"))
        figure.add_trace(go.Scatter(x=years, y=projection.band["low"], mode="lines", line_width=0,
                                    fill="tonexty", fillcolor="rgba(0,114,178,0.15)",
                                    name=words["band"], hoverinfo="skip"))
        figure.add_trace(go.Scatter(x=years, y=projection.line["share"], mode="lines",
                                    line=dict(color=GROUP_COLOURS[0], dash="dot"),
                                    name=words["projection"]))
        figure.add_trace(go.Scatter(x=years, y=projection.equal_rates["share"], mode="lines",
                                    line=dict(color="#999999", dash="dash"),
                                    name=words["equal_rates"]))
    actual_years = [_year(p) for p in progress["period"]]
    figure.add_trace(go.Scatter(x=actual_years, y=progress["share"], mode="lines+markers",
                                line_color=ZONE_COLOUR, name=words["actual"]))
    deadline = _year(target["deadline"])
    figure.add_trace(go.Scatter(x=[actual_years[0], deadline],
                                y=[progress["path"].iloc[0], target["target_share"]],
                                mode="lines+markers", line=dict(color="#D55E00", dash="dash"),
                                name=words["path"]))
    heading = wrapped_title(title, 70)
    figure.update_layout(title=heading, yaxis_tickformat=".0%", yaxis_rangemode="tozero",
                         height=360, margin=dict(t=title_space(heading), b=30),
                         legend_title_text="",
                         separators=words.get("separators", ".,"))
    return figure


def _year(period: str) -> float:
    text = str(period)
    return float(text[:4]) + (0.0 if len(text) == 4 else (int(text[5:7]) - 0.5) / 12)


def projection_sentence(projection, target: pd.Series, language: str) -> str:
    words = {"share": formatting.percent(projection.share_at_deadline, language),
             "deadline": target["deadline"],
             "probability": formatting.percent(projection.probability, language),
             "q": formatting.percent(projection.hire_share, language)}
    sentence = translate("targets.projection", language, **words)
    if math.isinf(projection.hire_share_needed):
        return sentence + " " + translate("targets.out_of_reach", language)
    return sentence + " " + translate("targets.hires_needed", language, needed=formatting.percent(
        projection.hire_share_needed, language))


def series_for(dataset, zone: str, target: pd.Series, table: pd.DataFrame | None,
               policy) -> pd.DataFrame:
    """The actual shares the target is read against: the representation's for a stock scope,
    else the protected flow or applicant series (:mod:`cpwb_stats.pipeline`)."""
    extract = dataset.extract
    if target["scope"] not in FLOWS:
        return stock_series(table, zone, target["dimension"], target["group"], target["scope"],
                            extract.ladder)
    if target["scope"] == "applicants":
        if dataset.applicants is None:
            return pd.DataFrame(columns=SERIES_COLUMNS)
        return protected_applicant_series(dataset.applicants, target["dimension"],
                                          target["group"], policy)
    if dataset.movements is None:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    return protected_flow_series(extract, dataset.movements, target["scope"],
                                 target["dimension"], target["group"], zone, policy)


def people_needed(series: pd.DataFrame, target_share: float) -> int | None:
    latest = series.dropna(subset=["share"]).tail(1)
    if latest.empty or latest["count"].isna().any() or latest["declared"].isna().any():
        return None
    needed = compare_with_reference(latest, target_share)["people_needed"].iloc[0]
    return int(needed) if pd.notna(needed) and needed > 0 else None


def years_to_deadline(deadline: str, latest_period: str) -> int:
    """Whole years from the latest period to the deadline (at least one)."""
    return max(int(_year(parse_period(str(deadline)) or str(deadline)) - _year(latest_period)), 1)


READERS = {"targets": read_targets, "benchmarks": read_benchmarks}


def edit_tab(kind: str, dataset, zone: str, account, language: str, editable: bool) -> None:
    """Import, edit, check and store a zone's targets or benchmarks; export them."""
    rows = zone_rows(getattr(dataset, kind), zone, kind)
    imported = st.file_uploader(translate("targets.import", language), type=["csv", "xlsx"],
                                key=f"{kind}_import", disabled=not editable)
    if editable:
        upload_flow.uploader_words(language)
    if imported is not None:
        try:
            rows = zone_rows(read_reference(imported.getvalue(), kind, dataset.extract.dimensions,
                                            dataset.extract.ladder), zone, kind)
        except ExtractRejected as rejected:
            for message in rejected.messages(language):
                st.error(message)
    extract = dataset.extract
    edited = editor(rows, kind, extract.dimensions, extract.ladder, dataset.periods(zone),
                    language, editable)
    if editable and st.button(translate("targets.save", language), type="primary",
                              key=f"save_{kind}"):
        coded, unreadable = coded_rows(edited, kind, extract.dimensions, extract.ladder,
                                       language)
        problems = (check_targets(coded, extract.dimensions, extract.ladder)
                    if kind == "targets" else [])
        for message in unreadable.values():
            st.error(message)
        for problem in problems:
            if not (problem.column == SHARE[kind] and problem.row in unreadable):
                st.error(f"{translate('report.row', language)} {problem.row}: "
                         f"{problem.message(language)}")
        whole = coded[coded[SHARE[kind]] >= 1]
        if not unreadable and not problems:
            if not whole.empty:
                st.session_state["targets_whole_warning"] = translate(
                    "targets.whole_group", language, count=len(whole), rows=", ".join(
                        str(i + 1) for i in whole.index))
            if save(account, zone, kind, coded, language):
                st.session_state[f"{kind}_saved"] = translate("targets.saved", language)
                st.rerun()
    for key, show in ((f"{kind}_saved", st.success), ("targets_whole_warning", st.warning)):
        if key in st.session_state:
            show(st.session_state.pop(key))
    if not editable:
        st.caption(translate("targets.read_only", language))
    export = export_rows(rows, kind, zone, extract.dimensions, extract.ladder, language)
    csv_column, xlsx_column = st.columns(2)
    csv_column.download_button(translate("targets.export_csv", language),
                               downloads.csv_bytes(export, language),
                               file_name=downloads.file_name(kind, language, suffix="csv"),
                               mime="text/csv", key=f"{kind}_csv")
    xlsx_column.download_button(
        translate("targets.export_xlsx", language),
        downloads.xlsx_bytes({translate(f"download.file.{kind}", language): export}),
        file_name=downloads.file_name(kind, language, suffix="xlsx"), key=f"{kind}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
