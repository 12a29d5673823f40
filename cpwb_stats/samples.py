"""The synthetic sample zones shipped in ``sample_data/``, validated like any upload.

They also fill the demo workspace, under zone names marked "(demo)".
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cpwb_stats.mapping import MappingProfile
from cpwb_stats.pipeline import validate_file
from cpwb_stats.targets import read_benchmarks, read_targets
from cpwb_stats.validate import WorkforceExtract
from cpwb_stats.validate_applicants import ApplicantsExtract

if TYPE_CHECKING:
    from sqlalchemy import Engine

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
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

    from cpwb_stats.access import SYSTEM
    from cpwb_stats.database import transaction
    from cpwb_stats.tables import zones
    from cpwb_stats.workspace import UploadedFile, create_zone, store_extract

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
    from cpwb_stats.access import SYSTEM
    from cpwb_stats.workspace import UploadedFile, store_reference

    for kind, reader in (("targets", read_targets), ("benchmarks", read_benchmarks)):
        content = (sample_dir / f"{kind}.csv").read_bytes()
        table = reader(content)
        table = table.assign(zone=table["zone"].map(demo_zone))
        for zone in table["zone"].unique():
            store_reference(engine, SYSTEM, zone, kind, table,
                            UploadedFile(content, f"{kind}.csv", MappingProfile()))
