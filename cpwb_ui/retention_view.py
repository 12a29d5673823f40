"""The retention page's tables and sentences, from the protected frames, in the reader's words."""

from __future__ import annotations

import pandas as pd

from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.i18n import translate
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_ui import formatting

HIDDEN = "✱"


def _count(value, language: str, policy: DisclosurePolicy) -> str:
    return HIDDEN if pd.isna(value) else formatting.count(value, language)


def labelled(table: pd.DataFrame, period: str, ladder: Ladder, dimension: str, language: str,
             policy: DisclosurePolicy, by_rank: bool = False) -> pd.DataFrame:
    """The period's rows (per rank, or per category and zone), labelled for chart and table."""
    level = (table["rank"] != ALL) | (table["staff_category"] == ALL) if by_rank else (
        table["rank"] == ALL)
    rows = table[(table["period"] == period) & level]
    rows = rows[rows["declared_group"]]
    rows = ladder_ordered(rows, ladder)
    return rows.assign(
        label=[formatting.rank_label(ladder, c, r, language)
               for c, r in zip(rows["staff_category"], rows["rank"])],
        group_label=[formatting.group_label(dimension, g, language) for g in rows["group"]],
        rate_text=[formatting.percent(v, language) for v in rows["leaver_rate"]],
        resignation_text=[formatting.percent(v, language) for v in rows["resignation_rate"]],
        count_text=[f"{_count(n, language, policy)} / {_headcount(h, language)}"
                    for n, h in zip(rows["leavers"], rows["average_headcount"])],
        relative_text=[_relative(r, lo, hi, language) for r, lo, hi in
                       zip(rows["relative_leaver_rate"], rows["rr_ci_low"], rows["rr_ci_high"])],
        p_text=[formatting.decimal(p, language) if pd.notna(p) else "–" for p in rows["p_value"]],
    )


def ladder_ordered(rows: pd.DataFrame, ladder: Ladder) -> pd.DataFrame:
    """Rows in ladder order (categories, then ranks lowest first), the whole zone last."""
    order = ladder.order_key()
    position = [order.get(r if r != ALL else c, len(order))
                for c, r in zip(rows["staff_category"], rows["rank"])]
    return rows.iloc[sorted(range(len(rows)), key=position.__getitem__)]


def _headcount(value, language: str) -> str:
    return HIDDEN if pd.isna(value) else formatting.decimal(float(value), language).rstrip(
        "0").rstrip(",.")


def _relative(ratio, low, high, language: str) -> str:
    if pd.isna(ratio):
        return "–"
    text = formatting.decimal(ratio, language)
    if pd.notna(low) and pd.notna(high):
        text += f" ({formatting.decimal(low, language)} – {formatting.decimal(high, language)})"
    return text


def display_table(rows: pd.DataFrame, language: str) -> pd.DataFrame:
    columns = {"label": "table.rank", "group_label": "retention.col_group",
               "count_text": "retention.col_leavers", "rate_text": "retention.col_rate",
               "resignation_text": "retention.col_resignation",
               "relative_text": "retention.col_relative", "p_text": "retention.col_p"}
    return rows[list(columns)].rename(columns={k: translate(v, language)
                                               for k, v in columns.items()})


def reading(rows: pd.DataFrame, language: str) -> list[str]:
    """Plain words on the whole zone: each group's leaver rate against the reference group."""
    zone = rows[rows["staff_category"] == ALL]
    sentences = []
    for row in zone.itertuples():
        if row.group == row.reference_group or pd.isna(row.relative_leaver_rate):
            continue
        conclusive = pd.notna(row.p_value) and row.p_value < 0.05
        key = "retention.reading_clear" if conclusive else "retention.reading_uncertain"
        reference = zone[zone["group"] == row.reference_group]
        sentences.append(translate(
            key, language, group=row.group_label, rate=row.rate_text,
            reference=reference["group_label"].iloc[0] if not reference.empty else "",
            reference_rate=reference["rate_text"].iloc[0] if not reference.empty else "–",
            ratio=formatting.decimal(row.relative_leaver_rate, language),
            p=formatting.p_text(row.p_value, language)))
    return sentences


def reasons_table(reasons: pd.DataFrame, dimension: str, language: str) -> pd.DataFrame:
    table = reasons.assign(
        group=[formatting.group_label(dimension, g, language) for g in reasons["group"]],
        leave_reason=[translate(f"leave_reason.{r}", language) for r in reasons["leave_reason"]],
        count=[HIDDEN if pd.isna(c) else formatting.count(c, language) for c in reasons["count"]],
        share=[formatting.percent(s, language) for s in reasons["share"]])
    columns = {"group": "retention.col_group", "leave_reason": "retention.col_reason",
               "count": "retention.col_leavers_only", "share": "retention.col_share_of_leavers"}
    return table[list(columns)].rename(columns={k: translate(v, language)
                                                for k, v in columns.items()})


def promotions_table(promotions: pd.DataFrame, ladder: Ladder, dimension: str,
                     language: str) -> pd.DataFrame:
    table = promotions.assign(
        rank=[ladder.rank_label(r, language) for r in promotions["rank"]],
        from_rank=[ladder.rank_label(r, language) if isinstance(r, str) and r else "–"
                   for r in promotions["from_rank"]],
        group=[formatting.group_label(dimension, g, language) for g in promotions["group"]],
        promotions=[HIDDEN if pd.isna(c) else formatting.count(c, language)
                    for c in promotions["promotions"]],
        start_headcount=[HIDDEN if pd.isna(c) else formatting.count(c, language)
                         for c in promotions["start_headcount"]],
        promotion_rate=[formatting.percent(v, language) for v in promotions["promotion_rate"]])
    columns = {"period": "versions.col_period", "rank": "retention.col_into",
               "from_rank": "retention.col_from", "group": "retention.col_group",
               "promotions": "retention.col_promotions",
               "start_headcount": "retention.col_start_headcount",
               "promotion_rate": "retention.col_promotion_rate"}
    return table[list(columns)].rename(columns={k: translate(v, language)
                                                for k, v in columns.items()})


def curves_labelled(curves: pd.DataFrame, dimension: str, language: str) -> pd.DataFrame:
    return curves.assign(
        group_label=[formatting.group_label(dimension, g, language) for g in curves["group"]],
        at_risk_text=[formatting.count(n, language) for n in curves["at_risk"]])


def _with_interval(value, low, high, at_risk, language: str) -> str:
    text = formatting.percent(value, language)
    if pd.notna(low) and pd.notna(high):
        text += f" ({formatting.percent(low, language)} – {formatting.percent(high, language)})"
    if pd.notna(at_risk):
        text += " · " + translate("retention.observed", language,
                                  n=formatting.count(at_risk, language))
    return text


def incidence_table(incidence: pd.DataFrame, dimension: str, language: str) -> pd.DataFrame:
    """Probability of having left for each reason within five years, per group."""
    table = incidence.assign(
        group=[formatting.group_label(dimension, g, language) for g in incidence["group"]],
        reason=[translate(f"leave_reason.{r}", language) for r in incidence["reason"]],
        value=[formatting.percent(v, language) for v in incidence["cumulative_incidence"]])
    wide = table.pivot(index="group", columns="reason", values="value").fillna("–")
    return wide.reset_index().rename(columns={"group": translate("retention.col_group",
                                                                  language)})


def milestones_table(milestones: pd.DataFrame, dimension: str, language: str) -> pd.DataFrame:
    table = milestones.assign(
        group=[formatting.group_label(dimension, g, language) for g in milestones["group"]],
        retention=[_with_interval(v, lo, hi, n, language) for v, lo, hi, n in zip(
            milestones["retention"], milestones["ci_low"], milestones["ci_high"],
            milestones["at_risk"])])
    wide = table.pivot(index="group", columns="years", values="retention")
    wide.columns = [translate("retention.after_years", language, years=int(y))
                    for y in wide.columns]
    return wide.reset_index().rename(columns={"group": translate("retention.col_group",
                                                                  language)})


SIGNIFICANCE = 0.05  # the log-rank p below which the curves are said to differ


def logrank_sentence(p: float | None, language: str) -> str | None:
    """The log-rank test in words, the verdict following p; None when there is no test.

    >>> logrank_sentence(0.0004, "en")
    'Do the groups stay alike? Log-rank test, p < 0.001: the curves differ by more than chance would give.'
    >>> logrank_sentence(0.31, "nl").split(": ")[1]
    'toeval alleen kan het verschil tussen de curves verklaren.'
    >>> logrank_sentence(float("nan"), "fr") is None
    True
    """
    if p is None or pd.isna(p):
        return None
    verdict = "retention.logrank_differ" if p < SIGNIFICANCE else "retention.logrank_alike"
    return translate("retention.logrank", language, p=formatting.p_text(p, language),
                     verdict=translate(verdict, language))
