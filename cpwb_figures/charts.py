"""Plotly figures from tidy, already protected frames. No statistics are computed here."""

from __future__ import annotations

import math
import textwrap

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
        text=rows["share_text"], textposition="none",
        customdata=rows[["count_text", "declared_text", "ci_text"]].to_numpy(),
        hovertemplate=(f"%{{y}}<br>{words['share']}: %{{text}}<br>{words['count']}: "
                       f"%{{customdata[0]}} / %{{customdata[1]}}<br>{words['ci']}: "
                       "%{customdata[2]}<extra></extra>"),
        name=words["share"], showlegend=False,
    ))
    # The share is written just right of the interval's end, never under the error bar.
    shown = rows[rows["share"].notna()]
    figure.add_trace(go.Scatter(
        y=shown["label"], x=shown["ci_high"].fillna(shown["share"]), mode="text",
        text=[f"  {text}" for text in shown["share_text"]], textposition="middle right",
        cliponaxis=False, showlegend=False, hoverinfo="skip"))
    # One legend entry per bar colour (each category, and the whole zone).
    for key in keys:
        named = (rows.loc[rows["colour_key"] == key, "legend_name"] if "legend_name" in rows
                 else rows.loc[rows["scope"] == key, "label"])
        figure.add_trace(go.Bar(y=[None], x=[None], orientation="h", marker_color=colours[key],
                                name=named.iloc[0] if len(named) else key, hoverinfo="skip"))
    hidden = rows[rows["share"].isna()]
    figure.add_trace(go.Scatter(
        y=hidden["label"], x=[0] * len(hidden), mode="text", text=hidden["hidden_text"],
        textposition="middle right", showlegend=False, hoverinfo="skip"))
    drawn = _reference_lines(figure, rows, target, benchmark, words)
    # The axis reaches every bar's interval and every target and benchmark line drawn.
    ends = [*rows["ci_high"].fillna(rows["share"]).dropna().tolist(), *drawn]
    top = max([float(x) for x in ends if not pd.isna(x)], default=0.0)
    top = 0.1 if top <= 0 else top
    title_lines = wrapped_title(title, 70)
    space = top_space(title_lines, figure)
    figure.update_layout(
        title=title_lines, xaxis_tickformat=".0%", xaxis_range=[0, top * 1.25],
        yaxis=dict(categoryorder="array", categoryarray=rows["label"].tolist()[::-1]),
        margin=dict(t=space, b=40, l=10, r=60), legend=TOP_LEGEND, barmode="overlay",
        height=100 + space + 34 * len(rows), separators=words.get("separators", ".,"))
    return figure


def top_space(title: dict, figure: go.Figure) -> int:
    """Pixels above the plot for the title's lines and the legend, so neither covers the other.

    A horizontal legend wraps at the plot's width, which depends on the screen and on the
    length of the rank names; the space is kept for the worst case, one row per entry.
    """
    entries = [t.name for t in figure.data if t.name and t.showlegend is not False]
    return 34 + 22 * (title["text"].count("<br>") + 1) + 21 * len(entries)


# Above the plot, under the title: a legend below the plot covers the axis labels.
TOP_LEGEND = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, xref="container",
                  title_text="")


def title_space(title: dict, legend_rows: int = 0) -> int:
    """Pixels above the plot for the title's lines (and rows of a legend above the plot)."""
    return 40 + 22 * (title["text"].count("<br>") + 1) + 24 * legend_rows


def wrapped_title(title: str, width: int = 48) -> dict:
    """The title broken into lines of at most ``width`` characters, so none is cut off."""
    lines = textwrap.wrap(title, width=width, break_long_words=False) or [title]
    return dict(text="<br>".join(lines), x=0, xanchor="left", yref="container", y=1,
                yanchor="top", pad=dict(t=20), automargin=True)


def percent_axis(top: float) -> dict:
    """Tick step and format for a share axis from 0 to ``top``: every tick label different.

    The step is 1, 2 or 5 times a power of ten giving four to ten ticks, and the labels carry
    as many decimals as the step needs (0.5 % steps are written 0.5 %, 1.0 %, not 1 %, 1 %).
    """
    top = top if top and top > 0 else 0.01
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    decimals = max(0, -math.floor(math.log10(step * 100) + 1e-9))
    return dict(tick0=0, dtick=step, tickformat=f".{decimals}%", rangemode="tozero")


def _reference_lines(figure: go.Figure, rows: pd.DataFrame, target: pd.DataFrame | None,
                     benchmark: float | None, words: dict[str, str]) -> list[float]:
    """Draw the targets (each on its own bars) and the benchmark; return the shares drawn."""
    labels = rows["label"].tolist()
    drawn: list[float] = []
    for _, line in (target if target is not None else pd.DataFrame()).iterrows():
        # Each target is drawn on its own bar only: the whole zone's on the whole-zone bar.
        span = rows.loc[rows["scope"] == line["scope"], "label"].tolist()
        if span:
            drawn.append(line["target_share"])
            # A dashed mark across the bar (as "How to read this" says), a legend entry, and
            # invisible markers for the hover text.
            for label in span:
                position = len(labels) - 1 - labels.index(label)
                figure.add_shape(type="line", xref="x", yref="y", x0=line["target_share"],
                                 x1=line["target_share"], y0=position - 0.45,
                                 y1=position + 0.45,
                                 line=dict(color=TARGET_COLOUR, width=3, dash="dash"))
            figure.add_trace(go.Scatter(
                y=span, x=[line["target_share"]] * len(span), mode="markers",
                marker=dict(symbol="line-ns", size=22, opacity=0),
                showlegend=False,
                hovertemplate=f"{words['target']}: %{{x:.1%}}<extra></extra>"))
            figure.add_trace(go.Scatter(
                x=[None], y=[None], mode="lines", hoverinfo="skip",
                line=dict(color=TARGET_COLOUR, width=3, dash="dash"),
                name=f"{words['target']} ({line['scope_label']})"))
    if benchmark is not None:
        figure.add_trace(go.Scatter(
            y=labels, x=[benchmark] * len(labels), mode="lines",
            line=dict(color=BENCHMARK_COLOUR, dash="dot", width=2), name=words["benchmark"],
            hovertemplate=f"{words['benchmark']}: %{{x:.1%}}<extra></extra>"))
        drawn.append(benchmark)
    return drawn


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
            line=dict(color=TARGET_COLOUR, width=2, dash="dash"),
            name=target_text or words["target"],
            text=[""] * (len(periods) - 1) + [target_text], textposition="top left",
            textfont_color=TARGET_COLOUR, hovertemplate=f"{target_text}<extra></extra>"))
    values = [*rows["ci_high"].dropna(), *rows["share"].dropna(),
              *([target] if target is not None else [])]
    heading = wrapped_title(title, 70)
    figure.update_layout(title=heading, yaxis=percent_axis(max(values or [0])),
                         height=340, margin=dict(t=max(80, title_space(heading, 1)), b=30),
                         xaxis_type="category",
                         legend=TOP_LEGEND, separators=words.get("separators", ".,"))
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
    heading = wrapped_title(title, 70)
    figure.update_layout(title=heading, barmode="group",
                         yaxis_tickformat=".0%", yaxis_range=[0, 1.05], height=440,
                         legend=TOP_LEGEND, margin=dict(t=max(90, title_space(heading, 1)), b=40),
                         separators=words.get("separators", ".,"))
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
    heading = wrapped_title(title, 70)
    figure.update_layout(title=heading, barmode="group", height=440, legend=TOP_LEGEND,
                         yaxis_rangemode="tozero",
                         margin=dict(t=max(90, title_space(heading, 1)), b=40),
                         separators=words.get("separators", ".,"))
    return figure


def contribution_chart(rows: pd.DataFrame, title: str, words: dict[str, str]) -> go.Figure:
    """Waterfall of ln AIR per stage: the bars add up to the bottom-line ln AIR."""
    figure = go.Figure(go.Waterfall(
        x=[*rows["stage_label"], words["bottom_line"]], y=[*rows["log_impact"], None],
        measure=["relative"] * len(rows) + ["total"],
        decreasing=dict(marker_color="#D55E00"), increasing=dict(marker_color="#009E73"),
        totals=dict(marker_color="#0072B2")))
    heading = wrapped_title(title, 70)
    figure.update_layout(title=heading, height=360 + 22 * heading["text"].count("<br>"),
                         margin=dict(t=title_space(heading), b=40),
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
    title_lines = wrapped_title(title, 70)
    space = top_space(title_lines, figure)
    figure.update_layout(title=title_lines, barmode="group", xaxis_tickformat=".1%",
                         yaxis=dict(categoryorder="array", autorange="reversed",
                                    categoryarray=list(dict.fromkeys(rows["label"]))),
                         legend=TOP_LEGEND, margin=dict(l=10, r=40, t=space, b=10),
                         height=100 + space + 22 * len(rows),
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
    heading = wrapped_title(title, 70)
    figure.update_layout(title=heading, yaxis_tickformat=".0%", yaxis_range=[0, 1.02],
                         xaxis_title=words["years"], legend_title_text="",
                         margin=dict(l=10, r=10, t=title_space(heading), b=10),
                         separators=words.get("separators", ".,"))
    return figure


def _translucent(colour: str, alpha: float = 0.15) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
