"""The synthetic sample zones shipped in ``sample_data/``, validated like any upload.

They also fill the demo workspace, under zone names marked "(demo)".
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cpwb_stats.contract.validate import WorkforceExtract
from cpwb_stats.contract.validate_applicants import ApplicantsExtract
from cpwb_stats.i18n import LANGUAGES, translate
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.pipeline import validate_file
from cpwb_stats.targets.definitions import read_benchmarks, read_targets

if TYPE_CHECKING:
    from sqlalchemy import Engine

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_ZONES = {
    "workforce_gent.csv": "Gent",
    "workforce_charleroi.csv": "Charleroi",
    "workforce_brussels.csv": "Brussel-Elsene/Bruxelles-Ixelles",
}
# Every demo zone has recruitment campaigns, so Recruitment is never empty on the demo.
SAMPLE_APPLICANTS = {
    "applicants_gent.csv": "Gent",
    "applicants_charleroi.csv": "Charleroi",
    "applicants_brussels.csv": "Brussel-Elsene/Bruxelles-Ixelles",
}


def combine_extracts(extracts: list[WorkforceExtract]) -> WorkforceExtract:
    """Several extracts on one ladder as one (zones side by side, not summed)."""
    first = extracts[0]
    dimensions = {name: d for e in extracts for name, d in e.dimensions.items()}
    counts = pd.concat([e.counts for e in extracts], ignore_index=True)
    entries = None
    if all(e.entries is not None for e in extracts):
        entries = pd.concat([e.entries for e in extracts], ignore_index=True)
    return WorkforceExtract(counts, first.shape, first.ladder, dimensions, entries=entries)


def sample_workforce(sample_dir: Path = SAMPLE_DIR) -> WorkforceExtract:
    extracts = []
    for name, zone in SAMPLE_ZONES.items():
        report = validate_file((sample_dir / name).read_bytes(), name, default_zone=zone)
        if not report.valid:
            raise RuntimeError(f"sample file {name} does not validate: {report.errors[:3]}")
        extracts.append(report.extract)
    return combine_extracts(extracts)


def sample_targets(sample_dir: Path = SAMPLE_DIR) -> pd.DataFrame:
    return read_targets((sample_dir / "targets.csv").read_bytes())


# The notes of sample_data/targets.csv, as written there (English), and their catalogue keys:
# a demo target's note is shown in the reader's language.
SAMPLE_NOTES = {"Synthetic example target": "samples.note_target",
                "Synthetic example target for recruitment": "samples.note_recruitment_target"}


def note_label(note: str, language: str) -> str:
    """A target's note as shown: a sample note in the reader's language, any other as typed.

    A sample note is recognised in every language, so a demo target saved from the editor in
    Dutch still reads in French for a French reader.
    """
    key = _note_key(note)
    return translate(key, language) if key else note


def note_code(note: str) -> str:
    """A note as stored: a sample note in its original words (any language), others as typed."""
    key = _note_key(note)
    return next(text for text, k in SAMPLE_NOTES.items() if k == key) if key else note


def _note_key(note: str) -> str | None:
    text = str(note).strip()
    for key in SAMPLE_NOTES.values():
        if any(translate(key, language) == text for language in LANGUAGES):
            return key
    return None


def sample_benchmarks(sample_dir: Path = SAMPLE_DIR) -> pd.DataFrame:
    return read_benchmarks((sample_dir / "benchmarks.csv").read_bytes())


def sample_applicants(sample_dir: Path = SAMPLE_DIR) -> ApplicantsExtract:
    name = "applicants_gent.csv"
    report = validate_file((sample_dir / name).read_bytes(), name, default_zone="Gent",
                           kind="applicants")
    if not report.valid:
        raise RuntimeError(f"sample file {name} does not validate: {report.errors[:3]}")
    return report.extract


DEMO_SUFFIX = " (demo)"


def demo_zone(zone: str) -> str:
    """Demo zones carry a visible label, and never share a name with a real zone."""
    return f"{zone}{DEMO_SUFFIX}"


def seed_demo(engine: Engine, sample_dir: Path = SAMPLE_DIR) -> bool:
    """Fill the demo workspace with the synthetic sample zones, once; True when it did."""
    from sqlalchemy import select

    from cpwb_stats.workspace.access import SYSTEM
    from cpwb_stats.workspace.database import transaction
    from cpwb_stats.workspace.tables import zones
    from cpwb_stats.workspace.versions import UploadedFile, create_zone, store_extract

    with transaction(engine) as conn:
        if conn.execute(select(zones.c.id).where(zones.c.demo.is_(True))).first():
            return False
        for zone in [*SAMPLE_ZONES.values()]:
            create_zone(conn, demo_zone(zone), demo=True)
    files = [(name, zone, "workforce") for name, zone in SAMPLE_ZONES.items()]
    files += [(name.replace("workforce_", "movements_"), zone, "movements")
              for name, zone in SAMPLE_ZONES.items()]
    files += [(name, zone, "applicants") for name, zone in SAMPLE_APPLICANTS.items()]
    for name, zone, kind in files:
        content = (sample_dir / name).read_bytes()
        report = validate_file(content, name, default_zone=zone, kind=kind)
        extract = _renamed(report.extract, demo_zone(zone))
        store_extract(engine, SYSTEM, extract,
                      UploadedFile(content, name, MappingProfile(kind=kind)))
    _seed_references(engine, sample_dir)
    return True


def _renamed(extract, zone: str):
    entries = getattr(extract, "entries", None)
    if entries is not None:
        extract = replace(extract, entries=entries.assign(zone=zone))
    return replace(extract, counts=extract.counts.assign(zone=zone))


def _seed_references(engine: Engine, sample_dir: Path) -> None:
    from cpwb_stats.workspace.access import SYSTEM
    from cpwb_stats.workspace.versions import UploadedFile, store_reference

    for kind, reader in (("targets", read_targets), ("benchmarks", read_benchmarks)):
        content = (sample_dir / f"{kind}.csv").read_bytes()
        table = reader(content)
        table = table.assign(zone=table["zone"].map(demo_zone))
        for zone in table["zone"].unique():
            store_reference(engine, SYSTEM, zone, kind, table,
                            UploadedFile(content, f"{kind}.csv", MappingProfile()))
