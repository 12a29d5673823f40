"""The figures themselves: where labels, targets, legends and ticks are drawn (issue 15, item 7)."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cpwb_figures import charts
from cpwb_stats.terms.ladders import ALL, BELGIAN_POLICE
from cpwb_ui.retention_view import ladder_ordered

WORDS = {"share": "Share", "count": "Count", "ci": "95% interval", "target": "Target",
         "benchmark": "Benchmark", "air": "AIR", "p": "p", "four_fifths": "4/5",
         "leaver_rate": "Leaver rate", "leavers": "Leavers"}


def bars() -> pd.DataFrame:
    """Two operational ranks, the operational and CALog totals, and the whole zone."""
    rows = [("Agent", "agent", "operational", 0.10, 0.06, 0.16),
            ("Inspector", "inspector", "operational", 0.20, 0.15, 0.26),
            ("Operational", "operational", "operational", 0.16, 0.12, 0.21),
            ("CALog", "calog", "calog", 0.30, 0.22, 0.40),
            ("Whole zone", ALL, ALL, 0.19, 0.15, 0.23)]
    frame = pd.DataFrame(rows, columns=["label", "scope", "colour_key", "share", "ci_low",
                                        "ci_high"])
    return frame.assign(share_text=[f"{s:.0%}" for s in frame["share"]], count_text="12",
                        declared_text="60", ci_text="", hidden_text="")


def targets(*scopes: str) -> pd.DataFrame:
    return pd.DataFrame({"scope": list(scopes), "scope_label": list(scopes),
                         "target_share": [0.25] * len(scopes)})


def shape_rows(figure, rows: pd.DataFrame) -> list[str]:
    """The bar each target mark is drawn on (category positions count from the bottom)."""
    labels = rows["label"].tolist()[::-1]
    return [labels[round((shape.y0 + shape.y1) / 2)] for shape in figure.layout.shapes]


def test_value_labels_are_written_right_of_the_error_bar_not_under_it():
    rows = bars()
    figure = charts.representation_chart(rows, "Share of women", None, None, WORDS)
    bar = figure.data[0]
    assert bar.textposition == "none"
    labels = next(trace for trace in figure.data
                  if trace.type == "scatter" and trace.mode == "text" and len(trace.x))
    for label, x, text in zip(labels.y, labels.x, labels.text):
        high = rows.loc[rows["label"] == label, "ci_high"].item()
        assert x >= high and text.strip() == rows.loc[rows["label"] == label,
                                                      "share_text"].item()
    assert figure.layout.xaxis.range[1] > rows["ci_high"].max()


def test_the_whole_zone_target_is_drawn_on_the_whole_zone_bar_only():
    rows = bars()
    figure = charts.representation_chart(rows, "t", targets(ALL), None, WORDS)
    assert shape_rows(figure, rows) == ["Whole zone"]


def test_each_target_is_drawn_on_its_own_scope_and_dashed_as_the_legend_says():
    rows = bars()
    figure = charts.representation_chart(rows, "t", targets(ALL, "inspector", "operational"),
                                         None, WORDS)
    assert sorted(shape_rows(figure, rows)) == ["Inspector", "Operational", "Whole zone"]
    assert {shape.line.dash for shape in figure.layout.shapes} == {"dash"}
    legend = [trace for trace in figure.data if trace.name and trace.name.startswith("Target")]
    assert legend and all(trace.line.dash == "dash" for trace in legend)


def test_the_axis_reaches_the_target_and_benchmark_lines_beyond_the_bars():
    # Gent, migration background: bars and intervals end below 8 %, while the zone's target
    # (10 %) and the benchmark (16.4 %) lie beyond them; both lines must be on the chart.
    low = bars().assign(share=[0.03, 0.04, 0.035, 0.05, 0.04],
                        ci_low=[0.01, 0.02, 0.02, 0.03, 0.03],
                        ci_high=[0.07, 0.08, 0.06, 0.075, 0.055])
    target = pd.DataFrame({"scope": [ALL], "scope_label": ["zone"], "target_share": [0.10]})
    figure = charts.representation_chart(low, "t", target, 0.164, WORDS)
    start, end = figure.layout.xaxis.range
    assert start == 0 and end > 0.164
    figure = charts.representation_chart(low, "t", target, None, WORDS)
    assert figure.layout.xaxis.range[1] > 0.10


def test_bar_colours_have_a_legend_naming_operational_calog_and_the_whole_zone():
    figure = charts.representation_chart(bars(), "t", None, None, WORDS)
    named = {trace.name: trace.marker.color for trace in figure.data
             if trace.type == "bar" and trace.showlegend is not False}
    assert set(named) == {"Operational", "CALog", "Whole zone"}
    assert len(set(named.values())) == 3
    assert figure.data[0].marker.color[3] == named["CALog"]


def test_legends_sit_above_the_plot_so_they_cover_no_axis_label():
    funnel = pd.DataFrame({"stage_label": ["Test", "Interview"] * 2,
                           "group_label": ["Women"] * 2 + ["Men"] * 2,
                           "pass_rate": [0.5, 0.4, 0.6, 0.5], "ci_low": [0.4, 0.3, 0.5, 0.4],
                           "ci_high": [0.6, 0.5, 0.7, 0.6], "rate_text": "", "counts_text": "",
                           "air_text": "", "impact_ratio": 0.8, "p_text": ""})
    for figure in (charts.funnel_chart(funnel, "t", WORDS),
                   charts.impact_ratio_chart(funnel, "t", WORDS),
                   charts.representation_chart(bars(), "t", None, None, WORDS)):
        assert figure.layout.legend.y > 1 and figure.layout.legend.yanchor == "bottom"


def test_a_long_title_is_wrapped_not_cut():
    title = ("Share of people with a migration background: operational staff, 2023-12-31 "
             "(declared only)")
    wrapped = charts.wrapped_title(title, 48)["text"]
    lines = wrapped.split("<br>")
    assert len(lines) > 1 and all(len(line) <= 48 for line in lines)
    assert " ".join(lines) == title


def tick_labels(top: float) -> list[str]:
    """The labels Plotly writes for the axis, formatted here with Python's own rules."""
    axis = charts.percent_axis(top)
    decimals = int(axis["tickformat"][1:-1])
    count = int(top / axis["dtick"] + 1e-9) + 1
    return [f"{i * axis['dtick'] * 100:.{decimals}f}%" for i in range(count + 1)]


def test_the_trend_axis_from_the_issue_has_no_repeated_tick():
    labels = tick_labels(0.022)
    assert len(set(labels)) == len(labels)
    assert labels[:3] == ["0.0%", "0.5%", "1.0%"]


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=1e-4, max_value=1.0))
def test_every_share_axis_has_distinct_ticks_and_enough_of_them(top):
    labels = tick_labels(top)
    assert len(set(labels)) == len(labels)
    assert 3 <= len(labels) <= 12


def test_the_trend_chart_uses_the_share_axis_and_draws_the_target_dashed():
    rows = pd.DataFrame({"period": ["2021", "2022", "2023"], "share": [0.004, 0.012, 0.018],
                         "ci_low": [0.001, 0.006, 0.011], "ci_high": [0.01, 0.02, 0.022],
                         "share_text": ["", "", ""]})
    figure = charts.trend_chart(rows, "t", WORDS, 0.02, "Target: 2 %")
    assert figure.layout.yaxis.dtick == charts.percent_axis(0.022)["dtick"]
    assert figure.data[-1].line.dash == "dash"


def test_retention_by_rank_follows_the_ladder_not_the_alphabet():
    ladder = BELGIAN_POLICE
    ranks = sorted(ladder.rank_codes, reverse=True)  # the reverse-alphabetical order seen
    rows = pd.DataFrame({"staff_category": [ALL] + [ladder.category_of(r) for r in ranks],
                         "rank": [ALL, *ranks]})
    ordered = ladder_ordered(rows, ladder)
    assert ordered["rank"].tolist() == [*ladder.rank_codes, ALL]
    chart_rows = ordered.assign(label=ordered["rank"], group_label="Women", leaver_rate=0.05,
                                rate_text="5%", count_text="")
    figure = charts.leaver_rate_chart(chart_rows, "t", WORDS)
    assert list(figure.layout.yaxis.categoryarray) == [*ladder.rank_codes, ALL]
    assert figure.layout.yaxis.autorange == "reversed"
