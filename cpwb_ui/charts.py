"""Plotly figures from tidy, already protected frames. No statistics are computed here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#56B4E9", "#F0E442", "#999999"]
ZONE_COLOUR = "#009E73"
TARGET_COLOUR = "#D55E00"
BENCHMARK_COLOUR = "#CC79A7"


def representation_chart(rows: pd.DataFrame, title: str, target: pd.DataFrame | None,
                         benchmark: float | None, words: dict[str, str]) -> go.Figure:
    """Bars: the group's share per rank (lowest first), category totals and the zone.

    ``rows`` carries ``label``, ``share``, ``ci_low``, ``ci_high``, ``count_text``,
    ``declared_text``, ``share_text``, ``colour_key`` and ``scope`` per bar.
    ``target`` has ``scope`` and ``target_share``; a scope of 'all' spans the whole chart.
    """
    keys = list(dict.fromkeys(rows["colour_key"]))
    colours = {k: (ZONE_COLOUR if k == "all" else CATEGORY_COLOURS[i % 5]) for i, k in enumerate(keys)}
    figure = go.Figure(go.Bar(
        x=rows["label"], y=rows["share"],
        marker_color=[colours[k] for k in rows["colour_key"]],
        error_y=dict(type="data", symmetric=False,
                     array=(rows["ci_high"] - rows["share"]).tolist(),
                     arrayminus=(rows["share"] - rows["ci_low"]).tolist(), color="#444"),
        text=rows["share_text"], textposition="outside",
        customdata=rows[["count_text", "declared_text", "ci_text"]].to_numpy(),
        hovertemplate=(f"%{{x}}<br>{words['share']}: %{{text}}<br>{words['count']}: "
                       f"%{{customdata[0]}} / %{{customdata[1]}}<br>{words['ci']}: "
                       "%{customdata[2]}<extra></extra>"),
        name=words["share"],
    ))
    _reference_lines(figure, rows, target, benchmark, words)
    figure.update_layout(title=title, yaxis_tickformat=".0%", yaxis_rangemode="tozero",
                         margin=dict(t=60, b=40), legend_orientation="h", height=460,
                         uniformtext_minsize=9, separators=words.get("separators", ".,"))
    return figure


def _reference_lines(figure: go.Figure, rows: pd.DataFrame, target: pd.DataFrame | None,
                     benchmark: float | None, words: dict[str, str]) -> None:
    labels = rows["label"].tolist()
    for _, line in (target if target is not None else pd.DataFrame()).iterrows():
        span = labels if line["scope"] == "all" else rows.loc[
            rows["scope"] == line["scope"], "label"].tolist()
        if span:
            figure.add_trace(go.Scatter(
                x=span, y=[line["target_share"]] * len(span), mode="lines+markers",
                line=dict(color=TARGET_COLOUR, dash="dash", width=2),
                marker=dict(symbol="line-ew", size=14, line_width=2),
                name=f"{words['target']} ({line['scope_label']})"))
    if benchmark is not None:
        figure.add_trace(go.Scatter(x=labels, y=[benchmark] * len(labels), mode="lines",
                                    line=dict(color=BENCHMARK_COLOUR, dash="dot", width=2),
                                    name=words["benchmark"]))


def trend_chart(rows: pd.DataFrame, title: str, words: dict[str, str]) -> go.Figure:
    """The zone's share over periods with its 95% interval as a band."""
    figure = go.Figure([
        go.Scatter(x=rows["period"], y=rows["ci_high"], mode="lines", line_width=0,
                   showlegend=False, hoverinfo="skip"),
        go.Scatter(x=rows["period"], y=rows["ci_low"], mode="lines", line_width=0,
                   fill="tonexty", fillcolor="rgba(0,158,115,0.2)", name=words["ci"],
                   hoverinfo="skip"),
        go.Scatter(x=rows["period"], y=rows["share"], mode="lines+markers",
                   line_color=ZONE_COLOUR, name=words["share"], text=rows["share_text"],
                   hovertemplate="%{x}: %{text}<extra></extra>"),
    ])
    figure.update_layout(title=title, yaxis_tickformat=".0%", yaxis_rangemode="tozero",
                         height=320, margin=dict(t=50, b=30), xaxis_type="category",
                         separators=words.get("separators", ".,"))
    return figure
