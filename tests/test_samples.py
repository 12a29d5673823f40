"""The demo workspace: every demo zone has every kind of extract (issue 15, item 10)."""

import csv
import io

import pytest

from cpwb_stats import stored
from cpwb_stats.access import VISITOR
from cpwb_stats.samples import SAMPLE_APPLICANTS, SAMPLE_ZONES, demo_zone, seed_demo
from tests.conftest import SAMPLE_DATA


def candidates(name: str) -> dict[str, int]:
    """Candidates per campaign, read with the csv module (first column is the campaign)."""
    text = (SAMPLE_DATA / name).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[0]] = counts.get(row[0], 0) + 1
    return counts


@pytest.fixture
def demo(engine):
    assert seed_demo(engine, SAMPLE_DATA)
    return engine


def test_every_demo_zone_has_a_workforce_movements_and_applicants(demo):
    for zone in SAMPLE_ZONES.values():
        name = demo_zone(zone)
        assert stored.stored_workforce(demo, VISITOR, [name]) is not None, zone
        assert stored.stored_movements(demo, VISITOR, [name]) is not None, zone
        assert stored.stored_applicants(demo, VISITOR, [name]) is not None, zone


def test_the_zone_that_opens_first_has_applicants_in_every_campaign_of_its_file(demo):
    first = stored.visible_zones(demo, VISITOR)[0].name
    source = next(file for file, zone in SAMPLE_APPLICANTS.items() if demo_zone(zone) == first)
    counts = stored.stored_applicants(demo, VISITOR, [first]).counts
    applied = counts[(counts["stage"] == "applied") & (counts["dimension"] == "gender")]
    assert applied.groupby("campaign")["entered"].sum().to_dict() == candidates(source)
