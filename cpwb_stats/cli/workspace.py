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

from cpwb_stats.cli import words
from cpwb_stats.i18n import translate
from cpwb_stats.ingest.mapping import DATE_ORDERS, KINDS
from cpwb_stats.problems import Refused, error
from cpwb_stats.workspace.access import ROLES, Actor

# The database, argon2 and Alembic load only when a workspace command runs, so that the other
# commands start fast.


def operator() -> Actor:
    return Actor(f"command line ({getpass.getuser()})", "admin")


def add_commands(commands, language: str = "en") -> None:
    def h(key: str) -> str:
        return words.help_text(key, language)

    username = translate("cli.metavar.username", language)
    users = commands.add_parser("users", help=h("users"), description=h("users")).add_subparsers(
        dest="users_command", required=True)
    add = users.add_parser("add", help=h("users_add"), description=h("users_add"))
    add.add_argument("username", metavar=username)
    add.add_argument("--role", choices=ROLES, required=True, help=h("role"))
    add.add_argument("--zone", action="append", default=[], help=h("users_zone"))
    change = users.add_parser("set", help=h("users_set"), description=h("users_set"))
    change.add_argument("username", metavar=username)
    change.add_argument("--role", choices=ROLES, help=h("role"))
    change.add_argument("--zone", action="append", default=None, help=h("users_zone"))
    change.add_argument("--active", choices=("yes", "no"), help=h("active"))
    for name in ("reset", "remove", "password"):
        users.add_parser(name, help=h(f"users_{name}"), description=h(f"users_{name}")
                         ).add_argument("username", metavar=username)
    users.add_parser("list", help=h("users_list"), description=h("users_list"))
    users.add_parser("first-admin", help=h("users_first_admin"),
                     description=h("users_first_admin"))

    store = commands.add_parser("store", help=h("store"), description=h("store"))
    store.add_argument("file", type=Path, metavar=translate("cli.metavar.file", language),
                       help=h("file"))
    store.add_argument("--kind", choices=KINDS, default="workforce", help=h("store_kind"))
    store.add_argument("--zone", help=h("store_zone"))
    store.add_argument("--mapping", type=Path, help=h("mapping"))
    store.add_argument("--sheet", help=h("store_sheet"))
    reading_options(store, language)
    history = commands.add_parser("history", help=h("history"), description=h("history"))
    history.add_argument("--zone", required=True, help=h("history_zone"))


def reading_options(command: argparse.ArgumentParser, language: str = "en") -> None:
    """Options that say how to read a file, over its mapping profile's settings."""
    command.add_argument("--date-order", choices=DATE_ORDERS, default=None,
                         help=words.help_text("date_order", language))
    command.add_argument("--many-dates", action="store_true",
                         help=words.help_text("many_dates", language))


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
