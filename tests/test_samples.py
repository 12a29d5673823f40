"""The demo workspace: every demo zone has every kind of extract (issue 15, item 10)."""

import csv
import io

import pytest

from cpwb_stats.demo.samples import (
    SAMPLE_APPLICANTS,
    SAMPLE_ZONES,
    demo_zone,
    note_code,
    note_label,
    seed_demo,
)
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import VISITOR
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


def sample_notes() -> set[str]:
    """The notes of the demo targets, read with the csv module."""
    text = (SAMPLE_DATA / "targets.csv").read_text(encoding="utf-8-sig")
    return {row["note"] for row in csv.DictReader(io.StringIO(text)) if row["note"]}


@pytest.mark.parametrize("language, words", [
    ("nl", {"Verzonnen voorbeeld van een streefcijfer",
            "Verzonnen voorbeeld van een streefcijfer voor de werving"}),
    ("fr", {"Objectif d'exemple fictif", "Objectif d'exemple fictif pour le recrutement"}),
    ("en", {"Synthetic example target", "Synthetic example target for recruitment"})])
def test_the_demo_targets_notes_read_in_the_readers_language(language, words):
    assert {note_label(note, language) for note in sample_notes()} == words


def test_a_demo_note_saved_in_one_language_reads_in_another_and_typed_notes_stay_as_typed():
    for note in sample_notes():
        dutch = note_label(note, "nl")
        assert note_code(dutch) == note
        assert note_label(dutch, "fr") == note_label(note, "fr")
    for typed in ("Plan 2030 van de zoneraad", "Synthetic example", ""):
        assert note_label(typed, "fr") == typed and note_code(typed) == typed
