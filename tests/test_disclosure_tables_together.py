"""The leaver table and the representation of one zone are protected together.

The headcounts at the start and end of a period in the leaver table are the representation's
counts of those snapshots. An outside attacker's zone (below) got two hidden counts back by
subtracting one table from the other: the women chief-inspectors of 2024 (3 = 12 - 9 - 0, the
men's 9 read off the leaver table) and the one inspector who answered ``x`` (the CALog women's
7, hidden on the representation, shown in the leaver table). Small answer groups the
representation shows together ("other or not stated") are shown together in the leaver table.
"""

import csv
import io

import pandas as pd
import pytest

from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.pipeline import (
    RepresentationRequest,
    RetentionRequest,
    protected_representation,
    protected_retention,
    validate_file,
)

ZONE = "Attackzone"
# (rank, staff category, [(gender, people)]) per snapshot: the attacker's own zone.
PEOPLE = {
    "2023-12-31": [("agent", "operational", [("woman", 3), ("man", 10)]),
                   ("inspector", "operational", [("woman", 8), ("man", 14), ("x", 1)]),
                   ("chief-inspector", "operational", [("woman", 2), ("man", 9)]),
                   ("commissioner", "operational", [("woman", 1), ("man", 5)]),
                   ("calog-b", "calog", [("woman", 7), ("man", 4)])],
    "2024-12-31": [("agent", "operational", [("woman", 4), ("man", 10)]),
                   ("inspector", "operational", [("woman", 8), ("man", 13), ("x", 1)]),
                   ("chief-inspector", "operational", [("woman", 3), ("man", 9)]),
                   ("commissioner", "operational", [("woman", 1), ("man", 5)]),
                   ("calog-b", "calog", [("woman", 7), ("man", 5)])],
}
MOVEMENTS = [("2024-03-01", "leave", "inspector", "man", "resignation"),
             ("2024-04-01", "leave", "chief-inspector", "woman", "transfer"),
             ("2024-05-01", "hire", "agent", "woman", ""),
             ("2024-05-01", "hire", "chief-inspector", "woman", ""),
             ("2024-05-01", "hire", "chief-inspector", "woman", ""),
             ("2024-06-01", "hire", "calog-b", "man", "")]


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def zone():
    people = []
    for date, ranks in PEOPLE.items():
        number = 0
        for rank, category, groups in ranks:
            for gender, count in groups:
                for _ in range(count):
                    number += 1
                    background = "yes" if number % 5 == 0 else "no" if number % 7 else "unknown"
                    people.append([date, ZONE, rank, category, gender, background, "2015"])
    workforce = validate_file(_csv(["reference_date", "zone", "rank", "staff_category", "gender",
                                    "migration_background", "entry_year"], people), "wf.csv")
    movements = validate_file(_csv(
        ["date", "zone", "movement", "rank", "from_rank", "leave_reason", "entry_year", "gender",
         "migration_background"],
        [[d, ZONE, kind, rank, "", reason, "2010", gender, "no"]
         for d, kind, rank, gender, reason in MOVEMENTS]), "mv.csv", kind="movements")
    assert workforce.valid and movements.valid
    return workforce.extract, movements.extract


def _shown_headcounts(table: pd.DataFrame) -> dict[tuple, int]:
    """Each headcount the leaver table shows, by (snapshot, category, rank, dimension, group)."""
    shown = {}
    for row in table.to_dict("records"):
        for column, when in (("start_headcount", "start"), ("end_headcount", "end")):
            if pd.notna(row[column]):
                key = (row[when], row["staff_category"], row["rank"], row["dimension"],
                       row["group"])
                shown[key] = int(row[column])
    return shown


@pytest.mark.parametrize("dimension", [None, "gender"])
def test_no_headcount_the_representation_hides_is_shown_in_the_leaver_table(zone, dimension):
    workforce, movements = zone
    policy = DisclosurePolicy()
    representation = protected_representation(workforce, RepresentationRequest(policy=policy))
    counts = {(r["period"], r["staff_category"], r["rank"], r["dimension"], r["group"]): r["count"]
              for r in representation.to_dict("records")}
    leavers = protected_retention(workforce, movements, RetentionRequest(dimension, None, policy))
    for key, value in _shown_headcounts(leavers).items():
        assert key in counts, f"{key}: a group the representation does not show"
        assert pd.notna(counts[key]), f"{key}: hidden on the representation, {value} here"
        assert counts[key] == value


def test_the_attackers_two_subtractions_give_nothing_back(zone):
    workforce, movements = zone
    policy = DisclosurePolicy()
    leavers = protected_retention(workforce, movements, RetentionRequest("gender", None, policy))
    shown = _shown_headcounts(leavers)
    # 12 chief-inspectors, 0 other: the men's 9 would give the 3 women back.
    assert ("2024-12-31", "operational", "chief-inspector", "gender", "man") not in shown
    # The CALog women's 7 would give the one inspector who answered x back.
    assert ("2024-12-31", "calog", "calog-b", "gender", "woman") not in shown
    assert ("2024-12-31", "calog", "all", "gender", "woman") not in shown


def test_small_answer_groups_are_shown_together_as_on_the_representation(zone):
    workforce, movements = zone
    leavers = protected_retention(workforce, movements,
                                  RetentionRequest("gender", None, DisclosurePolicy()))
    assert "x" not in set(leavers["group"])
    assert "other_or_not_stated" in set(leavers["group"])
