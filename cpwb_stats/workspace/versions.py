"""The zone workspace: validated extracts stored per (zone, kind, period), in versions.

Storing an extract splits it into one slice per zone and period; each slice becomes the next
version of its series and, in the same transaction, the version in use. Earlier versions stay
listed and can be restored or deleted. Every change is written to the audit log in the same
transaction, so a change and its log entry are stored together or not at all.

Reading back gives the same frozen extracts the validator produced, so every measure works on
stored data exactly as on a fresh upload.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from cpwb_stats.contract.validate import WorkforceExtract
from cpwb_stats.contract.validate_applicants import ApplicantsExtract
from cpwb_stats.contract.validate_movements import MovementsExtract
from cpwb_stats.ingest.mapping import MappingProfile, profile_to_yaml
from cpwb_stats.problems import Refused, error
from cpwb_stats.workspace import audit
from cpwb_stats.workspace.access import Actor, require_write
from cpwb_stats.workspace.database import bulk_insert, transaction
from cpwb_stats.workspace.profile_store import save_profile
from cpwb_stats.workspace.tables import (
    applicant_counts,
    movement_counts,
    series,
    uploads,
    versions,
    workforce_counts,
    workforce_entries,
    zones,
)

COUNT_TABLES = {"workforce": workforce_counts, "applicants": applicant_counts,
                "movements": movement_counts}
PERIOD_COLUMN = {"workforce": "period", "applicants": "campaign", "movements": "period"}
REFERENCE_KINDS = ("targets", "benchmarks")
_RETRIES = 5


@dataclass(frozen=True)
class UploadedFile:
    """The file as the user sent it, and the mapping profile it was read with."""

    content: bytes
    filename: str
    profile: MappingProfile

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class StoredVersion:
    id: int
    zone: str
    kind: str
    period: str
    version: int
    rows: int


def store_extract(engine: Engine, actor: Actor, extract: WorkforceExtract | ApplicantsExtract,
                  upload: UploadedFile) -> list[StoredVersion]:
    """Store each (zone, period) of a validated extract as that series' new current version."""
    kind = _kind_of(extract)
    slices = _slices(extract, kind)
    meta = _meta(extract, upload.profile, kind)
    return _retrying(engine, lambda conn: _store_slices(conn, actor, kind, slices, meta, upload))


def store_reference(engine: Engine, actor: Actor, zone: str, kind: str, table: pd.DataFrame,
                    upload: UploadedFile) -> StoredVersion:
    """Store a zone's targets or benchmarks (the rows for that zone) as a new version."""
    if kind not in REFERENCE_KINDS:
        raise ValueError(kind)
    rows = table[table["zone"] == zone].reset_index(drop=True)
    meta = json.dumps({"table": rows.astype(object).where(rows.notna(), None)
                       .to_dict(orient="list")})
    slices = {(zone, ""): (len(rows), {})}
    stored = _retrying(engine, lambda conn: _store_slices(conn, actor, kind, slices, meta, upload))
    return stored[0]


def save_zone_profile(engine: Engine, actor: Actor, zone: str, profile: MappingProfile) -> Path:
    """Keep a mapping profile for the zone's next uploads: only who may store its data may."""
    with transaction(engine) as conn:
        row = conn.execute(select(zones.c.demo).where(zones.c.name == zone)).first()
        require_write(actor, zone, bool(row.demo) if row else False)
        if row is None and actor.role != "admin":
            raise Refused([error("zone_not_writable", value=zone)])
        audit.record(conn, actor, "mapping", zone=zone, kind=profile.kind,
                     detail="saved the mapping profile")
    return save_profile(zone, profile)


def _retrying(engine: Engine, work):
    """Run one transaction, again if a concurrent writer created the same zone or series first."""
    for attempt in range(_RETRIES):
        try:
            with transaction(engine) as conn:
                return work(conn)
        except IntegrityError as conflict:
            if attempt == _RETRIES - 1:
                raise Refused([error("storage_conflict")]) from conflict
    raise AssertionError("unreachable")


def _kind_of(extract) -> str:
    if isinstance(extract, ApplicantsExtract):
        return "applicants"
    return "movements" if isinstance(extract, MovementsExtract) else "workforce"


def _series_period(counts: pd.DataFrame, kind: str) -> pd.Series:
    """Movements are stored per year (their dates are events); the others per period."""
    period = counts[PERIOD_COLUMN[kind]].astype(str)
    return period.str[:4] if kind == "movements" else period


def _slices(extract, kind: str) -> dict[tuple[str, str], tuple[int, dict]]:
    """(zone, period) -> the number of count rows, and the rows to store per table."""
    counts = extract.counts
    entries = getattr(extract, "entries", None)
    slices = {}
    for (zone, period), rows in counts.groupby([counts["zone"], _series_period(counts, kind)],
                                               sort=True):
        tables = {COUNT_TABLES[kind]: rows}
        if entries is not None:
            tables[workforce_entries] = entries[(entries["zone"] == zone)
                                                & (entries["period"] == period)]
        slices[(str(zone), str(period))] = (len(rows), tables)
    return slices


def _meta(extract, profile: MappingProfile, kind: str) -> str:
    """What, besides the counts, rebuilds the extract: ladder or stages, dimensions, shape."""
    names = list(extract.dimensions)
    meta = {"shape": extract.shape, "dimensions": names,
            "custom_dimensions": {n: profile.dimensions[n] for n in names
                                  if n in profile.dimensions}}
    if kind in ("workforce", "movements"):
        meta["ladder"] = profile.ladder if isinstance(profile.ladder, dict) else extract.ladder.name
    else:
        meta["stages"] = profile.stages if isinstance(profile.stages, dict) else extract.stages.name
        meta["measured"] = list(extract.measured)
    return json.dumps(meta)


def _store_slices(conn: Connection, actor: Actor, kind: str,
                  slices: dict[tuple[str, str], tuple[int, dict]], meta: str,
                  upload: UploadedFile) -> list[StoredVersion]:
    zone_ids = {zone: _zone_for_writing(conn, actor, zone) for zone, _ in slices}
    upload_id = conn.execute(uploads.insert().values(
        kind=kind, filename=upload.filename[:255], sha256=upload.sha256, size=len(upload.content),
        content=upload.content, profile=profile_to_yaml(upload.profile), uploaded_by=actor.name,
        uploaded_at=audit.now())).inserted_primary_key[0]
    stored = []
    for (zone, period), (rows, tables) in slices.items():
        line = _locked_series(conn, zone_ids[zone], kind, period)
        number = line.last_version + 1
        version_id = conn.execute(versions.insert().values(
            series_id=line.id, version=number, upload_id=upload_id, rows=rows, meta=meta,
            created_by=actor.name, created_at=audit.now())).inserted_primary_key[0]
        for table, frame in tables.items():
            if not frame.empty:
                bulk_insert(conn, table, frame.assign(version_id=version_id))
        conn.execute(series.update().where(series.c.id == line.id).values(
            last_version=number, current_version_id=version_id))
        audit.record(conn, actor, kind if kind in REFERENCE_KINDS else "upload", zone=zone,
                     kind=kind, period=period, filename=upload.filename[:255],
                     sha256=upload.sha256, rows=rows, version=number)
        stored.append(StoredVersion(version_id, zone, kind, period, number, rows))
    return stored


def _zone_for_writing(conn: Connection, actor: Actor, name: str) -> int:
    """The zone's id; an admin may create a zone by storing its first extract."""
    row = conn.execute(select(zones.c.id, zones.c.demo).where(zones.c.name == name)).first()
    require_write(actor, name, bool(row.demo) if row else False)
    if row is not None:
        return row.id
    if actor.role != "admin":
        raise Refused([error("zone_not_writable", value=name)])
    return create_zone(conn, name)


def create_zone(conn: Connection, name: str, demo: bool = False) -> int:
    name = name.strip()
    if not name or len(name) > 200:
        raise Refused([error("bad_zone_name", value=name)])
    existing = conn.execute(select(zones.c.id).where(zones.c.name == name)).scalar()
    if existing is not None:
        return existing
    return conn.execute(zones.insert().values(name=name, demo=demo, created_at=audit.now())
                        ).inserted_primary_key[0]


def _locked_series(conn: Connection, zone_id: int, kind: str, period: str):
    """The series row, locked until commit so concurrent uploads number their versions in turn."""
    query = (select(series).where(series.c.zone_id == zone_id, series.c.kind == kind,
                                  series.c.period == period).with_for_update())
    line = conn.execute(query).first()
    if line is None:
        try:
            with conn.begin_nested():
                conn.execute(series.insert().values(zone_id=zone_id, kind=kind, period=period,
                                                    last_version=0, current_version_id=None))
        except IntegrityError:
            pass  # created meanwhile by a concurrent upload: its lock is taken below
        line = conn.execute(query).first()
    return line


def restore_version(engine: Engine, actor: Actor, version_id: int) -> StoredVersion:
    """Make an earlier version the one in use again (the others stay listed)."""
    with transaction(engine) as conn:
        found = _version_for_writing(conn, actor, version_id)
        conn.execute(series.update().where(series.c.id == found.series_id)
                     .values(current_version_id=version_id))
        audit.record(conn, actor, "restore", zone=found.zone, kind=found.kind,
                     period=found.period, filename=found.filename, sha256=found.sha256,
                     rows=found.rows, version=found.version)
    return StoredVersion(version_id, found.zone, found.kind, found.period, found.version,
                         found.rows)


def delete_version(engine: Engine, actor: Actor, version_id: int) -> None:
    """Remove a version and its counts for good; the newest remaining one comes into use.

    The audit log keeps what was deleted (file name, SHA-256, rows, version), not the data.
    """
    with transaction(engine) as conn:
        found = _version_for_writing(conn, actor, version_id)
        for kind_table in (COUNT_TABLES.get(found.kind), workforce_entries):
            if kind_table is not None:
                conn.execute(kind_table.delete().where(kind_table.c.version_id == version_id))
        conn.execute(versions.delete().where(versions.c.id == version_id))
        if found.current_version_id == version_id:
            newest = conn.execute(select(func.max(versions.c.id))
                                  .where(versions.c.series_id == found.series_id)).scalar()
            conn.execute(series.update().where(series.c.id == found.series_id)
                         .values(current_version_id=newest))
        if not conn.execute(select(versions.c.id).where(versions.c.upload_id == found.upload_id)
                            ).first():
            conn.execute(uploads.delete().where(uploads.c.id == found.upload_id))
        audit.record(conn, actor, "delete", zone=found.zone, kind=found.kind,
                     period=found.period, filename=found.filename, sha256=found.sha256,
                     rows=found.rows, version=found.version)


def _version_for_writing(conn: Connection, actor: Actor, version_id: int):
    query = (select(versions.c.series_id, versions.c.version, versions.c.rows,
                    versions.c.upload_id, series.c.kind, series.c.period,
                    series.c.current_version_id, zones.c.name.label("zone"), zones.c.demo,
                    uploads.c.filename, uploads.c.sha256)
             .join(series, series.c.id == versions.c.series_id)
             .join(zones, zones.c.id == series.c.zone_id)
             .join(uploads, uploads.c.id == versions.c.upload_id)
             .where(versions.c.id == version_id).with_for_update(of=series))
    found = conn.execute(query).first()
    if found is None:
        raise Refused([error("version_not_found", value=version_id)])
    require_write(actor, found.zone, bool(found.demo))
    return found

