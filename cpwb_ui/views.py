"""Display tables: the protected representation frame, filtered and labelled for a reader."""

from __future__ import annotations

import pandas as pd

from cpwb_stats.disclosure.control import DisclosurePolicy, rate_band_text
from cpwb_stats.i18n import translate
from cpwb_stats.measures.representation import COMBINED_ZONE
from cpwb_stats.terms.ladders import ALL, Ladder
from cpwb_ui import formatting

HIDDEN_MARK = "✱"


def compare_defaults(zones) -> list[str]:
    """The zones Compare opens with: the real zones, or the demo zones when there is no real one.

    ``zones`` are the readable zones (with a ``demo`` flag). Demo zones hold made-up people, so
    they are never preselected beside real ones.
    """
    real = [z.name for z in zones if not z.demo]
    return real or [z.name for z in zones if z.demo]


def mixes_demo_and_real(zones, chosen) -> bool:
    """True when ``chosen`` holds a demo zone and a real zone, which are never pooled."""
    demo = {z.name: z.demo for z in zones}
    kinds = {demo[name] for name in chosen if name in demo}
    return len(kinds) > 1


def bars(table: pd.DataFrame, zone: str, period: str, dimension: str, group: str,
         ladder: Ladder, language: str, policy: DisclosurePolicy) -> pd.DataFrame:
    """One row per bar: every rank lowest first, then category totals, then the zone."""
    rows = table[(table["zone"] == zone) & (table["period"] == period)
                 & (table["dimension"] == dimension) & (table["group"] == group)]
    return labelled(rows, ladder, language, policy)


def labelled(rows: pd.DataFrame, ladder: Ladder, language: str,
             policy: DisclosurePolicy) -> pd.DataFrame:
    def count_text(value, suppression):
        return _count_text(value, suppression, language, policy)

    return rows.assign(
        label=[formatting.rank_label(ladder, c, r, language)
               for c, r in zip(rows["staff_category"], rows["rank"])],
        scope=[c if r == ALL else r for c, r in zip(rows["staff_category"], rows["rank"])],
        colour_key=rows["staff_category"],
        share_text=[_share_text(s, n, language) for s, n in zip(rows["share"], rows["not_robust"])],
        count_text=[count_text(v, s) for v, s in zip(rows["count"], rows["suppression"])],
        declared_text=[count_text(v, "") for v in rows["declared"]],
        headcount_text=[count_text(v, "") for v in rows["headcount"]],
        ci_text=[_interval(lo, hi, language) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        declaration_text=declaration_texts(rows, language),
        hidden_text=[_hidden_text(c, s, d, n, language, policy) for c, s, d, n in
                     zip(rows["count"], rows["suppression"], rows["declared"], rows["not_robust"])],
    )


def declaration_texts(rows: pd.DataFrame, language: str) -> list[str]:
    """The declaration rate as shown: exact, else its band where one is published ("99 % or
    more"), else "–"."""
    bands = rows["declaration_rate_band"] if "declaration_rate_band" in rows else [None] * len(rows)
    return [formatting.percent(rate, language) if pd.notna(rate)
            else rate_band_text(band, language) or formatting.percent(rate, language)
            for rate, band in zip(rows["declaration_rate"], bands)]


def _hidden_text(count, suppression: str, declared, not_robust: bool, language: str,
                 policy: DisclosurePolicy) -> str:
    """Why a bar is missing, in the legend's symbols."""
    if not_robust:
        return "†"
    if pd.isna(count):
        return _count_text(count, suppression, language, policy)
    return "–"


def _count_text(value, suppression: str, language: str, policy: DisclosurePolicy) -> str:
    """One mark for every hidden count: a mark for "small" would itself say 1 to k-1."""
    if pd.isna(value):
        return HIDDEN_MARK
    return formatting.count(value, language)


def _share_text(share, not_robust: bool, language: str) -> str:
    if not_robust:
        return "†"
    return formatting.percent(share, language) if pd.notna(share) else "–"


def _interval(low, high, language: str) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{formatting.percent(low, language)} – {formatting.percent(high, language)}"


def display_table(rows: pd.DataFrame, language: str) -> pd.DataFrame:
    """The table shown beside the chart, with headers in the reader's language."""
    columns = {"label": "table.rank", "count_text": "table.count",
               "declared_text": "table.declared", "headcount_text": "table.headcount",
               "share_text": "table.share", "ci_text": "table.ci",
               "declaration_text": "table.declaration_rate"}
    return rows[list(columns)].rename(columns={k: translate(v, language)
                                               for k, v in columns.items()})


def download_table(table: pd.DataFrame) -> pd.DataFrame:
    """The protected table as it is downloaded: canonical codes, no hidden value."""
    return table.drop(columns=["declared_group"])


def comparison_rows(table: pd.DataFrame, period: str, dimension: str, group: str, scope: str,
                    ladder: Ladder, language: str, policy: DisclosurePolicy,
                    combined_label: str, zones_label: str = "") -> pd.DataFrame:
    """One bar per zone, then the zones together, for one rank, category or the whole zone.

    ``legend_name`` names the two bar colours: each zone (``zones_label``), and the zones together.
    """
    in_scope = (table["rank"] == scope) if scope in ladder.rank_codes else (
        (table["staff_category"] == scope) & (table["rank"] == ALL))
    rows = table[(table["period"] == period) & (table["dimension"] == dimension)
                 & (table["group"] == group) & in_scope]
    rows = pd.concat([rows[rows["zone"] != COMBINED_ZONE], rows[rows["zone"] == COMBINED_ZONE]])
    combined = rows["zone"] == COMBINED_ZONE
    return labelled(rows, ladder, language, policy).assign(
        label=rows["zone"].mask(combined, combined_label),
        colour_key=combined.map({True: ALL, False: "zone"}),
        legend_name=combined.map({True: combined_label, False: zones_label or "zone"}))
