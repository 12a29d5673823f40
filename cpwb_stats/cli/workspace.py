"""Command line for the workspace: ``users ...``, ``store`` and ``history``.

Whoever runs these has the database in hand (``CPWB_DATABASE_URL``, or the local SQLite file),
so they act as an administrator; the audit log names them as ``command line (<login>)``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from cpwb_stats.i18n import translate
from cpwb_stats.ingest.mapping import DATE_ORDERS, KINDS
from cpwb_stats.problems import Refused, error
from cpwb_stats.workspace.access import ROLES, Actor

# The database, argon2 and Alembic load only when a workspace command runs, so that the other
# commands start fast.


def operator() -> Actor:
    return Actor(f"command line ({getpass.getuser()})", "admin")


def add_commands(commands) -> None:
    users = commands.add_parser("users", help="manage accounts").add_subparsers(
        dest="users_command", required=True)
    add = users.add_parser("add", help="create an account; prints its one-time setup link")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--zone", action="append", default=[], help="a zone (repeat for several)")
    change = users.add_parser("set", help="change an account's role, zones or status")
    change.add_argument("username")
    change.add_argument("--role", choices=ROLES)
    change.add_argument("--zone", action="append", default=None)
    change.add_argument("--active", choices=("yes", "no"))
    for name, text in (("reset", "clear the password; prints a new setup link"),
                       ("remove", "remove an account"),
                       ("password", "set a password (read from standard input)")):
        users.add_parser(name, help=text).add_argument("username")
    users.add_parser("list", help="list the accounts")
    users.add_parser("first-admin", help="print a setup link for the first administrator")

    store = commands.add_parser("store", help="validate an extract and store it in the workspace")
    store.add_argument("file", type=Path)
    store.add_argument("--kind", choices=KINDS, default="workforce")
    store.add_argument("--zone", help="zone of a file that has no zone column; a file whose own "
                                      "zone column names another zone is refused")
    store.add_argument("--mapping", type=Path, help="mapping profile (YAML)")
    store.add_argument("--sheet", help="workbook sheet to read, by name or number")
    reading_options(store)
    history = commands.add_parser("history", help="list a zone's stored versions")
    history.add_argument("--zone", required=True)


def reading_options(command: argparse.ArgumentParser) -> None:
    """Options that say how to read a file, over its mapping profile's settings."""
    command.add_argument("--date-order", choices=DATE_ORDERS, default=None,
                         help="how dates such as 10/01/2021 are written: dmy (default), mdy, ymd")
    command.add_argument("--many-dates", action="store_true",
                         help="confirm that a workforce file with many reference dates is a "
                              "series of snapshots")


def setup_link(token: str) -> str:
    base = os.environ.get("CPWB_PUBLIC_URL", "http://localhost:8501").rstrip("/")
    return f"{base}/?setup={token}"


def run_users(args: argparse.Namespace, language: str) -> int:
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.workspace import accounts

    engine = open_workspace()
    actor = operator()
    command = args.users_command
    if command == "add":
        token = accounts.create_user(engine, actor, args.username, args.role, args.zone)
        return _print_link(args.username, token, language)
    if command == "set":
        active = None if args.active is None else args.active == "yes"
        accounts.update_user(engine, actor, args.username, args.role, args.zone, active)
    elif command == "reset":
        return _print_link(args.username, accounts.reset_password(engine, actor, args.username),
                           language)
    elif command == "remove":
        accounts.delete_user(engine, actor, args.username)
    elif command == "password":
        accounts.set_password(engine, args.username, _read_password(language))
    elif command == "first-admin":
        token = accounts.first_admin_token(engine)
        if token is None:
            sys.stdout.write(translate("cli.admin_exists", language) + "\n")
            return 0
        return _print_link("", token, language)
    elif command == "list":
        sys.stdout.write(_users_text(accounts.list_users(engine, actor), language) + "\n")
    return 0


def _users_text(users, language: str) -> str:
    """The accounts as a plain table; a sentence saying how to add one when there are none."""
    if users.empty:
        return translate("cli.no_accounts", language)
    shown = users.astype(object).where(users.notna(), "")
    return shown.to_string(index=False)


def run_history(args: argparse.Namespace) -> int:
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.workspace import stored

    table = stored.history(open_workspace(), operator(), args.zone)
    sys.stdout.write(table.drop(columns="id").to_string(index=False) + "\n")
    return 0


def identical_versions(zones: list[str], kind: str, content: bytes):
    """Versions already stored from these very bytes (see ``stored.identical_versions``)."""
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.workspace import stored

    return stored.identical_versions(open_workspace(), operator(), zones, kind, content)


def store(extract, upload) -> list:
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.workspace.versions import store_extract

    return store_extract(open_workspace(), operator(), extract, upload)


def _print_link(username: str, token: str, language: str) -> int:
    from cpwb_stats.workspace import accounts

    sys.stdout.write(translate("cli.setup_link", language, username=username or "admin",
                               link=setup_link(token),
                               hours=int(accounts.token_lifetime().total_seconds() // 3600))
                     + "\n")
    return 0


def _read_password(language: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(translate("cli.password_prompt", language))
    return sys.stdin.readline().rstrip("\n")


def stored_extracts(zone: str):
    """The zone's stored workforce and movements, for estimating rates; refused when absent."""
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.workspace import stored

    engine = open_workspace()
    workforce = stored.stored_workforce(engine, operator(), [zone])
    movements = stored.stored_movements(engine, operator(), [zone])
    if workforce is None or movements is None:
        raise Refused([error("stored_data_missing", value=zone)])
    return workforce, movements


def stored_zone(zone: str):
    """The zone's stored workforce, movements and applicants (the last two may be absent)."""
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.output.publication import ZoneData
    from cpwb_stats.workspace import stored

    engine = open_workspace()
    names = [z.name for z in stored.visible_zones(engine, operator())]
    if names and zone not in names:  # a mistyped name: say which zones there are ("Gent (demo)", ...)
        raise Refused([error("report_unknown_zone", value=zone, accepted=", ".join(names))])
    workforce = stored.stored_workforce(engine, operator(), [zone])
    if workforce is None:
        raise Refused([error("stored_data_missing", value=zone)])
    return ZoneData(workforce, stored.stored_movements(engine, operator(), [zone]),
                    stored.stored_applicants(engine, operator(), [zone]))
