"""The contract engine: any extract kind declared as a contract is read, checked and counted.

A fourth kind, *trainings* (who followed a training, when), is declared here only, as data,
to show that a new kind is a contract and not a new validator: the engine reads its cells,
runs its cross-field rule, reports every problem in the reader's language and counts it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandera.typing import Series

from cpwb_stats.contract.applicants import APPLICANTS_CONTRACT
from cpwb_stats.contract.engine import GROUPS, Contract, Field, Run, stripped, validate_extract
from cpwb_stats.contract.movements import MOVEMENTS_CONTRACT
from cpwb_stats.contract.workforce import WORKFORCE_CONTRACT
from cpwb_stats.ingest.cell_values import parse_period, parse_year
from cpwb_stats.ingest.load import read_extract
from cpwb_stats.problems import error


class TrainingCounts(pa.DataFrameModel):
    period: Series[str]
    zone: Series[str]
    dimension: Series[str]
    group: Series[str]
    count: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True


def entry_not_after_training(run: Run) -> list:
    """Nobody follows a training before they joined."""
    parsed = run.parsed
    if "entry_year" not in parsed:
        return []
    joined = pd.to_numeric(parsed["entry_year"], errors="coerce")
    later = joined > pd.to_numeric(parsed["reference_date"].str[:4], errors="coerce")
    return [error("entry_after_reference", row=int(r), column=run.origin["entry_year"],
                  value=run.frame.at[r, "entry_year"]) for r in parsed.index[later]]


def counted(run: Run):
    weight = run.parsed["count"] if "count" in run.parsed else 1
    frame = run.parsed.assign(count=weight)
    pieces = [frame.groupby(["reference_date", "zone", name], as_index=False)["count"].sum()
              .rename(columns={"reference_date": "period", name: "group"}).assign(dimension=name)
              for name in run.dimensions]
    return pd.concat(pieces, ignore_index=True)[["period", "zone", "dimension", "group",
                                                 "count"]], []


BOTH = frozenset({"records", "long"})
TRAININGS = Contract(
    kind="trainings",
    fields=(
        Field("reference_date", required=BOTH, read=lambda run: parse_period,
              problem="bad_period"),
        Field("zone", read=stripped, problem="missing_zone"),
        Field("course", blank=True, read=stripped),
        Field("entry_year", blank=True, read=lambda run: parse_year, problem="bad_year"),
        Field(GROUPS),
        Field("count", required=frozenset({"long"})),
    ),
    aliases={"opleiding": "course", "formation": "course"},
    rules=(entry_not_after_training,),
    schema=TrainingCounts,
    counts={"records": counted, "long": counted},
    extract=lambda run: run.counts,
    rows=lambda run: len(run.frame),
)

HEADER = "reference_date,zone,opleiding,entry_year,gender"


def trainings(*rows: str, header: str = HEADER, profile=None):
    raw = read_extract("\n".join([header, *rows]).encode(), "t.csv")
    return validate_extract(TRAININGS, raw, profile)


def test_a_fourth_kind_is_read_and_counted_by_the_engine():
    report = trainings("2024-03-01,Gent,Zelfverdediging,2015,woman",
                       "2024-03-01,Gent,,2020,man",
                       "2024-03-01,Gent,Verhoortechniek,2010,woman",
                       "2024-03-01,Aalst,Zelfverdediging,2019,woman")
    assert report.valid, report.errors
    assert (report.kind, report.shape, report.rows) == ("trainings", "records", 4)
    assert report.columns["opleiding"] == "course"
    counts = report.extract.set_index(["zone", "group"])["count"].to_dict()
    assert counts == {("Aalst", "woman"): 1, ("Gent", "man"): 1, ("Gent", "woman"): 2}


def test_a_fourth_kind_in_the_long_shape_sums_its_counts():
    report = trainings("2024,Gent,Zelfverdediging,,woman,3", "2024,Gent,Verhoor,,woman,4",
                       "2024,Gent,Verhoor,,man,\" 1,204 \"", header=HEADER + ",count")
    assert report.valid, report.errors
    assert report.shape == "long"
    assert report.extract.set_index("group")["count"].to_dict() == {"man": 1204, "woman": 7}


@pytest.mark.parametrize(("language", "words"), [
    ("en", "The entry year is after the reference date."),
    ("nl", "Het jaar van indiensttreding ligt na de peildatum."),
    ("fr", "L'année d'entrée est postérieure à la date de référence."),
])
def test_a_fourth_kind_reports_every_problem_in_the_readers_language(language, words):
    report = trainings("2024-03-01,Gent,Zelfverdediging,2030,woman",
                       "2024-13-01,Gent,Verhoor,2015,man",
                       "2024-03-01,Gent,Verhoor,2015,alien",
                       "2024-03-01,,Verhoor,twenty,woman")
    assert not report.valid and report.extract is None
    found = {(p.code, p.row, p.column) for p in report.errors}
    assert found == {("entry_after_reference", 2, "entry_year"), ("bad_period", 3, "reference_date"),
                     ("unknown_group", 4, "gender"), ("missing_zone", 5, "zone"),
                     ("bad_year", 5, "entry_year")}
    messages = {p.code: p.message(language) for p in report.errors}
    assert messages["entry_after_reference"] == words
    assert not any(m.startswith("problem.") for m in messages.values())


def test_a_fourth_kind_without_a_required_column_says_which():
    report = trainings("Gent,Verhoor,2015,man", header="zone,opleiding,entry_year,gender")
    assert [(p.code, p.column) for p in report.errors] == [("missing_column", "reference_date")]
    assert "reference_date" in report.errors[0].message("nl")


def test_a_fourth_kind_refuses_a_shape_it_does_not_declare():
    report = trainings("2024,Gent,2,3", header="reference_date,zone,gender=woman,gender=man")
    assert not report.valid and report.shape == "wide"
    [problem] = report.errors
    assert problem.message("fr") == ("Dans le profil de correspondance, 'shape' ne peut pas valoir "
                                     "'wide'. Valeurs acceptées : records, long.")


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Gent", "Aalst", "Mons"]),
                          st.sampled_from(["woman", "man", "Vrouw", "homme"])),
                min_size=1, max_size=25))
def test_a_fourth_kinds_counts_are_the_people_per_zone_and_group(people):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["reference_date", "zone", "gender"])
    writer.writerows([["2024-12-31", zone, gender] for zone, gender in people])
    report = validate_extract(TRAININGS, read_extract(text.getvalue().encode(), "t.csv"))
    assert report.valid, report.errors
    said = {"woman": "woman", "Vrouw": "woman", "man": "man", "homme": "man"}
    expected = Counter((zone, said[gender]) for zone, gender in people)
    assert report.extract.set_index(["zone", "group"])["count"].to_dict() == dict(expected)


@pytest.mark.parametrize(("contract", "shape", "required"), [
    (WORKFORCE_CONTRACT, "records", ["reference_date", "rank"]),
    (WORKFORCE_CONTRACT, "long", ["reference_date", "rank", "count"]),
    (WORKFORCE_CONTRACT, "wide", ["reference_date", "rank"]),
    (APPLICANTS_CONTRACT, "records", ["campaign", "stage_reached"]),
    (APPLICANTS_CONTRACT, "long", ["campaign", "stage", "count"]),
    (APPLICANTS_CONTRACT, "wide", ["campaign", "stage"]),
    (MOVEMENTS_CONTRACT, "records", ["date", "movement", "rank"]),
    (MOVEMENTS_CONTRACT, "long", ["date", "movement", "rank", "count"]),
])
def test_each_kind_declares_its_required_fields_per_shape(contract, shape, required):
    """As docs/formats.md lists them."""
    assert contract.required(shape) == required


def test_movements_are_not_read_in_the_wide_shape():
    assert set(MOVEMENTS_CONTRACT.counts) == {"records", "long"}
    assert set(WORKFORCE_CONTRACT.counts) == set(APPLICANTS_CONTRACT.counts) == {
        "records", "long", "wide"}


@pytest.mark.parametrize("kind", ["exams", "movement"])
def test_a_kind_no_contract_declares_is_refused_not_read_as_the_workforce(kind):
    """`validate_file(..., kind="exams")` read the file as a workforce extract and called it
    valid; a mistyped "movement" did the same."""
    from cpwb_stats.contract.extracts import validate_file
    from tests.conftest import SAMPLE_DATA

    content = (SAMPLE_DATA / "workforce_gent.csv").read_bytes()
    report = validate_file(content, "workforce_gent.csv", kind=kind)
    assert not report.valid and report.extract is None
    assert [p.code for p in report.errors] == ["unknown_kind"]
    assert report.errors[0].message("nl") == (
        f"Er is geen soort extract '{kind}'. Soorten: workforce, applicants, movements.")
