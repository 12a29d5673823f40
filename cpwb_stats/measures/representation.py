"""Representation of designated groups by rank, staff category and zone.

Definitions (for group g of a dimension, in one cell of period x zone x category x rank):

- ``count`` = n_g, the people in group g;
- ``declared`` = D, the people who gave an answer (undisclosed and unknown excluded);
- ``headcount`` = H, everybody;
- ``share`` = n_g / D (or n_g / H with ``denominator="headcount"``, the RCMP convention);
- ``declaration_rate`` = D / H;
- ``ci_low``, ``ci_high``: Wilson 95% interval of the share.

Undisclosed and unknown rows carry their count but no share under the declared denominator.
Caveat: the share describes those who declared; when many did not, it may not describe the rank.

Example, one rank of 10 people of whom 8 declared a gender:

>>> counts = pd.DataFrame({"period": "2024", "zone": "z", "staff_category": "operational",
...     "rank": "agent", "dimension": "gender", "group": ["woman", "man", "undisclosed"],
...     "count": [2, 6, 2]})
>>> table = representation_by_rank(counts, {"gender": GENDER}, BELGIAN_POLICE)
>>> row = table[(table["rank"] == "agent") & (table["group"] == "woman")].iloc[0]
>>> int(row["count"]), int(row["declared"]), int(row["headcount"])
(2, 8, 10)
>>> float(row["share"]), float(row["declaration_rate"])
(0.25, 0.8)
"""

from __future__ import annotations

import pandas as pd

from cpwb_stats.measures.intervals import wilson_interval
from cpwb_stats.terms.ladders import ALL, BELGIAN_POLICE, Ladder  # noqa: F401  (doctest)
from cpwb_stats.terms.schemas import CELL, KEYS
from cpwb_stats.terms.vocabulary import GENDER, Dimension  # noqa: F401  (doctest)

DENOMINATORS = ("declared", "headcount")
COMBINED_ZONE = "all"


def combine_zones(counts: pd.DataFrame) -> pd.DataFrame:
    """Sum the zones of each period into one zone called 'all' (the consortium view)."""
    summed = counts.groupby([c for c in CELL if c != "zone"], as_index=False)["count"].sum()
    return summed.assign(zone=COMBINED_ZONE)[CELL + ["count"]]


def representation_by_rank(counts: pd.DataFrame, dimensions: dict[str, Dimension],
                           ladder: Ladder, dimension: str | None = None,
                           denominator: str = "declared") -> pd.DataFrame:
    """Share of each group per rank, per staff category (rank 'all') and zone ('all', 'all')."""
    chosen = {name: d for name, d in dimensions.items() if dimension in (None, name)}
    cells = _with_all_groups(counts[counts["dimension"].isin(list(chosen))], chosen)
    cells = _with_totals(cells)
    cells = _with_denominators(cells, chosen)
    return _ordered(_with_shares(cells, denominator), ladder, chosen)


def _with_all_groups(counts: pd.DataFrame, dimensions: dict[str, Dimension]) -> pd.DataFrame:
    """Every value of the dimension appears in every cell, with 0 where nobody is in it."""
    grid = [counts[KEYS].drop_duplicates().assign(dimension=name, group=group)
            for name, d in dimensions.items() for group in d.values]
    if not grid:
        return counts.iloc[0:0]
    frame = pd.concat(grid, ignore_index=True)
    summed = counts.groupby(CELL, as_index=False)["count"].sum()
    return frame.merge(summed, on=CELL, how="left").fillna({"count": 0}).astype({"count": "int64"})


def _with_totals(cells: pd.DataFrame) -> pd.DataFrame:
    by_category = (cells.groupby(["period", "zone", "staff_category", "dimension", "group"],
                                 as_index=False)["count"].sum().assign(rank=ALL))
    by_zone = (cells.groupby(["period", "zone", "dimension", "group"], as_index=False)["count"]
               .sum().assign(staff_category=ALL, rank=ALL))
    return pd.concat([cells, by_category, by_zone], ignore_index=True)


def _with_denominators(cells: pd.DataFrame, dimensions: dict[str, Dimension]) -> pd.DataFrame:
    declared_group = [dimensions[d].is_declared(g) for d, g in zip(cells["dimension"],
                                                                  cells["group"])]
    cells = cells.assign(declared_group=declared_group)
    by_cell = cells.groupby(KEYS + ["dimension"])
    declared = cells["count"].where(cells["declared_group"], 0)
    return cells.assign(
        declared=declared.groupby([cells[k] for k in KEYS + ["dimension"]]).transform("sum"),
        headcount=by_cell["count"].transform("sum"),
    )


def _with_shares(cells: pd.DataFrame, denominator: str) -> pd.DataFrame:
    if denominator not in DENOMINATORS:
        raise ValueError(f"denominator must be one of {DENOMINATORS}")
    base = cells["declared"] if denominator == "declared" else cells["headcount"]
    counted = cells["declared_group"] | (denominator == "headcount")
    share = (cells["count"] / base.where(base > 0)).where(counted)
    low, high = wilson_interval(cells["count"].where(counted), base)
    return cells.assign(
        share=share,
        declaration_rate=cells["declared"] / cells["headcount"].where(cells["headcount"] > 0),
        ci_low=low.where(share.notna()),
        ci_high=high.where(share.notna()),
    )


def _ordered(table: pd.DataFrame, ladder: Ladder,
             dimensions: dict[str, Dimension]) -> pd.DataFrame:
    order = ladder.order_key()
    group_order = {(n, g): i for n, d in dimensions.items() for i, g in enumerate(d.values)}
    keyed = table.assign(
        _category=table["staff_category"].map(order).fillna(9_999),
        _rank=table["rank"].map(order).fillna(9_999),
        _group=[group_order.get(k, 99) for k in zip(table["dimension"], table["group"])],
    )
    keyed = keyed.sort_values(["period", "zone", "_category", "_rank", "dimension", "_group"])
    return keyed.drop(columns=["_category", "_rank", "_group"]).reset_index(drop=True)
