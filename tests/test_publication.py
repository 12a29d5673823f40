"""The open-data package: it validates as a Frictionless data package, reads back to the
protected tables, shows no hidden count, and the exact attacker narrows no hidden count below k.
"""

import csv
import io
import json
import math
import zipfile
from dataclasses import replace

import pytest
from frictionless import Package, validate

from cpwb_stats.cli.main import main
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.ingest.mapping import profile_from_yaml
from cpwb_stats.output.publication import FIELDS, FILES, ZoneData, package_zip, publication
from cpwb_stats.pipeline import (
    FunnelRequest,
    RepresentationRequest,
    RetentionRequest,
    _zone_tables,
    protected_cohorts,
    protected_funnel,
    protected_representation,
    protected_retention,
    validate_file,
)
from cpwb_stats.problems import ExtractRejected
from tests.conftest import SAMPLE_DATA, SHARED_DATA
from tests.disclosure_audit import representation_attack

K = 5
PERIOD = "2024-12-31"
ZONES = {"gent": "Gent", "charleroi": "Charleroi",
         "brussels": "Brussel-Elsene/Bruxelles-Ixelles"}


def _zone_data(stem: str) -> ZoneData:
    zone = ZONES[stem]

    def read(kind):
        name = f"{kind}_{stem}.csv"
        report = validate_file((SAMPLE_DATA / name).read_bytes(), name, default_zone=zone,
                               kind=kind)
        assert report.valid, report.errors[:3]
        return report.extract

    return ZoneData(read("workforce"), read("movements"), read("applicants"))


@pytest.fixture(scope="module", params=sorted(ZONES))
def package(request, tmp_path_factory):
    """Each demo zone's package for the last period, written out and unpacked."""
    data = _zone_data(request.param)
    published = publication(data, ZONES[request.param], PERIOD, DisclosurePolicy(min_cell=K))
    folder = tmp_path_factory.mktemp(request.param)
    zipfile.ZipFile(io.BytesIO(package_zip(published))).extractall(folder)
    return data, published, folder


def _rows(folder, name):
    """A file read back with the csv module only (no pandas, no frictionless)."""
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _number(text: str):
    return None if text == "" else float(text)


def test_the_package_validates_with_frictionless(package):
    _, published, folder = package
    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert set(published.tables) == set(FILES)  # every demo zone has all four tables
    assert {r.name for r in Package(folder / "datapackage.json").resources} == set(FILES)


def test_the_descriptor_names_zone_period_licence_and_disclosure_policy(package):
    _, published, folder = package
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["zone"] == published.zone and descriptor["period"] == PERIOD
    assert descriptor["licenses"] == [{
        "name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/"}]
    policy = descriptor["disclosure"]
    assert policy["threshold_k"] == K and policy["minimum_declaration_rate"] == 0.6
    assert "empty" in policy["hidden_marker"] and any("1 to 4" in r for r in policy["rules"])


def test_every_column_of_every_file_is_described(package):
    _, _, folder = package
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        header = next(csv.reader(open(folder / resource["path"], encoding="utf-8")))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        for field in fields:
            assert field["title"] and len(field["description"]) > 15, field["name"]
            assert field["type"] in ("string", "integer", "number", "boolean")


def _same(published_text: str, protected) -> bool:
    if protected is None or (isinstance(protected, float) and math.isnan(protected)) or (
            not isinstance(protected, (bool, str)) and protected != protected):
        return published_text == ""
    if isinstance(protected, bool):
        return published_text == ("true" if protected else "false")
    if isinstance(protected, str):
        return published_text == protected
    return math.isclose(float(published_text), float(protected), rel_tol=1e-12, abs_tol=1e-12)


def _protected_tables(data: ZoneData, zone: str) -> dict:
    """The tables as the pages compute them, straight from the pipeline."""
    policy = DisclosurePolicy(min_cell=K)
    representation = protected_representation(data.workforce, RepresentationRequest(
        policy=policy))
    leavers = [protected_retention(data.workforce, data.movements, RetentionRequest(
        d, None, policy)).assign(dimension=d) for d in data.workforce.dimensions]
    funnel = [protected_funnel(data.applicants, FunnelRequest(d, "highest", True, policy))
              .assign(dimension=d) for d in data.applicants.dimensions]
    whole_zone = representation[(representation["staff_category"] == "all")
                                & (representation["rank"] == "all")]
    retention = []
    for d in data.workforce.dimensions:
        milestones = protected_cohorts(data.workforce, data.movements, d, policy).milestones
        retention.append(milestones.assign(period=PERIOD, zone=zone, dimension=d,
                                           suppressed=milestones["retention"].isna()))
    return {"representation": [representation], "trend": [whole_zone], "retention": retention,
            "leavers": leavers, "funnel": funnel}


def test_the_package_reads_back_to_the_protected_tables(package):
    data, published, folder = package
    for name, tables in _protected_tables(data, published.zone).items():
        key = FILES[name]["key"]
        protected = {}
        for table in tables:
            counts = [c for c in FILES[name]["fields"] if FIELDS[c][0] == "integer"]
            table = table.assign(hidden=table["suppressed"] | table[counts].isna().any(axis=1))
            for row in table.to_dict("records"):
                protected[tuple(str(row.get(c)) for c in key)] = row
        rows = _rows(folder, name)
        assert rows, name
        for row in rows:
            truth = protected[tuple(row[c] for c in key)]
            for column in FILES[name]["fields"]:
                assert _same(row[column], truth.get(column)), (name, row, column)


def test_no_hidden_count_appears_in_any_file(package):
    """Every count of 1 to k-1 (the truth, nothing hidden) is an empty cell in the package."""
    data, published, folder = package
    # The same table with nothing hidden, small groups merged as the page merges them.
    true = _zone_tables(data.workforce, RepresentationRequest(policy=DisclosurePolicy(K)))[0]
    checked = 0
    for row in _rows(folder, "representation") + _rows(folder, "trend"):
        match = true[(true["period"] == row["period"]) & (true["dimension"] == row["dimension"])
                     & (true["group"] == row["group"])
                     & (true["staff_category"] == row.get("staff_category", "all"))
                     & (true["rank"] == row.get("rank", "all"))]
        assert len(match) == 1, row
        for column in ("count", "declared", "headcount"):
            value = match[column].iloc[0]
            if 0 < value < K:
                assert row[column] == "", (row, column)
                checked += 1
    for name, columns in (("leavers", ("leavers", "resignations", "hires", "start_headcount",
                                        "end_headcount")), ("funnel", ("entered", "passed")),
                          ("retention", ("at_risk",))):
        for row in _rows(folder, name):
            for column in columns:
                if row[column] != "":
                    assert float(row[column]) == 0 or float(row[column]) >= K, (name, row)
            if any(row[c] == "" for c in columns):
                assert row["hidden"] == "true", (name, row)
    assert checked > 0  # the demo zones do have small counts to hide


def test_the_attacker_narrows_no_hidden_count_below_k(package):
    """The exact whole-number attacker over the package's representation and trend files."""
    data, published, folder = package
    request = RepresentationRequest(policy=DisclosurePolicy(min_cell=K))
    truth = _zone_tables(data.workforce, request)[0]
    shown = published.tables["representation"]
    trend = published.tables["trend"].assign(staff_category="all", rank="all")
    assert shown["count"].isna().any()
    attack = representation_attack([shown, trend], truth, K, zeros_shown=True)
    assert attack.leaks(K, small_only=True) == []


def test_a_real_force_of_the_home_office_file_round_trips(tmp_path):
    """A real published table: one force's package, every shown count equal to the raw file."""
    path = SHARED_DATA / "uk-home-office-officers-by-rank-2003-2006.csv"
    profile = profile_from_yaml((SAMPLE_DATA / "mappings" / "uk-home-office-ethnicity.yaml")
                                .read_text())
    extract = validate_file(path.read_bytes(), path.name, profile).extract
    force = "Cumbria"
    extract = replace(extract, counts=extract.counts[extract.counts["zone"] == force])
    published = publication(ZoneData(extract), force, "2006", DisclosurePolicy(min_cell=10))
    zipfile.ZipFile(io.BytesIO(package_zip(published))).extractall(tmp_path)
    assert validate(tmp_path / "datapackage.json").valid
    raw = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["As at 31 March..."] == "2006" and row["Force Name"] == force:
                text = row["Total (headcount)"].strip().replace(",", "")
                group = {"White": "white", "Not stated": "not_stated"}.get(
                    row["Ethnic group"], "minority")
                raw[group] = raw.get(group, 0) + (0 if text == "-" else int(text))
    zone = {r["group"]: r for r in _rows(tmp_path, "trend") if r["dimension"] == "ethnicity"}
    assert int(zone["minority"]["count"]) == raw["minority"]
    assert int(zone["minority"]["declared"]) == raw["minority"] + raw["white"]
    assert float(zone["minority"]["share"]) == pytest.approx(
        raw["minority"] / (raw["minority"] + raw["white"]), abs=1e-6)
    for row in _rows(tmp_path, "representation"):
        for column in ("count", "declared", "headcount"):
            assert row[column] == "" or int(row[column]) == 0 or int(row[column]) >= 10


@pytest.mark.parametrize("period, licence, k, code", [
    ("2030-12-31", "CC-BY-4.0", 5, "publish_unknown_period"),
    (PERIOD, "all-rights-reserved", 5, "publish_unknown_licence"),
    (PERIOD, "CC-BY-4.0", 0, "publish_needs_protection"),
    (PERIOD, "CC-BY-4.0", 1, "publish_needs_protection"),
])
def test_a_publication_that_cannot_be_made_is_refused_with_a_reason(period, licence, k, code):
    data = ZoneData(_zone_data("gent").workforce)
    with pytest.raises(ExtractRejected) as refused:
        publication(data, "Gent", period, DisclosurePolicy(min_cell=k), licence)
    assert [p.code for p in refused.value.problems] == [code]


def test_every_described_field_is_used_by_a_file():
    used = {c for spec in FILES.values() for c in spec["fields"]}
    assert used == set(FIELDS)


def test_the_publish_command_writes_a_valid_package(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CPWB_DATABASE_URL", f"sqlite:///{tmp_path / 'ws.sqlite3'}")
    monkeypatch.setenv("CPWB_DEMO", "0")
    output = tmp_path / "package.zip"
    command = ["publish", "--stored-zone", "Gent", "--period", PERIOD, "-o", str(output)]
    assert main(command) == 1
    assert "no zone named 'Gent'" in capsys.readouterr().err
    store = ["store", "--zone", "Gent", "--kind"]
    assert main([*store, "workforce", str(SAMPLE_DATA / "workforce_gent.csv")]) == 0
    assert main(["--lang", "nl", *command[:4], "2030-12-31", *command[5:]]) == 1
    assert "2024-12-31" in capsys.readouterr().err and not output.exists()
    assert main([*command, "--min-cell", "0"]) == 1
    assert "--min-cell 2" in capsys.readouterr().err and not output.exists()
    assert main([*command, "--licence", "CC0-1.0"]) == 0
    assert "2 tables" in capsys.readouterr().out  # no movements or applicants stored
    names = zipfile.ZipFile(output).namelist()
    assert names == ["datapackage.json", "representation.csv", "trend.csv"]
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(output).extractall(unpacked)
    assert validate(unpacked / "datapackage.json").valid
    descriptor = json.loads((unpacked / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"


def test_the_publication_page_of_the_docs_names_every_file_and_licence():
    from cpwb_stats.output.publication import LICENCES
    from tests.conftest import ROOT

    text = (ROOT / "docs" / "publication.md").read_text(encoding="utf-8")
    for name in [*FILES, *LICENCES]:
        assert f"`{name}" in text, name
