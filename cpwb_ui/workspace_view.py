"""Glue for the workspace pages: history, storing, restoring, deleting, accounts, audit."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from cpwb_stats.i18n import translate
from cpwb_stats.output.export import to_csv_bytes
from cpwb_stats.problems import Refused
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import Actor, may_write
from cpwb_stats.workspace.versions import StoredVersion, UploadedFile, store_extract, store_reference
from cpwb_ui import formatting
from cpwb_ui.account import engine
from cpwb_ui.sidebar import visible_zones

Result = TypeVar("Result")


def attempt(action: Callable[[], Result], language: str) -> Result | None:
    """Run a workspace action; a refusal becomes messages on the page, never a traceback."""
    try:
        return action()
    except Refused as refused:
        for message in refused.messages(language):
            st.error(message)
        return None


def writable(actor: Actor, zone: str) -> bool:
    demo = any(z.demo for z in visible_zones() if z.name == zone)
    return may_write(actor, zone, demo)


def history(actor: Actor, zone: str) -> pd.DataFrame:
    """The zone's stored versions; for an account that may edit the zone, the people each counts.

    A viewer sees the rows only: the zone's whole headcount is hidden on the pages when a small
    count could be had back from it, and the number of people of a version would give it back.
    """
    versions = stored.history(engine(), actor, zone)
    if not writable(actor, zone):
        return versions.assign(people=pd.Series(pd.NA, index=versions.index, dtype="Int64"))
    people = stored.people_per_version(engine(), actor, zone)
    return versions.assign(people=versions["id"].map(people).astype("Int64"))


def contents(kind: str, people: object, rows: int, language: str) -> str:
    """'1,336 people in 90 rows': who is counted, apart from the rows that store them.

    Movements and applicants say only how many there are (their rows are not a count of anyone);
    without a number of people (a viewer's table), only the rows.

    >>> contents("workforce", 1336, 90, "en"), contents("movements", 1, 1, "fr")
    ('1,336 people in 90 rows', '1 mouvement')
    >>> contents("applicants", 278, 814, "nl"), contents("workforce", None, 95, "nl")
    ('278 kandidaten', '95 rijen')
    """
    stored_rows = formatting.count(rows, language)
    if people is None or pd.isna(people) or kind not in ("workforce", "applicants", "movements"):
        return translate("versions.rows_only", language, rows=stored_rows)
    return translate(f"versions.contents_{kind}", language,
                     people=formatting.count(people, language), rows=stored_rows)


def display_history(history_: pd.DataFrame, language: str) -> pd.DataFrame:
    """The history with translated headings and kinds, the SHA-256 shortened for reading."""
    columns = {"kind": "kind", "period": "period", "version": "version", "filename": "file",
               "rows": "rows", "created_by": "by", "created_at": "at", "current": "in_use",
               "sha256": "sha256"}
    people = history_["people"] if "people" in history_ else pd.Series(None, index=history_.index)
    table = history_.assign(
        rows=[contents(k, p, r, language) for k, p, r in zip(history_["kind"], people,
                                                              history_["rows"])],
        kind=history_["kind"].map(lambda k: translate(f"kind.{k}", language)),
        created_at=history_["created_at"].map(lambda d: d.strftime("%Y-%m-%d %H:%M UTC")),
        sha256=history_["sha256"].str[:12])
    return table[list(columns)].rename(
        columns={c: translate(f"versions.col_{name}", language) for c, name in columns.items()})


def version_label(row: pd.Series, language: str) -> str:
    return translate("versions.option", language, kind=translate(f"kind.{row['kind']}", language),
                     period=row["period"] or "-", version=row["version"], file=row["filename"])


def store(actor: Actor, extract, content: bytes, filename: str, profile, zone: str,
          targets: pd.DataFrame | None) -> list[StoredVersion]:
    """Store the extract (for the zone typed or chosen, when the file names none)."""
    versions = store_extract(engine(), actor, extract, UploadedFile(content, filename, profile))
    if targets is not None and (targets["zone"] == zone).any():
        store_reference(engine(), actor, zone, "targets", targets,
                        UploadedFile(to_csv_bytes(targets), "targets.csv", profile))
    return versions


def file_zones(extract) -> list[str]:
    """The zones the rows of a validated extract belong to, as the file (or the page) says."""
    return [str(z) for z in dict.fromkeys(extract.counts["zone"])]


def already_stored(actor: Actor, zones: list[str], kind: str, content: bytes) -> pd.DataFrame:
    """Stored versions of the same kind made from a byte-identical file (same SHA-256)."""
    return stored.identical_versions(engine(), actor, zones, kind, content)


def where_rows_go(actor: Actor, extract, zone: str, kind: str, content: bytes,
                  language: str) -> tuple[list[str], pd.DataFrame]:
    """Say, before the store button, which zone(s) the rows go to and if the file is stored."""
    rows_zones = file_zones(extract)
    named = zone_list(rows_zones)
    st.info(translate("upload.file_zones", language, zones=named))
    if zone and rows_zones != [zone]:
        st.warning(translate("upload.zone_differs", language, typed=formatting.plain(zone),
                             zones=named))
    duplicates = already_stored(actor, rows_zones, kind, content)
    for row in duplicates.itertuples(index=False):
        st.info(translate("upload.already_stored", language, zone=formatting.plain(row.zone),
                          period=row.period, version=row.version, sha=row.sha256[:12]))
    return rows_zones, duplicates


def zone_list(zones: list[str]) -> str:
    return ", ".join(formatting.plain(z) for z in zones)


def stored_sentence(versions: list[StoredVersion], language: str) -> str:
    periods = ", ".join(f"{v.period} (v{v.version})" for v in versions)
    return translate("upload.stored", language, zone=formatting.plain(versions[0].zone),
                     periods=periods)


def display_users(users: pd.DataFrame, language: str) -> pd.DataFrame:
    """The accounts with translated headings, roles and yes/no, empty cells instead of None."""
    table = users.assign(
        role=users["role"].map(lambda r: translate(f"role.{r}", language)),
        active=users["active"].map(lambda b: _yes_no(b, language)),
        password_set=users["password_set"].map(lambda b: _yes_no(b, language)),
        last_login_at=users["last_login_at"].map(_when))
    return _labelled(table, language)


def display_audit(trail: pd.DataFrame, language: str) -> pd.DataFrame:
    """The audit log with translated headings, kinds, actions and details, empty cells instead
    of None. The log itself keeps the words it was written with."""
    table = trail.assign(at=trail["at"].map(_when),
                         actor=trail["actor"].map(lambda a: audit_actor(a, language)),
                         action=trail["action"].map(lambda a: audit_action(a, language)),
                         detail=trail["detail"].map(lambda d: audit_detail(d, language)),
                         kind=trail["kind"].map(lambda k: translate(f"kind.{k}", language)
                                                if isinstance(k, str) and k else ""))
    return _labelled(table, language)


AUDIT_ACTIONS = ("upload", "restore", "delete", "targets", "benchmarks", "mapping", "account",
                 "setup", "login", "login_failed")

# The details the workspace writes (cpwb_stats.workspace.accounts, .versions), in the order
# they are tried; a detail that matches none is shown as written.
_DETAILS = (
    ("first_admin", re.compile(r"created (?P<name>\S+) as the first admin")),
    ("created", re.compile(r"created (?P<name>\S+) as (?P<role>\S+) for (?P<zones>.*)")),
    ("changed", re.compile(r"changed (?P<name>\S+): role (?P<role>\S+), zones (?P<zones>.*), "
                           r"active (?P<active>True|False)")),
    ("removed", re.compile(r"removed (?P<name>\S+)")),
    ("reset", re.compile(r"reset the password of (?P<name>\S+)")),
    ("password_set", re.compile(r"set the password of (?P<name>\S+)")),
    ("setup", re.compile(r"password chosen with a setup token")),
    ("throttled", re.compile(r"throttled")),
    ("mapping", re.compile(r"saved the mapping profile")),
)
_COMMAND_LINE = re.compile(r"command line(?P<login> \(.*\))?")


def audit_action(action: object, language: str) -> str:
    if action in AUDIT_ACTIONS:
        return translate(f"admin.action_{action}", language)
    return "" if action is None else str(action)


def audit_actor(actor: object, language: str) -> str:
    """Who acted: an account's name as it is; the command line in the reader's words."""
    found = _COMMAND_LINE.fullmatch(actor) if isinstance(actor, str) else None
    if found is None:
        return "" if actor is None else str(actor)
    return translate("admin.actor_command_line", language) + (found["login"] or "")


def audit_detail(detail: object, language: str) -> str:
    """An entry's detail in the reader's language (accounts' roles and zones included)."""
    if not isinstance(detail, str):
        return ""
    for key, pattern in _DETAILS:
        found = pattern.fullmatch(detail)
        if found is None:
            continue
        words = found.groupdict()
        if "role" in words:
            words["role"] = translate(f"role.{words['role']}", language)
        if "zones" in words and words["zones"] in ("all zones", "-"):
            words["zones"] = translate("admin.detail_all_zones" if words["zones"] == "all zones"
                                       else "admin.detail_no_zones", language)
        if "active" in words:
            words["active"] = _yes_no(words["active"] == "True", language)
        return translate(f"admin.detail_{key}", language, **words)
    return detail


def _labelled(table: pd.DataFrame, language: str) -> pd.DataFrame:
    shown = table.astype(object).map(_cell)
    return shown.rename(columns={c: translate(f"admin.col_{c}", language) for c in shown.columns})


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _when(moment: object) -> str:
    return "" if moment is None or pd.isna(moment) else moment.strftime("%Y-%m-%d %H:%M UTC")


def _yes_no(flag: object, language: str) -> str:
    return translate(f"admin.col_{'yes' if flag else 'no'}", language)
