"""The report's charts as pictures: the pages' own Plotly figures, drawn by kaleido.

Kaleido prints with the system's Chromium (``BROWSER_PATH``, Debian's ``/usr/bin/chromium`` by
default), so nothing is downloaded. All of a report's charts are drawn in one browser session.
Imports nothing of Streamlit, so the command line can draw them too.
"""

from __future__ import annotations

import asyncio
import os

import plotly.graph_objects as go

from cpwb_figures import charts
from cpwb_stats.i18n import translate
from cpwb_stats.output.report import Chart, Report

SEPARATORS = {"en": ".,", "nl": ", ", "fr": ", "}
WIDTH = 900


def words(language: str) -> dict[str, str]:
    keys = ("share", "count", "ci", "target", "benchmark")
    return {k: translate(f"chart.{k}", language) for k in keys} | {
        "air": translate("funnel.col_air", language),
        "leaver_rate": translate("zone_report.col_leaver_rate", language),
        "leavers": translate("zone_report.col_leavers", language),
        "separators": SEPARATORS[language]}


def figure(chart: Chart, language: str) -> go.Figure:
    """The same figure the page draws from the same protected rows."""
    said = words(language)
    if chart.kind == "representation":
        return charts.representation_chart(chart.rows, chart.title, chart.options.get("target"),
                                           chart.options.get("benchmark"), said)
    if chart.kind == "trend":
        return charts.trend_chart(chart.rows, chart.title, said, chart.options.get("target"),
                                  chart.options.get("target_text", ""))
    if chart.kind == "funnel":
        return charts.funnel_chart(chart.rows, chart.title, said)
    if chart.kind == "leavers":
        return charts.leaver_rate_chart(chart.rows, chart.title, said)
    raise ValueError(f"no figure for {chart.kind}")


def pictures(report: Report) -> dict[str, bytes]:
    """PNG pictures of every chart of the report, by chart key."""
    return pictures_of([report])[report.zone, report.language]


def pictures_of(reports: list[Report]) -> dict[tuple[str, str], dict[str, bytes]]:
    """The pictures of several reports, by (zone, language), drawn in one browser session."""
    figures = {(r.zone, r.language, c.key): figure(c, r.language)
               for r in reports for c in r.charts}
    drawn = asyncio.run(_draw(figures)) if figures else {}
    out: dict[tuple[str, str], dict[str, bytes]] = {(r.zone, r.language): {} for r in reports}
    for (zone, language, key), png in drawn.items():
        out[zone, language][key] = png
    return out


async def _draw(figures: dict) -> dict:
    import kaleido

    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    drawn = {}
    async with kaleido.Kaleido(n=1) as session:
        for key, fig in figures.items():
            height = fig.layout.height or 420
            drawn[key] = await session.calc_fig(fig, opts=dict(format="png", width=WIDTH,
                                                               height=height, scale=1.5))
    return drawn
