"""Command line: ``python -m cpwb_stats validate|representation|funnel|publish|report|...``.

Exit codes: 0 done (warnings allowed), 1 the input is not valid (a message says why),
2 the command itself was mistyped. Imports nothing of Streamlit or Plotly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cpwb_stats.cli import words
from cpwb_stats.cli import workspace as cli_workspace
from cpwb_stats.i18n import LANGUAGES, translate
from cpwb_stats.ingest.cell_values import parse_decimal
from cpwb_stats.ingest.mapping import FIELDS, KINDS, MappingProfile, profile_from_yaml
from cpwb_stats.problems import ExtractRejected, Problem, Refused, error

if TYPE_CHECKING:
    import pandas as pd

    from cpwb_stats.disclosure.control import DisclosurePolicy

# Only what every command needs is imported here: pandas, the validators, the measures (SciPy)
# and the workspace (SQLAlchemy, Alembic) load when a command reaches them, so that ``--help``
# starts without pandas and ``validate`` or ``template`` without SciPy or the database.

DENOMINATORS = ("declared", "headcount")  # representation.DENOMINATORS, kept equal by a test
TEMPLATE_FORMATS = ("csv", "xlsx")

OUTPUT_COLUMNS = ["period", "zone", "staff_category", "rank", "dimension", "group", "count",
                  "declared", "headcount", "share", "declaration_rate", "declaration_rate_band", "ci_low",
                  "ci_high", "suppressed", "not_robust", "declared_group"]


RETENTION_COLUMNS = ["period", "zone", "staff_category", "rank", "dimension", "group", "leavers",
                     "average_headcount", "leaver_rate", "resignations", "resignation_rate",
                     "hires", "start_headcount", "end_headcount", "headcount_basis",
                     "reference_group", "relative_leaver_rate", "rr_ci_low", "rr_ci_high",
                     "p_value", "suppressed"]


FUNNEL_COLUMNS = ["campaign", "zone", "stage", "dimension", "group", "entered", "passed",
                  "pass_rate", "ci_low", "ci_high", "cumulative_rate", "reference_group",
                  "impact_ratio", "below_four_fifths", "p_fisher", "z_score", "p_cmh", "campaigns",
                  "shortfall", "one_person_flips", "insufficient_data", "suppressed"]


def build_parser(language: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, its help in ``language`` (argparse's own words too, when
    built and used inside :func:`words.argparse_words`)."""
    def h(key: str) -> str:
        return words.help_text(key, language)

    typed = _Typed(language)
    parser = argparse.ArgumentParser(prog="python -m cpwb_stats", description=h("description"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=h("lang"))
    commands = parser.add_subparsers(dest="command", required=True)

    def with_input(command: argparse.ArgumentParser, kinds: tuple[str, ...] = KINDS) -> None:
        command.add_argument("file", type=Path, help=h("file"),
                             metavar=translate("cli.metavar.file", language))
        command.add_argument("--sheet", help=h("sheet"))
        command.add_argument("--kind", choices=kinds, default=None, help=h("kind"))
        command.add_argument("--mapping", type=Path, help=h("mapping"))
        command.add_argument("--zone", help=h("zone"))
        cli_workspace.reading_options(command, language)

    def output_format(command: argparse.ArgumentParser, choices: tuple[str, ...],
                      default: str) -> None:
        command.add_argument("--format", choices=choices, default=default, help=h("format"))

    def min_cell(command: argparse.ArgumentParser, key: str = "min_cell") -> None:
        command.add_argument("--min-cell", type=typed.non_negative, default=None, help=h(key))

    validate = commands.add_parser("validate", help=h("validate"), description=h("validate"))
    with_input(validate)
    output_format(validate, ("text", "json"), "text")

    representation = commands.add_parser("representation", help=h("representation"),
                                         description=h("representation"))
    with_input(representation, ("workforce",))
    representation.add_argument("--dimension", help=h("dimension"))
    representation.add_argument("--combine-zones", action="store_true", help=h("combine_zones"))
    representation.add_argument("--denominator", choices=DENOMINATORS, default="declared",
                                help=h("denominator"))
    min_cell(representation)
    output_format(representation, ("csv", "json"), "json")

    funnel = commands.add_parser("funnel", help=h("funnel"), description=h("funnel"))
    with_input(funnel, ("applicants",))
    funnel.add_argument("--dimension", help=h("dimension"))
    funnel.add_argument("--reference", default="highest", help=h("funnel_reference"))
    funnel.add_argument("--pool", action="store_true", help=h("pool"))
    min_cell(funnel)
    output_format(funnel, ("csv", "json"), "json")

    retention = commands.add_parser("retention", help=h("retention"), description=h("retention"))
    retention.add_argument("--workforce", type=Path, nargs="+", required=True,
                           help=h("workforce_files"))
    retention.add_argument("--movements", type=Path, required=True, help=h("movements"))
    retention.add_argument("--mapping", type=Path, help=h("mapping_both"))
    retention.add_argument("--workforce-mapping", type=Path, help=h("workforce_mapping"))
    retention.add_argument("--zone", help=h("zone_files"))
    retention.add_argument("--sheet", help=h("sheet"))
    retention.add_argument("--dimension", help=h("dimension"))
    retention.add_argument("--reference", help=h("retention_reference"))
    retention.add_argument("--survival", action="store_true", help=h("survival"))
    min_cell(retention)
    output_format(retention, ("csv", "json"), "json")

    project = commands.add_parser("project", help=h("project"), description=h("project"))
    project.add_argument("--headcount", type=typed.positive_number, help=h("headcount"))
    project.add_argument("--group-count", type=typed.non_negative_number, help=h("group_count"))
    project.add_argument("--leaver-rate", type=typed.rate, help=h("leaver_rate"))
    project.add_argument("--group-leaver-rate", type=typed.rate, help=h("group_leaver_rate"))
    project.add_argument("--hire-share", type=typed.rate, help=h("hire_share"))
    project.add_argument("--years", type=typed.non_negative, default=10, help=h("years"))
    project.add_argument("--workforce", type=Path, nargs="+", help=h("project_workforce"))
    project.add_argument("--movements", type=Path, help=h("project_movements"))
    project.add_argument("--zone", help=h("zone_files"))
    project.add_argument("--sheet", help=h("sheet"))
    project.add_argument("--stored-zone", help=h("project_stored_zone"))
    project.add_argument("--dimension", default="migration_background",
                         help=h("project_dimension"))
    project.add_argument("--group", default="yes", help=h("project_group"))
    min_cell(project, "project_min_cell")
    output_format(project, ("csv", "json"), "json")

    publish = commands.add_parser("publish", help=h("publish"), description=h("publish"))
    publish.add_argument("--stored-zone", required=True, help=h("stored_zone"))
    publish.add_argument("--period", required=True, help=h("publish_period"))
    publish.add_argument("--licence", default="CC-BY-4.0", help=h("licence"))
    min_cell(publish, "publish_min_cell")
    publish.add_argument("--output", "-o", type=Path, required=True, help=h("publish_output"))

    report = commands.add_parser("report", help=h("report"), description=h("report"))
    report.add_argument("--stored-zone", required=True, help=h("stored_zone"))
    report.add_argument("--period", required=True, help=h("report_period"))
    report.add_argument("--output", "-o", type=Path, required=True, help=h("report_output"))
    min_cell(report)
    report.add_argument("--no-charts", action="store_true", help=h("no_charts"))

    template = commands.add_parser("template", help=h("template"), description=h("template"))
    template.add_argument("--kind", choices=KINDS, default="workforce", help=h("template_kind"))
    template.add_argument("--format", choices=TEMPLATE_FORMATS, default=None,
                          help=h("template_format"))
    template.add_argument("--output", "-o", type=Path, required=True, help=h("template_output"))
    cli_workspace.add_commands(commands, language)
    _lang_after_every_command(commands, h("lang"))
    return parser


def _lang_after_every_command(commands, help_text: str) -> None:
    """``--lang`` is also accepted after a command (``users list`` too), with the same effect as
    before it; the SUPPRESS default keeps a ``--lang`` given before the command."""
    for command in commands.choices.values():
        command.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                             help=help_text)
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                _lang_after_every_command(action, help_text)


def with_reading_options(profile: MappingProfile | None, args: argparse.Namespace,
                         kind: str) -> MappingProfile | None:
    changes = {}
    if getattr(args, "date_order", None):
        changes["date_order"] = args.date_order
    if getattr(args, "many_dates", False):
        changes["many_reference_dates"] = True
    if not changes:
        return profile
    return replace(profile or MappingProfile(kind=kind), **changes)


class _Typed:
    """Numbers typed on the command line, refused in the reader's language."""

    def __init__(self, language: str):
        self.language = language

    def _refuse(self, key: str, **params: object) -> argparse.ArgumentTypeError:
        return argparse.ArgumentTypeError(translate(f"cli.type.{key}", self.language, **params))

    def rate(self, text: str) -> float:
        """A rate or share: 0.05, 5% or 5 %."""
        value = parse_decimal(text.replace("%", "").strip())
        if value is None:
            raise self._refuse("not_a_number", value=text)
        value = value / 100 if "%" in text else value
        if not 0 <= value <= 1:
            raise self._refuse("rate")
        return value

    def non_negative_number(self, text: str) -> float:
        value = parse_decimal(text)
        if value is None or value < 0:
            raise self._refuse("non_negative_number")
        return value

    def positive_number(self, text: str) -> float:
        value = self.non_negative_number(text)
        if value == 0:
            raise self._refuse("positive")
        return value

    def non_negative(self, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = -1
        if value < 0:
            raise self._refuse("non_negative", value=text)
        return value


def main(argv: list[str] | None = None,
         pictures: Callable[[object], dict[str, bytes]] | None = None) -> int:
    """Run one command. ``pictures`` draws the zone report's charts (``cpwb_figures`` passes
    it in; this package never draws)."""
    argv = sys.argv[1:] if argv is None else argv
    language = words.command_language(argv)
    with words.argparse_words(language):
        args = build_parser(language).parse_args(argv)
    language = args.lang or language
    if args.command == "template":
        return _template(args, language)
    if args.command == "retention":
        return _retention(args, language)
    if args.command == "project":
        return _project(args, language)
    if args.command == "publish":
        return _publish(args, language)
    if args.command == "report":
        return _report(args, language, pictures)
    try:
        if args.command == "users":
            return cli_workspace.run_users(args, language)
        if args.command == "history":
            return cli_workspace.run_history(args)
    except Refused as refused:
        return _fail(refused.problems, language)
    try:
        profile = _profile(args.mapping)
        content = _content(args.file)
    except ExtractRejected as rejected:
        return _fail(rejected.problems, language)
    from cpwb_stats.contract.extracts import validate_file

    kind = args.kind or _default_kind(args.command, profile)
    if profile is not None and profile.kind != kind:
        profile = replace(profile, kind=kind)
    profile = with_reading_options(profile, args, kind)
    report = validate_file(content, args.file.name, profile, args.zone, kind,
                           getattr(args, "sheet", None))
    if args.command == "validate":
        return _print_report(report, args.format, language)
    if args.command == "store":
        return _store(report, content, args, profile, language)
    if not report.valid:
        return _fail(list(report.errors), language)
    try:
        table = _measure(args, report.extract)
    except ExtractRejected as rejected:
        return _fail(rejected.problems, language)
    _write(table, args.format)
    return 0


def _store(report, content: bytes, args: argparse.Namespace, profile: MappingProfile | None,
           language: str) -> int:
    if not report.valid:
        return _fail(list(report.errors), language)
    from cpwb_stats.workspace.versions import UploadedFile

    zones = [str(zone) for zone in dict.fromkeys(report.extract.counts["zone"])]
    if args.zone and zones != [args.zone]:  # --zone names a zone the file's own rows are not in
        return _fail([error("store_zone_differs", value=args.zone, accepted=", ".join(zones))],
                     language)
    try:
        same = cli_workspace.identical_versions(zones, args.kind, content)
        if not same.empty:
            for row in same.itertuples(index=False):
                sys.stdout.write(translate("upload.already_stored", language, zone=row.zone,
                                           period=row.period, version=row.version,
                                           sha=row.sha256[:12]) + "\n")
            return 0
        versions = cli_workspace.store(report.extract, UploadedFile(
            content, args.file.name, profile or MappingProfile(kind=args.kind)))
    except Refused as refused:
        return _fail(refused.problems, language)
    for v in versions:
        sys.stdout.write(translate("cli.stored", language, zone=v.zone, kind=v.kind,
                                   period=v.period, version=v.version, rows=v.rows) + "\n")
    return 0


def template_format(output: Path, chosen: str | None) -> str:
    """The format of a template written to ``output``: the file's suffix says it (.csv, .xlsx);
    ``--format`` may only repeat it, or name the format of a file whose suffix is neither."""
    suffix = output.suffix.lower().lstrip(".")
    if suffix in TEMPLATE_FORMATS:
        if chosen not in (None, suffix):
            raise Refused([error("template_format_differs", value=output.name, chosen=chosen,
                                 suffix=suffix)])
        return suffix
    if chosen is None:
        raise Refused([error("template_output_format", value=output.name)])
    return chosen


def _template(args: argparse.Namespace, language: str) -> int:
    try:
        output_format = template_format(args.output, args.format)
    except Refused as refused:
        return _fail(refused.problems, language)
    from cpwb_stats.output.templates import template_bytes

    try:
        args.output.write_bytes(template_bytes(args.kind, output_format, language))
    except OSError as exc:
        return _fail([error("cannot_open", value=str(args.output), detail=exc.strerror)],
                     language)
    return 0


def _retention(args: argparse.Namespace, language: str) -> int:
    from cpwb_stats.demo.samples import combine_extracts
    from cpwb_stats.pipeline import (
        RetentionRequest,
        curve_note_text,
        protected_retention,
        protected_survival_with_notes,
    )

    try:
        movements_profile = _profile(args.mapping)
        workforce_profile = _profile(args.workforce_mapping) or _for_kind(movements_profile,
                                                                          "workforce")
        workforce = [_validated(path, workforce_profile, args.zone, "workforce", args.sheet)
                     for path in args.workforce]
        movements = _validated(args.movements, movements_profile, args.zone, "movements",
                               args.sheet)
        policy = _policy(args)
        request = RetentionRequest(args.dimension, args.reference, policy)
        extract = combine_extracts(workforce)
        notes = []
        if args.survival:
            table, notes = protected_survival_with_notes(extract, movements, request)
        else:
            table = protected_retention(extract, movements, request)[RETENTION_COLUMNS]
    except ExtractRejected as rejected:
        return _fail(rejected.problems, language)
    for dimension, note in notes:  # why a curve is missing or stops early, in words
        named = "" if args.dimension else f"{dimension} · "  # several dimensions: say which
        sys.stderr.write(named + curve_note_text(note, dimension, policy.min_cell, language)
                         + "\n")
    _write(table, args.format)
    return 0


def _publish(args: argparse.Namespace, language: str) -> int:
    from cpwb_stats.output.publication import package_zip, publication

    policy = _policy(args)
    try:
        published = publication(cli_workspace.stored_zone(args.stored_zone), args.stored_zone,
                                args.period, policy, args.licence)
    except (Refused, ExtractRejected) as refused:
        return _fail(refused.problems, language)
    args.output.write_bytes(package_zip(published, language))
    sys.stdout.write(translate("cli.published", language, path=args.output,
                               tables=len(published.tables), k=policy.min_cell) + "\n")
    return 0


PROJECT_INPUTS = ("headcount", "group_count", "leaver_rate", "group_leaver_rate", "hire_share")


def _project(args: argparse.Namespace, language: str) -> int:
    given = {name: getattr(args, name) for name in PROJECT_INPUTS}
    missing = [name for name, value in given.items() if value is None]
    if missing:
        if not (args.workforce and args.movements) and not args.stored_zone:
            sys.stderr.write(translate("cli.project_missing", language,
                                       names=", ".join("--" + m.replace("_", "-")
                                                       for m in missing)) + "\n")
            return 2
        try:
            estimated = _estimated_rates(args)
        except Refused as refused:
            return _fail(refused.problems, language)
        given = {name: estimated[name] if value is None else value
                 for name, value in given.items()}
        policy = _policy(args)
        if policy.is_small(given["group_count"]):
            return _fail([error("projection_group_too_small", minimum=policy.min_cell)], language)
    if given["group_count"] > given["headcount"]:
        sys.stderr.write(translate("cli.project_group_too_large", language) + "\n")
        return 2
    from cpwb_stats.targets.projection import project

    _write(project(**given, years=args.years), args.format)
    return 0


def _report(args: argparse.Namespace, language: str,
            pictures: Callable[[object], dict[str, bytes]] | None) -> int:
    """The zone's report: its numbers from the protected tables, its charts drawn by the
    caller's ``pictures`` (the program ``python -m cpwb_stats`` passes them); without it, words
    and tables only when asked (``--no-charts``), else a message saying where they are drawn."""
    from cpwb_stats.demo.startup import open_workspace
    from cpwb_stats.output import report

    suffix = args.output.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        return _fail([error("report_output_format", value=args.output.name)], language)
    try:
        data = report.stored_report_data(open_workspace(), cli_workspace.operator(),
                                         args.stored_zone)
        written = report.build_report(data, args.period, language, _policy(args))
    except (Refused, ExtractRejected) as refused:
        return _fail(refused.problems, language)
    if not args.no_charts and pictures is None:
        return _fail([error("report_charts_not_drawn")], language)
    images = {} if args.no_charts else pictures(written)
    document = report.to_html(written, images)
    content = report.to_pdf(document) if suffix == ".pdf" else document.encode("utf-8")
    try:
        args.output.write_bytes(content)
    except OSError as exc:
        return _fail([error("cannot_open", value=str(args.output), detail=exc.strerror)],
                     language)
    sys.stdout.write(translate("cli.report_written", language, path=args.output) + "\n")
    return 0


def _estimated_rates(args: argparse.Namespace) -> dict[str, float]:
    from cpwb_stats.demo.samples import combine_extracts

    if args.stored_zone:
        workforce, movements = cli_workspace.stored_extracts(args.stored_zone)
    else:
        workforce = combine_extracts([_validated(p, None, args.zone, "workforce", args.sheet)
                                      for p in args.workforce])
        movements = _validated(args.movements, None, args.zone, "movements", args.sheet)
    if args.dimension not in workforce.dimensions:
        raise ExtractRejected([error("dimension_not_in_file", value=args.dimension,
                                     accepted=", ".join(workforce.dimensions))])
    from cpwb_stats.targets.projection_inputs import published_zone_rates

    return published_zone_rates(workforce, movements, args.dimension, args.group, _policy(args),
                                need_start=args.group_count is None or args.headcount is None,
                                need_rates=None in (args.leaver_rate, args.group_leaver_rate,
                                                    args.hire_share))


def _for_kind(profile: MappingProfile | None, kind: str) -> MappingProfile | None:
    """One profile for both files: the other kind's constants left out."""
    if profile is None:
        return None
    constants = {k: v for k, v in profile.constants.items() if k in FIELDS[kind]}
    return replace(profile, kind=kind, constants=constants)


def _validated(path: Path, profile: MappingProfile | None, zone: str | None, kind: str,
               sheet: str | None = None):
    if profile is not None and profile.kind != kind:
        profile = replace(profile, kind=kind)
    from cpwb_stats.contract.extracts import validate_file

    report = validate_file(_content(path), path.name, profile, zone, kind, sheet)
    if not report.valid:
        raise ExtractRejected([replace(p, params={**p.params, "file": path.name})
                               for p in report.errors])
    return report.extract


def _write(table: pd.DataFrame, output_format: str) -> None:
    if output_format == "csv":
        from cpwb_stats.output.export import rounded_for_reading, to_csv_bytes

        sys.stdout.buffer.write(to_csv_bytes(rounded_for_reading(table)))
    else:
        sys.stdout.write(table.to_json(orient="records", force_ascii=False) + "\n")


def _default_kind(command: str, profile: MappingProfile | None) -> str:
    if command == "funnel":
        return "applicants"
    if command == "representation":
        return "workforce"
    return profile.kind if profile is not None else "workforce"


def _policy(args: argparse.Namespace) -> DisclosurePolicy:
    """The disclosure policy of the command line: its own default unless --min-cell is given."""
    from cpwb_stats.disclosure.control import DisclosurePolicy

    return DisclosurePolicy() if args.min_cell is None else DisclosurePolicy(min_cell=args.min_cell)


def _measure(args: argparse.Namespace, extract) -> pd.DataFrame:
    from cpwb_stats.pipeline import (
        FunnelRequest,
        RepresentationRequest,
        protected_funnel,
        protected_representation,
    )

    policy = _policy(args)
    if args.command == "funnel":
        request = FunnelRequest(args.dimension, args.reference, args.pool, policy)
        table = protected_funnel(extract, request)
        return table[[c for c in FUNNEL_COLUMNS if c in table.columns]]
    request = RepresentationRequest(args.dimension, args.combine_zones, args.denominator, policy)
    return protected_representation(extract, request)[OUTPUT_COLUMNS]


def _profile(path: Path | None) -> MappingProfile | None:
    if path is None:
        return None
    return profile_from_yaml(_content(path).decode("utf-8-sig", errors="replace"))


def _content(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExtractRejected([error("cannot_open", value=str(path), detail=exc.strerror)]) from exc


def _fail(problems: list[Problem], language: str) -> int:
    for problem in problems:
        sys.stderr.write(_line(problem, language) + "\n")
    return 1


def _line(problem: Problem, language: str) -> str:
    where = []
    if problem.row is not None:
        where.append(translate("cli.row", language, row=problem.row))
    if problem.column:
        where.append(translate("cli.column", language, column=problem.column))
    if problem.value is not None:
        where.append(translate("cli.value", language, value=problem.value))
    prefix = translate(f"cli.{problem.severity}", language)
    return f"{prefix}: " + (", ".join(where) + ": " if where else "") + problem.message(language)


def _print_report(report, output_format: str, language: str) -> int:
    if output_format == "json":
        sys.stdout.write(json.dumps(report.as_dict(language), ensure_ascii=False, indent=2) + "\n")
    else:
        status = "cli.valid" if report.valid else "cli.invalid"
        shape = translate(f"shape.{report.shape}", language) if report.shape else "?"
        sys.stdout.write(translate(status, language, rows=report.rows, shape=shape) + "\n")
        for problem in (*report.errors, *report.warnings):
            sys.stdout.write(_line(problem, language) + "\n")
    return 0 if report.valid else 1
