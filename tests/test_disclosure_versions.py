"""Versions of a period: only the version in use is published to anyone but the zone's editors.

A zone's editor may store a corrected file for a period (version 2) and go back to version 1.
Were both versions readable, a viewer could subtract one from the other: two versions that
differ by one person would say in which group that person is. Every way a viewer or visitor
reads a zone gives the version in use of each period, and only the editors can change which.
"""

from __future__ import annotations

import pytest

from cpwb_stats.pipeline import RepresentationRequest, protected_representation, store_file
from cpwb_stats.problems import Refused
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import Actor
from cpwb_stats.workspace.versions import restore_version

HEADER = "reference_date,zone,rank,staff_category,gender,migration_background,disability"
EDITOR = Actor("erik", "zone_editor", frozenset({"Gent"}))
VIEWER = Actor("vera", "zone_viewer", frozenset({"Gent"}))
ANALYST = Actor("ann", "analyst")
ADMIN = Actor("admin", "admin")  # creates the zone (with an earlier period)


def people(women: int, men: int, date: str = "2024-12-31") -> bytes:
    """One row per person, written out by hand: inspectors and agents of Gent."""
    lines = [HEADER]
    lines += [f"{date},Gent,inspector,operational,woman,no,no"] * women
    lines += [f"{date},Gent,inspector,operational,man,yes,no"] * men
    lines += [f"{date},Gent,agent,operational,man,no,no"] * 40
    lines += [f"{date},Gent,agent,operational,woman,no,no"] * 30
    return "\n".join(lines).encode()


def women_at_inspector(engine, actor: Actor) -> list:
    """What the reader's Representation page shows: (period, women inspectors) rows."""
    extract = stored.stored_workforce(engine, actor, ["Gent"])
    table = protected_representation(extract, RepresentationRequest(dimension="gender"))
    rows = table[(table["rank"] == "inspector") & (table["group"] == "woman")]
    return rows[["period", "count"]].values.tolist()


@pytest.fixture
def two_versions(engine):
    """Version 1 counts 12 women inspectors, version 2 (a correction) 13: one person apart."""
    store_file(engine, ADMIN, people(women=12, men=30, date="2023-12-31"), "zone.csv")
    store_file(engine, EDITOR, people(women=12, men=30), "first.csv")
    store_file(engine, EDITOR, people(women=13, men=30), "second.csv")
    return engine


@pytest.mark.parametrize("reader", [VIEWER, ANALYST], ids=["viewer", "analyst"])
def test_a_reader_gets_the_version_in_use_and_only_it(two_versions, reader):
    # 13 from version 2 only: not 12, not both, not their sum
    assert women_at_inspector(two_versions, reader) == [["2023-12-31", 12], ["2024-12-31", 13]]
    assert stored.zone_periods(two_versions, reader, "Gent", "workforce") == ["2024-12-31",
                                                                             "2023-12-31"]


@pytest.mark.parametrize("reader", [VIEWER, ANALYST], ids=["viewer", "analyst"])
def test_only_an_editor_can_put_the_other_version_in_use(two_versions, reader):
    first = int(stored.history(two_versions, EDITOR, "Gent").query("version == 1")["id"].iloc[0])
    with pytest.raises(Refused):
        restore_version(two_versions, reader, first)
    assert women_at_inspector(two_versions, reader) == [["2023-12-31", 12], ["2024-12-31", 13]]
    restore_version(two_versions, EDITOR, first)
    # the editor's choice replaces what readers see: still one version of the period
    assert women_at_inspector(two_versions, reader) == [["2023-12-31", 12], ["2024-12-31", 12]]


def test_no_reader_function_takes_a_version_that_is_not_in_use():
    """Whatever reads counts for a page or a download reads the versions in use: none of the
    reading functions accepts a version to read."""
    import inspect

    readers = [stored.stored_workforce, stored.stored_movements, stored.stored_applicants,
               stored.stored_reference, stored.zone_periods]
    for function in readers:
        assert not any("version" in name for name in inspect.signature(function).parameters)


def test_a_version_is_stored_per_period_so_the_trend_has_one_value_a_period(two_versions):
    store_file(two_versions, EDITOR, people(women=14, men=30, date="2025-12-31"), "next.csv")
    store_file(two_versions, EDITOR, people(women=15, men=30, date="2025-12-31"), "fix.csv")
    assert women_at_inspector(two_versions, VIEWER) == [["2023-12-31", 12], ["2024-12-31", 13],
                                                        ["2025-12-31", 15]]
