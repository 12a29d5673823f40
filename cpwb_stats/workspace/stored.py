"""Reading the workspace back: the zones a person may see, their periods, history and data.

Every function takes the :class:`~cpwb_stats.workspace.access.Actor` and refuses a zone it may not read,
so no page, URL or widget state can reach another zone's data by asking for it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Table, func, select

from cpwb_stats.contract.validate import WorkforceExtract
from cpwb_stats.contract.validate_applicants import ApplicantsExtract
from cpwb_stats.contract.validate_movements import MovementsExtract
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.problems import Refused, error
from cpwb_stats.terms.schemas import APPLICANT_KEYS, KEYS
from cpwb_stats.workspace.access import Actor, may_read, require_read, require_write
from cpwb_stats.workspace.audit import DATA_ACTIONS, as_utc
from cpwb_stats.workspace.database import reading
from cpwb_stats.workspace.profile_store import load_profile
from cpwb_stats.workspace.tables import audit_log, series, uploads, versions, workforce_entries, zones
from cpwb_stats.workspace.versions import COUNT_TABLES


@dataclass(frozen=True)
class Zone:
    name: str
    demo: bool


def visible_zones(engine: Engine, actor: Actor) -> list[Zone]:
    """Zones the actor may read, demo zones last."""
    with reading(engine) as conn:
        rows = conn.execute(select(zones.c.name, zones.c.demo).order_by(zones.c.demo,
                                                                        zones.c.name)).all()
    return [Zone(r.name, bool(r.demo)) for r in rows if may_read(actor, r.name, bool(r.demo))]


def revision(engine: Engine) -> int:
    """A number that changes whenever stored data changes: a cache key for everything read."""
    query = select(func.max(audit_log.c.id)).where(audit_log.c.action.in_(DATA_ACTIONS))
    with reading(engine) as conn:
        return conn.execute(query).scalar() or 0


def history(engine: Engine, actor: Actor, zone: str) -> pd.DataFrame:
    """Every stored version of the zone, newest first, with the one in use marked."""
    _check(engine, actor, zone)
    query = (select(versions.c.id, series.c.kind, series.c.period, versions.c.version,
                    uploads.c.filename, uploads.c.sha256, versions.c.rows,
                    versions.c.created_by, versions.c.created_at,
                    (series.c.current_version_id == versions.c.id).label("current"))
             .join(series, series.c.id == versions.c.series_id)
             .join(zones, zones.c.id == series.c.zone_id)
             .join(uploads, uploads.c.id == versions.c.upload_id)
             .where(zones.c.name == zone)
             .order_by(series.c.kind, series.c.period.desc(), versions.c.version.desc()))
    with reading(engine) as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["id", "kind", "period", "version", "filename", "sha256",
                                      "rows", "created_by", "created_at", "current"])
    return frame.assign(created_at=frame["created_at"].map(as_utc),
                        current=frame["current"].fillna(False).astype(bool))


def identical_versions(engine: Engine, actor: Actor, zone_names: list[str], kind: str,
                       content: bytes) -> pd.DataFrame:
    """Stored versions of ``kind`` made from a byte-identical file (same SHA-256), in the zones
    the actor may read: ``zone, period, version, sha256``, one row per version found.

    Storing the same bytes again would only add a version equal to one already kept.
    """
    digest = hashlib.sha256(content).hexdigest()
    readable = {z.name for z in visible_zones(engine, actor)}
    columns = ["zone", "period", "version", "sha256"]
    found = [history(engine, actor, zone).assign(zone=zone) for zone in zone_names
             if zone in readable]
    found = [f[(f["kind"] == kind) & (f["sha256"] == digest)][columns] for f in found]
    return pd.concat(found) if found else pd.DataFrame(columns=columns)


def people_per_version(engine: Engine, actor: Actor, zone: str) -> dict[int, int]:
    """How many people (applicants, movements) each stored version of the zone counts.

    Counts are stored once per dimension, and every dimension counts everyone once, so the
    people of a version are one dimension's total (the largest, should one be incomplete);
    applicants are those who entered a campaign's first stage (entered never grows).
    Only an account that may edit the zone learns these totals: the zone's whole headcount is
    hidden on the pages whenever a small count could be had back by subtracting from it.
    """
    require_write(actor, zone, _check(engine, actor, zone))
    people: dict[int, int] = {}
    for kind, table in COUNT_TABLES.items():
        number = table.c.entered if kind == "applicants" else table.c["count"]
        parts = [table.c.version_id, table.c.dimension] + (
            [table.c.campaign, table.c.stage] if kind == "applicants" else [])
        query = (select(*parts, func.sum(number).label("people"))
                 .join(versions, versions.c.id == table.c.version_id)
                 .join(series, series.c.id == versions.c.series_id)
                 .join(zones, zones.c.id == series.c.zone_id)
                 .where(zones.c.name == zone).group_by(*parts))
        with reading(engine) as conn:
            totals = pd.DataFrame(conn.execute(query).mappings().all())
        if totals.empty:
            continue
        if kind == "applicants":
            totals = (totals.groupby(["version_id", "dimension", "campaign"])["people"].max()
                      .groupby(["version_id", "dimension"]).sum().reset_index())
        people |= {int(v): int(n) for v, n in
                   totals.groupby("version_id")["people"].max().items()}
    return people


def stored_workforce(engine: Engine, actor: Actor, zone_names: list[str]
                     ) -> WorkforceExtract | None:
    """The versions in use of these zones' workforce extracts, as one extract."""
    counts, metas, entries = _current(engine, actor, zone_names, "workforce", workforce_entries)
    if counts.empty:
        return None
    meta = metas[-1]
    profile = _profile(meta)
    return WorkforceExtract(counts.sort_values(KEYS, kind="stable").reset_index(drop=True),
                            meta["shape"], profile.resolve_ladder(), _dimensions(metas),
                            entries=None if entries.empty else entries)


def stored_movements(engine: Engine, actor: Actor, zone_names: list[str]
                     ) -> MovementsExtract | None:
    """The versions in use of these zones' movements (hires, leavers, promotions)."""
    counts, metas = _current(engine, actor, zone_names, "movements")
    if counts.empty:
        return None
    meta = metas[-1]
    return MovementsExtract(counts.reset_index(drop=True), meta["shape"],
                            _profile(meta).resolve_ladder(), _dimensions(metas))


def stored_applicants(engine: Engine, actor: Actor, zone_names: list[str]
                      ) -> ApplicantsExtract | None:
    counts, metas = _current(engine, actor, zone_names, "applicants")
    if counts.empty:
        return None
    meta = metas[-1]
    measured = tuple(dict.fromkeys(s for m in metas for s in m["measured"]))
    stages = _profile(meta).resolve_stages()
    measured = tuple(s for s in stages.codes if s in measured)
    return ApplicantsExtract(counts.sort_values(APPLICANT_KEYS, kind="stable")
                             .reset_index(drop=True), meta["shape"], stages, measured,
                             _dimensions(metas))


def stored_reference(engine: Engine, actor: Actor, zone: str, kind: str) -> pd.DataFrame | None:
    """The zone's targets or benchmarks in use, or None when it has stored none."""
    _check(engine, actor, zone)
    query = (select(versions.c.meta).join(series, series.c.current_version_id == versions.c.id)
             .join(zones, zones.c.id == series.c.zone_id)
             .where(zones.c.name == zone, series.c.kind == kind))
    with reading(engine) as conn:
        meta = conn.execute(query).scalar()
    return None if meta is None else pd.DataFrame(json.loads(meta)["table"])


def zone_periods(engine: Engine, actor: Actor, zone: str, kind: str) -> list[str]:
    """Periods with a version in use, newest first."""
    _check(engine, actor, zone)
    query = (select(series.c.period).join(zones, zones.c.id == series.c.zone_id)
             .where(zones.c.name == zone, series.c.kind == kind,
                    series.c.current_version_id.is_not(None))
             .order_by(series.c.period.desc()))
    with reading(engine) as conn:
        return list(conn.execute(query).scalars())


def zone_profile(engine: Engine, actor: Actor, zone: str, kind: str) -> MappingProfile | None:
    """The zone's saved mapping profile, under the same rule as the zone's data.

    None both when there is none and when the actor may not read the zone, so that typing a
    zone's name tells a visitor neither that it exists nor how its HR system names columns. A
    zone not created yet has profiles only for those who see every zone (an admin prepares it).
    """
    with reading(engine) as conn:
        demo = conn.execute(select(zones.c.demo).where(zones.c.name == zone)).scalar()
    allowed = actor.sees_every_zone if demo is None else may_read(actor, zone, bool(demo))
    return load_profile(zone, kind) if allowed else None


def _check(engine: Engine, actor: Actor, zone: str) -> bool:
    with reading(engine) as conn:
        demo = conn.execute(select(zones.c.demo).where(zones.c.name == zone)).scalar()
    if demo is None:
        # Only someone who may see every zone learns that a zone does not exist.
        code = "zone_unknown" if actor.sees_every_zone else "zone_not_allowed"
        raise Refused([error(code, value=zone)])
    require_read(actor, zone, bool(demo))
    return bool(demo)


def _current(engine: Engine, actor: Actor, zone_names: list[str], kind: str,
             extra: Table | None = None):
    """The rows of the versions in use (and of a second table for the same versions)."""
    for zone in zone_names:
        _check(engine, actor, zone)
    in_use = (select(versions.c.id, versions.c.meta)
              .join(series, series.c.current_version_id == versions.c.id)
              .join(zones, zones.c.id == series.c.zone_id)
              .where(zones.c.name.in_(zone_names), series.c.kind == kind)
              .order_by(series.c.period, versions.c.id))
    with reading(engine) as conn:
        chosen = conn.execute(in_use).all()
        ids = [row.id for row in chosen]
        counts = _rows(conn, COUNT_TABLES[kind], ids)
        more = _rows(conn, extra, ids) if extra is not None else None
    metas = [json.loads(row.meta) for row in chosen]
    return (counts, metas) if extra is None else (counts, metas, more)


def _rows(conn, table: Table, ids: list[int]) -> pd.DataFrame:
    rows = conn.execute(select(table).where(table.c.version_id.in_(ids))).mappings().all()
    columns = [c.name for c in table.columns if c.name != "version_id"]
    frame = pd.DataFrame([dict(r) for r in rows], columns=["version_id", *columns])
    number = "entered" if "entered" in columns else "count"
    return frame.drop(columns="version_id").astype(
        {c: ("int64" if c == number else "str") for c in columns})


def _profile(meta: dict) -> MappingProfile:
    return MappingProfile(ladder=meta.get("ladder"), stages=meta.get("stages"),
                          dimensions=meta.get("custom_dimensions", {}))


def _dimensions(metas: list[dict]) -> dict:
    chosen: dict = {}
    for meta in metas:
        catalogue = _profile(meta).dimension_catalogue()
        chosen.update({name: catalogue[name] for name in meta["dimensions"]})
    return chosen
