"""Storing extracts: versions per (zone, kind, period), restore, delete, audit, and refusals."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import replace

import pandas as pd
import pytest
import sqlalchemy as sa

from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.pipeline import store_file, validate_file
from cpwb_stats.problems import Refused
from cpwb_stats.terms.schemas import CELL
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import SYSTEM, Actor
from cpwb_stats.workspace.audit import audit_trail
from cpwb_stats.workspace.tables import audit_log, uploads, versions, workforce_counts
from cpwb_stats.workspace.versions import (
    UploadedFile,
    delete_version,
    restore_version,
    store_extract,
    store_reference,
)

HEADER = "reference_date,zone,rank,staff_category,gender,migration_background,disability"
EDITOR = Actor("erik", "zone_editor", frozenset({"Gent"}))
ADMIN = Actor("admin", "admin")


def workforce_csv(zone: str = "Gent", date: str = "2024-12-31", women: int = 3,
                  men: int = 4) -> bytes:
    lines = [HEADER]
    lines += [f"{date},{zone},inspector,operational,woman,no,no"] * women
    lines += [f"{date},{zone},inspector,operational,man,yes,no"] * men
    return "\n".join(lines).encode()


def women_in(extract) -> int:
    counts = extract.counts
    return int(counts.loc[counts["group"] == "woman", "count"].sum())


def count_rows(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_a_stored_extract_reads_back_as_validated(engine):
    content = workforce_csv()
    report, versions_ = store_file(engine, SYSTEM, content, "gent.csv")
    back = stored.stored_workforce(engine, SYSTEM, ["Gent"])
    expected = report.extract.counts.sort_values(CELL).reset_index(drop=True)
    actual = back.counts.sort_values(CELL).reset_index(drop=True)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False)
    assert back.ladder.name == report.extract.ladder.name
    assert list(back.dimensions) == list(report.extract.dimensions)
    assert [(v.zone, v.kind, v.period, v.version) for v in versions_] == [
        ("Gent", "workforce", "2024-12-31", 1)]


def test_a_file_with_two_periods_becomes_two_series(engine):
    content = workforce_csv(date="2023-12-31") + b"\n" + workforce_csv().split(b"\n", 1)[1]
    _, versions_ = store_file(engine, SYSTEM, content, "two.csv")
    assert sorted(v.period for v in versions_) == ["2023-12-31", "2024-12-31"]
    assert stored.zone_periods(engine, SYSTEM, "Gent", "workforce") == ["2024-12-31",
                                                                       "2023-12-31"]


def test_a_re_upload_supersedes_and_the_old_version_can_be_restored(engine):
    store_file(engine, SYSTEM, workforce_csv(women=3), "first.csv")
    store_file(engine, SYSTEM, workforce_csv(women=9), "second.csv")
    assert women_in(stored.stored_workforce(engine, SYSTEM, ["Gent"])) == 9
    listed = stored.history(engine, SYSTEM, "Gent")
    assert listed[["version", "filename", "current"]].values.tolist() == [
        [2, "second.csv", True], [1, "first.csv", False]]
    restore_version(engine, SYSTEM, int(listed["id"].iloc[1]))
    assert women_in(stored.stored_workforce(engine, SYSTEM, ["Gent"])) == 3
    assert stored.history(engine, SYSTEM, "Gent")["current"].tolist() == [False, True]


def test_a_failing_file_stores_nothing(engine):
    report, versions_ = store_file(engine, SYSTEM, workforce_csv() + b"\n2024-12-31,Gent,??,x,y,z,w",
                                   "bad.csv")
    assert not report.valid and versions_ == []
    for table in (uploads, versions, workforce_counts, audit_log):
        assert count_rows(engine, table) == 0


def test_deleting_the_version_in_use_falls_back_to_the_newest_left(engine):
    store_file(engine, SYSTEM, workforce_csv(women=3), "first.csv")
    store_file(engine, SYSTEM, workforce_csv(women=9), "second.csv")
    newest = int(stored.history(engine, SYSTEM, "Gent")["id"].iloc[0])
    delete_version(engine, SYSTEM, newest)
    assert women_in(stored.stored_workforce(engine, SYSTEM, ["Gent"])) == 3
    assert stored.history(engine, SYSTEM, "Gent")["filename"].tolist() == ["first.csv"]
    assert count_rows(engine, uploads) == 1


def test_the_audit_log_says_who_did_what_with_which_file(engine):
    content = workforce_csv()
    store_file(engine, ADMIN, content, "gent.csv")
    version_id = int(stored.history(engine, SYSTEM, "Gent")["id"].iloc[0])
    restore_version(engine, EDITOR, version_id)
    delete_version(engine, EDITOR, version_id)
    trail = audit_trail(engine, SYSTEM)
    assert trail["action"].tolist() == ["delete", "restore", "upload"]
    assert trail["actor"].tolist() == ["erik", "erik", "admin"]
    assert set(trail["sha256"]) == {hashlib.sha256(content).hexdigest()}
    assert set(trail["filename"]) == {"gent.csv"}
    assert trail["version"].tolist() == [1, 1, 1]
    assert trail["rows"].notna().all()
    assert trail["at"].is_monotonic_decreasing


@pytest.mark.parametrize("actor, readable", [
    (Actor("vera", "zone_viewer", frozenset({"Gent"})), ["Gent"]),
    (EDITOR, ["Gent"]),
    (Actor("ann", "analyst"), ["Aalst", "Gent"]),
    (Actor("visitor"), []),
])
def test_each_role_sees_only_its_zones(engine, actor, readable):
    for zone in ("Gent", "Aalst"):
        store_file(engine, SYSTEM, workforce_csv(zone=zone), f"{zone}.csv")
    assert [z.name for z in stored.visible_zones(engine, actor)] == readable
    for zone in {"Gent", "Aalst"} - set(readable):
        with pytest.raises(Refused, match="zone_not_allowed"):
            stored.stored_workforce(engine, actor, [zone])
        with pytest.raises(Refused, match="zone_not_allowed"):
            stored.history(engine, actor, zone)
        with pytest.raises(Refused, match="zone_not_allowed"):
            stored.zone_periods(engine, actor, zone, "workforce")


@pytest.mark.parametrize("actor", [
    Actor("vera", "zone_viewer", frozenset({"Gent"})),
    Actor("ann", "analyst"),
    EDITOR,  # an editor of Gent, storing Aalst
])
def test_only_a_zone_s_editors_and_admins_may_change_it(engine, actor):
    store_file(engine, SYSTEM, workforce_csv(zone="Aalst"), "aalst.csv")
    version_id = int(stored.history(engine, SYSTEM, "Aalst")["id"].iloc[0])
    with pytest.raises(Refused, match="zone_not_writable"):
        store_file(engine, actor, workforce_csv(zone="Aalst"), "again.csv")
    with pytest.raises(Refused, match="zone_not_writable"):
        restore_version(engine, actor, version_id)
    with pytest.raises(Refused, match="zone_not_writable"):
        delete_version(engine, actor, version_id)
    assert count_rows(engine, versions) == 1


def test_an_editor_cannot_create_a_zone_by_uploading(engine):
    with pytest.raises(Refused, match="zone_not_writable"):
        store_file(engine, EDITOR, workforce_csv(zone="Gent"), "gent.csv")
    assert stored.visible_zones(engine, SYSTEM) == []


@pytest.mark.parametrize("zone", ["Robert'); DROP TABLE zones;--", "<script>alert(1)</script>",
                                  "Zone \"A\" % _ \\"])
def test_names_from_users_are_stored_as_data(engine, zone):
    filename = "x'); DELETE FROM uploads;--.csv"
    report = validate_file(workforce_csv(zone="placeholder"), filename)
    extract = report.extract
    store_extract(engine, SYSTEM, replace(extract, counts=extract.counts.assign(zone=zone)),
                  UploadedFile(workforce_csv(), filename, MappingProfile()))
    assert [z.name for z in stored.visible_zones(engine, SYSTEM)] == [zone]
    assert stored.history(engine, SYSTEM, zone)["filename"].tolist() == [filename]
    assert set(stored.stored_workforce(engine, SYSTEM, [zone]).counts["zone"]) == {zone}


def test_two_uploads_at_the_same_moment_end_as_two_versions_without_mixing(engine):
    files = {"a.csv": workforce_csv(women=3, men=4), "b.csv": workforce_csv(women=11, men=2)}
    start = threading.Barrier(len(files))
    failures = []

    def upload(name):
        start.wait()
        try:
            store_file(engine, SYSTEM, files[name], name)
        except Exception as failure:  # reported below, with the thread's name
            failures.append((name, failure))

    threads = [threading.Thread(target=upload, args=(name,)) for name in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    listed = stored.history(engine, SYSTEM, "Gent")
    assert sorted(listed["version"]) == [1, 2]
    assert listed.loc[listed["current"], "version"].tolist() == [2]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(versions.c.id, uploads.c.filename, workforce_counts)
                            .join(uploads, uploads.c.id == versions.c.upload_id)
                            .join(workforce_counts, workforce_counts.c.version_id == versions.c.id)
                            ).mappings().all()
    for name, content in files.items():
        own = pd.DataFrame([r for r in rows if r["filename"] == name])
        expected = validate_file(content, name).extract.counts
        assert own["count"].sum() == expected["count"].sum()
        assert sorted(own["count"]) == sorted(expected["count"])
    current = stored.stored_workforce(engine, SYSTEM, ["Gent"])
    newest = listed.loc[listed["current"], "filename"].iloc[0]
    assert women_in(current) == {"a.csv": 3, "b.csv": 11}[newest]


def test_a_zone_s_targets_are_stored_versioned_and_audited(engine):
    store_file(engine, SYSTEM, workforce_csv(), "gent.csv")
    targets = pd.DataFrame({"zone": ["Gent", "Aalst"], "dimension": ["gender"] * 2,
                            "group": ["woman"] * 2, "scope": ["all"] * 2,
                            "target_share": [0.3, 0.4], "deadline": ["2030-12-31"] * 2,
                            "baseline_period": [""] * 2, "note": ["", ""]})
    upload = UploadedFile(b"targets", "targets.csv", MappingProfile())
    store_reference(engine, EDITOR, "Gent", "targets", targets, upload)
    store_reference(engine, EDITOR, "Gent", "targets", targets.assign(target_share=0.35), upload)
    assert stored.stored_reference(engine, EDITOR, "Gent", "targets")[
        ["zone", "target_share"]].values.tolist() == [["Gent", 0.35]]
    assert stored.stored_reference(engine, EDITOR, "Gent", "benchmarks") is None
    listed = stored.history(engine, SYSTEM, "Gent")
    assert listed.loc[listed["kind"] == "targets", "version"].tolist() == [2, 1]
    assert audit_trail(engine, SYSTEM)["action"].tolist()[:2] == ["targets", "targets"]


def test_movements_and_people_per_entry_year_are_stored_and_read_back(engine):
    lines = [HEADER + ",entry_year"]
    lines += ["2024-12-31,Gent,inspector,operational,woman,no,no,2010"] * 3
    lines += ["2024-12-31,Gent,inspector,operational,man,yes,no,2012"] * 4
    store_file(engine, SYSTEM, "\n".join(lines).encode(), "gent.csv")
    movements = (b"date,zone,movement,rank,leave_reason,entry_year,gender\n"
                 b"2024-03-01,Gent,leave,inspector,resignation,2015,woman\n"
                 b"2024-05-01,Gent,hire,agent,,2024,man\n")
    report, versions_ = store_file(engine, SYSTEM, movements, "moves.csv", kind="movements")
    assert [(v.kind, v.period) for v in versions_] == [("movements", "2024")]
    back = stored.stored_movements(engine, SYSTEM, ["Gent"])
    expected = report.extract.counts.sort_values(list(report.extract.counts.columns))
    actual = back.counts.sort_values(list(back.counts.columns))
    pd.testing.assert_frame_equal(actual.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_dtype=False)
    workforce = stored.stored_workforce(engine, SYSTEM, ["Gent"])
    assert workforce.entries is not None
    assert workforce.entries.groupby("entry_year")["count"].sum().to_dict() == {
        "2010": 3 * len(workforce.dimensions), "2012": 4 * len(workforce.dimensions)}
