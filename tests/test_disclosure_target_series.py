"""The line beside a hires or promotions target (Targets page) shows no number the Retention
page hides.

The Retention page's leaver table shows each group's hires of the whole zone per period, and
hides some of them (small, or to protect a small leaver count through the balance
``start + hires - leavers = end``). The target's line showed the same hires counted straight
from the movements: where the leaver table hid a complement, the line gave it back, and with
it the balance's hidden leavers. The line is now built from the protected tables only.
"""

import pandas as pd
import pytest

import cpwb_stats.pipeline as pipeline
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.measures.progress import flow_series
from cpwb_stats.pipeline import RetentionRequest, protected_flow_series
from cpwb_stats.terms.ladders import ALL
from tests.test_publication import _zone_data

K = 5
POLICY = DisclosurePolicy(min_cell=K)
ZONE = "Charleroi"


@pytest.fixture(scope="module")
def charleroi():
    data = _zone_data("charleroi")
    workforce, movements = data.workforce, data.movements
    table, promotions = pipeline._protected_flows(workforce, movements,
                                                  RetentionRequest(None, None, POLICY))
    return workforce, movements, table, promotions


def test_the_hires_line_hides_the_hires_the_leaver_table_hides(charleroi):
    """Charleroi 2022: 6 of the 39 hires who answered have a migration background (counted
    from the file's movements); the leaver table hides that 6, and the line showed it."""
    workforce, movements, table, _ = charleroi
    raw = flow_series(movements.counts, "hires", workforce.dimensions["migration_background"],
                      "yes").set_index("period")
    assert (raw.loc["2022", "count"], raw.loc["2022", "declared"]) == (6, 39)
    zone_rows = table[(table["staff_category"] == ALL) & (table["rank"] == ALL)
                      & (table["dimension"] == "migration_background")]
    assert zone_rows.set_index(["period", "group"]).loc[("2022-12-31", "yes"), "hires"] is pd.NA
    line = protected_flow_series(workforce, movements, "hires", "migration_background", "yes",
                                 ZONE, POLICY).set_index("period")
    assert line.loc["2022-12-31", ["count", "declared", "share"]].isna().all()


@pytest.mark.parametrize("flow", ["hires", "promotions"])
def test_every_number_of_a_flow_line_is_published_by_the_retention_page(charleroi, flow):
    """Every count the line shows is the Retention page's own number (hires of the whole zone;
    promotions summed over ranks all shown there), and every number declared is a sum of
    such shown numbers."""
    workforce, movements, table, promotions = charleroi
    for name, dimension in workforce.dimensions.items():
        if flow == "hires":
            rows = table[(table["staff_category"] == ALL) & (table["rank"] == ALL)
                         & (table["dimension"] == name)]
            shown = rows.set_index(["period", "group"])["hires"]
        else:
            rows = promotions[promotions["dimension"] == name]
            shown = rows.groupby(["period", "group"])["promotions"].agg(
                lambda s: s.sum() if s.notna().all() else pd.NA)
        for group in dimension.declared:
            line = protected_flow_series(workforce, movements, flow, name, group, ZONE, POLICY)
            assert not line.empty
            for row in line.itertuples(index=False):
                if pd.notna(row.count) and row.count > 0:
                    assert shown.loc[(row.period, group)] == row.count
                if pd.notna(row.declared):
                    parts = [shown.get((row.period, g), 0) for g in dimension.declared
                             if (row.period, g) in shown.index]
                    assert not any(pd.isna(p) for p in parts)
                    assert sum(parts) == row.declared
                if pd.notna(row.share):
                    assert row.share == pytest.approx(row.count / row.declared)
                    assert not 0 < row.count < K
