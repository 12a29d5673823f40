"""A person-level truth for the tests: careers, and the files a zone would upload about them.

Every person has a group, an entry date, perhaps a promotion (inspector -> chief inspector) and
perhaps an exit with a reason. From one simulated history the tests derive the workforce
snapshots (records, long or wide shape) and the movements (records, dates written at day,
month or year precision), load them as a zone would, and compare our measures with the truth
computed here from the people, independently of the product's code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import numpy as np

REASONS = ("resignation", "retirement", "transfer")
GROUPS = ("woman", "man")
LOW, HIGH = "inspector", "chief-inspector"


@dataclass(frozen=True)
class Person:
    group: str
    entry: dt.date
    promoted: dt.date | None
    exit: dt.date | None
    reason: str

    def in_post(self, day: dt.date) -> bool:
        return self.entry <= day and (self.exit is None or self.exit > day)

    def rank(self, day: dt.date) -> str:
        return HIGH if self.promoted is not None and self.promoted <= day else LOW


def year_ends(first: int, count: int) -> list[dt.date]:
    return [dt.date(first + i, 12, 31) for i in range(count)]


def mid_years(first: int, count: int) -> list[dt.date]:
    return [dt.date(first + i, 6, 30) for i in range(count)]


def people(seed: int, snapshots: list[dt.date], size: int, empties: bool) -> list[Person]:
    """Careers around the window: joined long before it or during it, some leave (also before
    the first snapshot and after the last), some are promoted. With ``empties`` the women are
    few and all leave in the second period, so the group empties (and may fill again)."""
    rng = np.random.default_rng(seed)
    start, end = snapshots[0], snapshots[-1]
    span = (end - start).days
    crowd = []
    for _ in range(size):
        group = GROUPS[int(rng.random() < 0.35)]
        if rng.random() < 0.7:
            entry = start - dt.timedelta(days=int(rng.integers(30, 365 * 25)))
        else:
            entry = start + dt.timedelta(days=int(rng.integers(1, span + 200)))
        exit_, reason = None, ""
        if rng.random() < 0.45:
            exit_ = max(entry + dt.timedelta(days=1),
                        start + dt.timedelta(days=int(rng.integers(-800, span + 300))))
            reason = REASONS[int(rng.integers(0, len(REASONS)))]
        promoted = None
        if rng.random() < 0.25:
            day = entry + dt.timedelta(days=int(rng.integers(1, 365 * 12)))
            if exit_ is None or day < exit_:
                promoted = day
        crowd.append(Person(group, entry, promoted, exit_, reason))
    if empties and len(snapshots) > 2:
        crowd = [p for p in crowd if p.group != "woman"]
        for i in range(int(rng.integers(1, 5))):
            leaves = snapshots[1] + dt.timedelta(days=int(rng.integers(1, 120)))
            crowd.append(Person("woman", start - dt.timedelta(days=400 + i), None, leaves,
                                "resignation"))
    return crowd


def written(day: dt.date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.strftime("%Y-%m"),
            "year": str(day.year)}[precision]


def workforce_file(crowd: list[Person], snapshots: list[dt.date], shape: str) -> bytes:
    """The workforce snapshots in the records, long or wide shape (entry years in records)."""
    if shape == "records":
        lines = ["reference_date;zone;rank;gender;entry_year"]
        lines += [f"{s.isoformat()};Z;{p.rank(s)};{p.group};{p.entry.year}"
                  for s in snapshots for p in crowd if p.in_post(s)]
    else:
        counts = Counter((s, p.rank(s), p.group) for s in snapshots for p in crowd
                         if p.in_post(s))
        if shape == "long":
            lines = ["reference_date,zone,rank,gender,count"]
            lines += [f"{s.isoformat()},Z,{r},{g},{counts[(s, r, g)]}"
                      for s in snapshots for r in (LOW, HIGH) for g in GROUPS]
        else:
            lines = ["reference_date;zone;rank;total;woman;man"]
            for s in snapshots:
                for r in (LOW, HIGH):
                    w, m = counts[(s, r, "woman")], counts[(s, r, "man")]
                    lines.append(f"{s.isoformat()};Z;{r};{w + m};{w};{m}")
    return ("\n".join(lines) + "\n").encode()


def movements_file(crowd: list[Person], precision: str, shape: str = "records") -> bytes:
    """Hires, leavers (with reason and entry year) and promotions, dated at ``precision``: one
    row per event (records) or one per combination with a count (long)."""
    if shape == "long":
        rows = movements_file(crowd, precision).decode().splitlines()
        counts = Counter(rows[1:])
        lines = [rows[0] + ";count"] + [f"{row};{n}" for row, n in sorted(counts.items())]
        return ("\n".join(lines) + "\n").encode()
    lines = ["date;zone;movement;rank;leave_reason;entry_year;gender"]
    for p in crowd:
        lines.append(f"{written(p.entry, precision)};Z;hire;{LOW};;{p.entry.year};{p.group}")
        if p.promoted is not None:
            lines.append(f"{written(p.promoted, precision)};Z;promotion;{HIGH};;"
                         f"{p.entry.year};{p.group}")
        if p.exit is not None:
            lines.append(f"{written(p.exit, precision)};Z;leave;{p.rank(p.exit)};{p.reason};"
                         f"{p.entry.year};{p.group}")
    return ("\n".join(lines) + "\n").encode()


def extracts(crowd: list[Person], snapshots: list[dt.date]):
    """The crowd's workforce (records) and movements (by day) files of zone "Z", validated as
    an upload is: (WorkforceExtract, MovementsExtract)."""
    from cpwb_stats.pipeline import validate_file

    def loaded(content: bytes, name: str, kind: str):
        report = validate_file(content, name, None, "Z", kind)
        assert report.valid, report.errors[:3]
        return report.extract

    return (loaded(workforce_file(crowd, snapshots, "records"), "w.csv", "workforce"),
            loaded(movements_file(crowd, "day"), "m.csv", "movements"))
