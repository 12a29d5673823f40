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
    """Horizontal bars, lowest rank at the top: the group's share per rank, category and zone.

    ``rows`` carries ``label``, ``share``, ``ci_low``, ``ci_high``, ``share_text``,
    ``count_text``, ``declared_text``, ``ci_text``, ``colour_key`` and ``scope`` per bar.
    ``target`` has ``scope``, ``scope_label`` and ``target_share``; scope 'all' spans the chart.
    """
    keys = list(dict.fromkeys(rows["colour_key"]))
    colours = {k: (ZONE_COLOUR if k == "all" else CATEGORY_COLOURS[i % 5])
               for i, k in enumerate(keys)}
    figure = go.Figure(go.Bar(
        y=rows["label"], x=rows["share"], orientation="h",
        marker_color=[colours[k] for k in rows["colour_key"]],
        error_x=dict(type="data", symmetric=False,
                     array=(rows["ci_high"] - rows["share"]).tolist(),
                     arrayminus=(rows["share"] - rows["ci_low"]).tolist(), color="#444"),
        text=rows["share_text"], textposition="outside", cliponaxis=False,
        customdata=rows[["count_text", "declared_text", "ci_text"]].to_numpy(),
        hovertemplate=(f"%{{y}}<br>{words['share']}: %{{text}}<br>{words['count']}: "
                       f"%{{customdata[0]}} / %{{customdata[1]}}<br>{words['ci']}: "
                       "%{customdata[2]}<extra></extra>"),
        name=words["share"],
    ))
    hidden = rows[rows["share"].isna()]
    figure.add_trace(go.Scatter(
        y=hidden["label"], x=[0] * len(hidden), mode="text", text=hidden["hidden_text"],
        textposition="middle right", showlegend=False, hoverinfo="skip"))
    _reference_lines(figure, rows, target, benchmark, words)
    figure.update_layout(
        title=title, xaxis_tickformat=".0%", xaxis_rangemode="tozero",
        yaxis=dict(categoryorder="array", categoryarray=rows["label"].tolist()[::-1]),
        margin=dict(t=60, b=40, l=10, r=40), legend_orientation="h",
        height=160 + 34 * len(rows), separators=words.get("separators", ".,"))
    return figure


def _reference_lines(figure: go.Figure, rows: pd.DataFrame, target: pd.DataFrame | None,
                     benchmark: float | None, words: dict[str, str]) -> None:
    labels = rows["label"].tolist()
    for _, line in (target if target is not None else pd.DataFrame()).iterrows():
        span = labels if line["scope"] == "all" else rows.loc[
            rows["scope"] == line["scope"], "label"].tolist()
        if span:
            figure.add_trace(go.Scatter(
                y=span, x=[line["target_share"]] * len(span), mode="markers",
                marker=dict(symbol="line-ns", size=22, line=dict(width=3, color=TARGET_COLOUR)),
                name=f"{words['target']} ({line['scope_label']})",
                hovertemplate=f"{words['target']}: %{{x:.1%}}<extra></extra>"))
    if benchmark is not None:
        figure.add_trace(go.Scatter(
            y=labels, x=[benchmark] * len(labels), mode="lines",
            line=dict(color=BENCHMARK_COLOUR, dash="dot", width=2), name=words["benchmark"],
            hovertemplate=f"{words['benchmark']}: %{{x:.1%}}<extra></extra>"))


def trend_chart(rows: pd.DataFrame, title: str, words: dict[str, str],
                target: float | None = None, target_text: str = "") -> go.Figure:
    """The zone's share over periods with its 95% interval as a band, and the target as a line.

    ``target`` is the whole zone's target share; ``target_text`` its label, written at the
    line's right end so it can be read without hovering.
    """
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
    if target is not None:
        periods = rows["period"].tolist()
        figure.add_trace(go.Scatter(
            x=periods, y=[target] * len(periods), mode="lines+text",
            line=dict(color=TARGET_COLOUR, width=2), name=target_text or words["target"],
            text=[""] * (len(periods) - 1) + [target_text], textposition="top left",
            textfont_color=TARGET_COLOUR, hovertemplate=f"{target_text}<extra></extra>"))
    figure.update_layout(title=title, yaxis_tickformat=".1~%", yaxis_rangemode="tozero",
                         height=320, margin=dict(t=50, b=30), xaxis_type="category",
                         legend_orientation="h", separators=words.get("separators", ".,"))
    return figure


GROUP_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]


def funnel_chart(rows: pd.DataFrame, title: str, words: dict[str, str]) -> go.Figure:
    """Pass rate per stage, one bar per group, with the 95% interval; AIR and counts on hover.

    ``rows`` carries ``stage_label``, ``group_label``, ``pass_rate``, ``ci_low``, ``ci_high``,
    ``rate_text``, ``counts_text`` and ``air_text``.
    """
    figure = go.Figure()
    for i, (group, part) in enumerate(rows.groupby("group_label", sort=False)):
        figure.add_trace(go.Bar(
            x=part["stage_label"], y=part["pass_rate"], name=group,
            marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
            error_y=dict(type="data", symmetric=False,
                         array=(part["ci_high"] - part["pass_rate"]).tolist(),
                         arrayminus=(part["pass_rate"] - part["ci_low"]).tolist(), color="#444"),
            customdata=part[["rate_text", "counts_text", "air_text"]].to_numpy(),
            hovertemplate=(f"%{{x}}<br>{group}: %{{customdata[0]}} (%{{customdata[1]}})<br>"
                           f"{words['air']}: %{{customdata[2]}}<extra></extra>")))
    figure.update_layout(title=title, barmode="group", yaxis_tickformat=".0%",
                         yaxis_range=[0, 1.05], height=420, legend_orientation="h",
                         margin=dict(t=60, b=40), separators=words.get("separators", ".,"))
    return figure


def impact_ratio_chart(rows: pd.DataFrame, title: str, words: dict[str, str]) -> go.Figure:
    """Impact ratio per stage, one bar per group, with the four-fifths line.

    ``rows`` carries ``stage_label``, ``group_label``, ``impact_ratio``, ``air_text`` and
    ``p_text`` (the pooled test's p-value as written in the table).
    """
    figure = go.Figure()
    for i, (group, part) in enumerate(rows.groupby("group_label", sort=False)):
        figure.add_trace(go.Bar(
            x=part["stage_label"], y=part["impact_ratio"], name=group,
            marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)], text=part["air_text"],
            textposition="outside", cliponaxis=False,
            customdata=part[["p_text"]].to_numpy(),
            hovertemplate=(f"%{{x}}<br>{group}: {words['air']} %{{text}}<br>{words['p']}: "
                           "%{customdata[0]}<extra></extra>")))
    figure.add_hline(y=0.8, line=dict(color=TARGET_COLOUR, width=2),
                     annotation_text=words["four_fifths"], annotation_position="top left")
    figure.update_layout(title=title, barmode="group", height=420, legend_orientation="h",
                         yaxis_rangemode="tozero", margin=dict(t=60, b=40),
                         separators=words.get("separators", ".,"))
    return figure


def contribution_chart(rows: pd.DataFrame, title: str, words: dict[str, str]) -> go.Figure:
    """Waterfall of ln AIR per stage: the bars add up to the bottom-line ln AIR."""
    figure = go.Figure(go.Waterfall(
        x=[*rows["stage_label"], words["bottom_line"]], y=[*rows["log_impact"], None],
        measure=["relative"] * len(rows) + ["total"],
        decreasing=dict(marker_color="#D55E00"), increasing=dict(marker_color="#009E73"),
        totals=dict(marker_color="#0072B2")))
    figure.update_layout(title=title, height=360, margin=dict(t=60, b=40),
                         yaxis_title=words["log_air"], separators=words.get("separators", ".,"))
    return figure



def leaver_rate_chart(rows: pd.DataFrame, title: str, words: dict[str, str]) -> go.Figure:
    """Leaver rate per rank or category (y) for each group (colour); hidden rates show no bar.

    ``rows`` carries ``label``, ``group_label``, ``leaver_rate``, ``rate_text`` and
    ``count_text`` (leavers / average headcount, as shown in the table).
    """
    figure = go.Figure()
    for i, (group, part) in enumerate(rows.groupby("group_label", sort=False)):
        figure.add_trace(go.Bar(
            y=part["label"], x=part["leaver_rate"], orientation="h", name=group,
            marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)], text=part["rate_text"],
            textposition="outside", cliponaxis=False, customdata=part[["count_text"]].to_numpy(),
            hovertemplate=(f"%{{y}} · {group}<br>{words['leaver_rate']}: %{{text}}<br>"
                           f"{words['leavers']}: %{{customdata[0]}}<extra></extra>")))
    figure.update_layout(title=title, barmode="group", xaxis_tickformat=".1%",
                         yaxis_autorange="reversed", legend_title_text="",
                         margin=dict(l=10, r=40, t=60, b=10), height=160 + 22 * len(rows),
                         separators=words.get("separators", ".,"))
    return figure


def retention_curve_chart(curves: pd.DataFrame, title: str, words: dict[str, str]) -> go.Figure:
    """Kaplan-Meier steps per group with their 95% band; ``group_label`` names each group."""
    figure = go.Figure()
    for i, (group, part) in enumerate(curves.groupby("group_label", sort=False)):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        years = [0.0, *part["years"]]
        for bound, fill in (("ci_high", None), ("ci_low", "tonexty")):
            figure.add_trace(go.Scatter(
                x=years, y=[1.0, *part[bound].fillna(part["retention"])], mode="lines",
                line_shape="hv", line_width=0, fill=fill, fillcolor=_translucent(colour),
                hoverinfo="skip", showlegend=False))
        figure.add_trace(go.Scatter(
            x=years, y=[1.0, *part["retention"]], mode="lines", line_shape="hv", name=group,
            line_color=colour, customdata=[[""], *part[["at_risk_text"]].to_numpy()],
            hovertemplate=(f"{group}<br>{words['years']}: %{{x:.1f}}<br>{words['retention']}: "
                           f"%{{y:.1%}}<br>{words['at_risk']}: %{{customdata[0]}}<extra></extra>")))
    figure.update_layout(title=title, yaxis_tickformat=".0%", yaxis_range=[0, 1.02],
                         xaxis_title=words["years"], legend_title_text="",
                         margin=dict(l=10, r=10, t=60, b=10),
                         separators=words.get("separators", ".,"))
    return figure


def _translucent(colour: str, alpha: float = 0.15) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
