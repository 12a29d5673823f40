"""The leaver table and the cohort curve, protected together (issues 10 and 13, DESIGN 4).

A curve's leavers (its ``events``, or its at-risk counts and retention values, from which they
follow) add up to the group's leavers over the observation window: a sum over the periods of
the leaver table that the CLI (``retention`` and ``retention --survival``) and the Retention
page publish side by side. The attacker below is an exact linear-programming solver over both
outputs together, with the headcounts of every snapshot known (the representation publishes
them) and no count negative.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from cpwb_stats import pipeline
from cpwb_stats.cli.main import main
from cpwb_stats.terms.ladders import ALL
from tests import simulator as sim
from tests.test_simulated_histories import loaded

K = 5


def _reviewer_files(tmp_path) -> tuple[str, str]:
    """20 women inspectors at 2022-12-31 (10 entered 2010, 10 entered 2015) and 30 men; 6 women
    of 2010 leave in September 2023 and 3 of 2015 in March 2024."""
    rows = ["peildatum;graad;personeelscategorie;geslacht;jaar van indiensttreding"]
    for day, of_2010, of_2015 in (("2022-12-31", 10, 10), ("2023-12-31", 4, 10),
                                  ("2024-12-31", 4, 7)):
        rows += [f"{day};Inspecteur;operationeel;V;2010"] * of_2010
        rows += [f"{day};Inspecteur;operationeel;V;2015"] * of_2015
        rows += [f"{day};Inspecteur;operationeel;M;2012"] * 30
    moves = ["datum;beweging;graad;reden van vertrek;jaar van indiensttreding;geslacht"]
    moves += ["2023-09-15;uitstroom;Inspecteur;ontslag op eigen verzoek;2010;V"] * 6
    moves += ["2024-03-15;uitstroom;Inspecteur;ontslag op eigen verzoek;2015;V"] * 3
    workforce, movements = tmp_path / "w.csv", tmp_path / "m.csv"
    workforce.write_text("\n".join(rows) + "\n", encoding="utf-8")
    movements.write_text("\n".join(moves) + "\n", encoding="utf-8")
    return str(workforce), str(movements)


def _cli_csv(capsys, *args: str) -> list[dict]:
    """The command's rows as a reader gets them, with every digit it prints (the JSON output:
    its CSV rounds to 4 decimals, which would leave the attacker weaker than he is)."""
    assert main(["retention", *args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return [{c: "" if v is None else str(v) for c, v in row.items()} for row in rows]


def _number(text: str | None) -> float | None:
    return None if text in (None, "") else float(text)


def attack(table: list[dict], curve: list[dict], k: int = K) -> list[tuple]:
    """Hidden whole-zone leaver and hire counts the reader narrows to fewer than k-1 values.

    Published: the leaver table's whole-zone rows (``start + hires = leavers + end`` in every
    period, headcounts known from the representation) and, per group with a curve, the sum of
    the curve's events, which equals that group's leavers over the periods. Every unknown is
    0 or more. ``table`` and ``curve`` are rows as read with the ``csv`` module (strings).
    """
    rows = [r for r in table if r["staff_category"] == ALL and r["rank"] == ALL]
    unknown: list[tuple] = []
    for r in rows:
        for column in ("leavers", "hires"):
            if _number(r[column]) is None:
                unknown.append((column, r["period"], r["group"]))
    if not unknown:
        return []
    index = {cell: i for i, cell in enumerate(unknown)}
    a_eq, b_eq = [], []
    for r in rows:
        start, end = _number(r["start_headcount"]), _number(r["end_headcount"])
        if start is None or end is None:
            continue
        row, constant = np.zeros(len(unknown)), end - start  # hires - leavers = end - start
        for sign, column in ((1, "hires"), (-1, "leavers")):
            cell = (column, r["period"], r["group"])
            if cell in index:
                row[index[cell]] += sign
            else:
                constant -= sign * _number(r[column])
        if row.any():
            a_eq.append(row)
            b_eq.append(constant)
    events: dict[str, float] = {}
    for step in curve:
        events[step["group"]] = events.get(step["group"], 0.0) + float(step["events"])
    for group, total in events.items():
        row, constant = np.zeros(len(unknown)), total
        for r in rows:
            if r["group"] != group:
                continue
            cell = ("leavers", r["period"], group)
            if cell in index:
                row[index[cell]] += 1
            else:
                constant -= _number(r["leavers"])
        if row.any():
            a_eq.append(row)
            b_eq.append(constant)
    narrow = []
    for cell, i in index.items():
        bounds = []
        for direction in (1, -1):
            objective = np.zeros(len(unknown))
            objective[i] = direction
            result = linprog(objective, A_eq=np.array(a_eq) if a_eq else None,
                             b_eq=np.array(b_eq) if b_eq else None,
                             bounds=[(0, None)] * len(unknown), method="highs")
            if result.status == 3:  # unbounded upwards
                bounds.append(math.inf)
            else:
                assert result.status == 0, result.message
                bounds.append(direction * result.fun)
        low, high = bounds
        if high - low < k - 2 - 1e-9:
            narrow.append((cell, low, high))
    return narrow


def test_reviewer_leak_2024_leavers_and_hires_are_not_given_back(capsys, tmp_path):
    """The reviewer's zone: the table hides 2024's women leavers and hires and shows start 14,
    end 11; the curve used to show one step, 13 at risk and 9 events, so 9 - 6 = 3 leavers
    and 11 - 14 + 3 = 0 hires. Now no published curve closes the sum."""
    workforce, movements = _reviewer_files(tmp_path)
    base = ["--workforce", workforce, "--movements", movements, "--zone", "Z",
            "--dimension", "gender"]
    table = _cli_csv(capsys, *base)
    curve = _cli_csv(capsys, *base, "--survival")
    women = {r["period"]: r for r in table
             if r["group"] == "woman" and r["staff_category"] == ALL and r["rank"] == ALL}
    assert women["2023-12-31"]["leavers"] == "6"
    assert women["2024-12-31"]["leavers"] == "" and women["2024-12-31"]["hires"] == ""
    assert (women["2024-12-31"]["start_headcount"], women["2024-12-31"]["end_headcount"]) == (
        "14", "11")
    assert not [step for step in curve if step["group"] == "woman"]
    assert attack(table, curve) == []


def test_the_attacker_recovers_the_three_from_the_old_curve(capsys, tmp_path, monkeypatch):
    """The solver itself: with the curve drawn as before (nothing withheld) it gives back
    2024's 3 women leavers and their 0 hires exactly."""
    workforce, movements = _reviewer_files(tmp_path)
    base = ["--workforce", workforce, "--movements", movements, "--zone", "Z",
            "--dimension", "gender"]
    table = _cli_csv(capsys, *base)
    monkeypatch.setattr(pipeline, "curve_withheld", lambda *args: set())
    curve = _cli_csv(capsys, *base, "--survival")
    women = [step for step in curve if step["group"] == "woman"]
    assert [(float(s["at_risk"]), float(s["events"])) for s in women] == [(13.0, 9.0)]
    assert float(women[0]["retention"]) == pytest.approx(4 / 13)
    narrow = {cell: (low, high) for cell, low, high in attack(table, curve)}
    assert narrow[("leavers", "2024-12-31", "woman")] == pytest.approx((3, 3))
    assert narrow[("hires", "2024-12-31", "woman")] == pytest.approx((0, 0))


def as_text(frame) -> list[dict]:
    """Rows as the CSV download writes them: numbers as text, hidden values empty."""
    return [{c: "" if v is None else str(v) for c, v in row.items()}
            for row in frame.astype(object).where(frame.notna(), None).to_dict("records")]


def _published(crowd, snapshots, k: int) -> tuple[list[dict], list[dict]]:
    workforce = loaded(sim.workforce_file(crowd, snapshots, "records"), "w.csv", "workforce")
    movements = loaded(sim.movements_file(crowd, "day"), "m.csv", "movements")
    request = pipeline.RetentionRequest("gender", None, pipeline.DisclosurePolicy(k))
    table = as_text(pipeline.protected_retention(workforce, movements, request))
    curve = as_text(pipeline.protected_survival(workforce, movements, request))
    return table, curve


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(15, 40), count=st.integers(2, 3),
       empties=st.booleans())
def test_no_hidden_leaver_is_closed_by_the_curve_on_simulated_histories(seed, size, count,
                                                                         empties):
    """The whole kind: on generated person-level histories, nothing hidden in the leaver table
    is narrowed below what `<k` says by the table and the curve read together."""
    snapshots = sim.year_ends(2019, count)
    crowd = sim.people(seed, snapshots, size, empties)
    table, curve = _published(crowd, snapshots, K)
    assert attack(table, curve) == []


def _observed(group: str, leaving: dict[float, int], staying: int, until: float = 5.0):
    """People of one group entering at 0: ``leaving`` {years: how many}, the rest observed
    until ``until`` years."""
    rows = [{"group": group, "entry": 0.0, "duration": t, "event": True,
             "reason": "resignation", "weight": float(n)} for t, n in leaving.items()]
    rows.append({"group": group, "entry": 0.0, "duration": until, "event": False, "reason": "",
                 "weight": float(staying)})
    return rows


@pytest.mark.parametrize(("leaving", "staying", "withheld", "expected"), [
    # 6, 5 and 1 leave after 1, 2 and 3 years among 20: a step of 5 at two years would leave
    # the last 1 as the difference from the group's leavers, so the curve stops after 1 year.
    ({1.0: 6, 2.0: 5, 3.0: 1}, 8, False, ("cut_short", 1.0)),
    # 2 of 10 leave: no step of at least 5 leavers can be drawn.
    ({1.0: 2}, 8, False, ("no_step", None)),
    # The leaver table hides one of the group's leaver counts: withheld, whatever the steps.
    ({1.0: 6, 2.0: 6}, 8, True, ("withheld", None)),
    # Nobody left and every step shown: nothing to say.
    ({}, 10, False, None),
    ({1.0: 5, 2.0: 5}, 10, False, None),
])
def test_a_curve_withheld_or_cut_short_says_why(leaving, staying, withheld, expected):
    """Issue 10: the note behind "This curve is not shown" / "stops after", worked out by hand
    from the steps the protection allows (k = 5)."""
    from cpwb_stats.disclosure.control import DisclosurePolicy, protect_curve
    from cpwb_stats.pipeline import CurveNote, curve_note_text, curve_notes

    people = pd.DataFrame(_observed("woman", leaving, staying))
    hidden = {"woman"} if withheld else set()
    protected = protect_curve(people[~people["group"].isin(hidden)], DisclosurePolicy(5))
    notes = curve_notes(people, protected, hidden)
    assert notes == ([] if expected is None else [CurveNote("woman", *expected)])
    for note in notes:
        for language, words in (("en", "woman"), ("nl", "vrouw"), ("fr", "femme")):
            text = curve_note_text(note, "gender", 5, language)
            assert text.lower().startswith(words) and "5" in text and "{" not in text
