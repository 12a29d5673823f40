"""The upload page's steps: mapping proposal and editing, validation report, saving."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from cpwb_stats.contract.extracts import validate_file
from cpwb_stats.contract.validate import ValidationReport
from cpwb_stats.i18n import translate
from cpwb_stats.ingest.mapping import DATE_ORDERS, FIELDS, MappingProfile, profile_from_yaml
from cpwb_stats.problems import ExtractRejected, Problem
from cpwb_stats.terms.ladders import PRESETS
from cpwb_stats.terms.vocabulary import LEAVE_REASONS, MOVEMENTS
from cpwb_stats.workspace.access import Actor
from cpwb_ui import formatting, guard

_VALUE_CODES = {"unknown_rank": "rank", "unknown_group": None, "unknown_category": "staff_category",
                "unknown_stage": "stage", "unknown_movement": "movement",
                "unknown_leave_reason": "leave_reason"}


def profile_upload(language: str,
                   base: MappingProfile | None) -> tuple[MappingProfile | None, bool]:
    """A YAML profile the user uploads replaces the saved one for this upload.

    Returns the profile and whether it could be read: a profile with errors is shown in red
    and nothing may be stored or saved until it is corrected or removed.
    """
    file = st.file_uploader(translate("upload.profile_file", language), type=["yaml", "yml"],
                            key="profile_upload")
    uploader_words(language)
    if file is None:
        return base, True
    try:
        return profile_from_yaml(file.getvalue().decode("utf-8-sig", errors="replace")), True
    except ExtractRejected as rejected:
        for problem in rejected.problems:
            st.error(problem.message(language))
        return base, False


def uploader_key(fresh: bool = False) -> str:
    """The file picker's key: a new one (an empty picker) after storing, or on coming back.

    ``fresh`` asks for an empty picker now; coming back from another page gets one too, so a
    file chosen earlier is never stored by mistake later.
    """
    state = st.session_state
    generation = state.get("_upload_generation", 0)
    last = state.get("_upload_last_run")
    if fresh or (last is not None and last != guard.runs() - 1):
        generation += 1
    state["_upload_generation"] = generation
    state["_upload_last_run"] = guard.runs()
    return "upload" if generation == 0 else f"upload_{generation}"


def target_options(profile: MappingProfile) -> list[str]:
    dimensions = profile.dimension_catalogue()
    wide = [f"{name}={value}" for name, d in dimensions.items() for value in d.values]
    return ["", *FIELDS[profile.kind], *dimensions, *wide]


def field_label(target: str, language: str) -> str:
    """A field (``rank``), a dimension (``gender``) or a wide column's group (``gender=woman``)
    as the reader says it: ``graad``, ``geslacht``, ``geslacht: vrouw``."""
    if not target:
        return ""
    name, _, group = target.partition("=")
    said = translate(f"field.{name}", language)
    if said.startswith("field."):
        said = formatting.dimension_label(name, language).lower()
    return f"{said}: {formatting.group_label(name, group, language)}" if group else said


def column_editor(report: ValidationReport, profile: MappingProfile,
                  language: str) -> dict[str, str]:
    """Header -> field table the user can correct; returns the user's mapping."""
    proposal = pd.DataFrame({
        "header": list(report.columns),
        "field": [t or "" for t in report.columns.values()],
    })
    edited = st.data_editor(
        proposal, hide_index=True, key="column_editor", disabled=["header"],
        column_config={
            "header": st.column_config.TextColumn(translate("upload.header", language)),
            "field": st.column_config.SelectboxColumn(
                translate("upload.field", language), options=target_options(profile),
                format_func=lambda target: field_label(target, language)),
        })
    return {h: f for h, f in zip(edited["header"], edited["field"]) if f}


def unrecognised_values(report: ValidationReport) -> pd.DataFrame:
    """Distinct codes the validator did not recognise, with the field each belongs to."""
    rows = []
    for problem in report.errors:
        if problem.code in _VALUE_CODES and problem.value is not None:
            field = _VALUE_CODES[problem.code] or str(problem.params.get("dimension"))
            rows.append({"field": field, "value": problem.value, "code": ""})
    return pd.DataFrame(rows, columns=["field", "value", "code"]).drop_duplicates(["field", "value"])


def value_editor(report: ValidationReport, profile: MappingProfile, language: str,
                 upload_key: str) -> dict[str, dict[str, str]]:
    """Codes the user has said the meaning of, kept for this upload across reruns.

    Once a code is mapped its error disappears, and with it the editor's row; the choice is
    therefore kept in the session, not in the editor.
    """
    chosen: dict[str, dict[str, str]] = st.session_state.setdefault(f"values_{upload_key}", {})
    unknown = unrecognised_values(report)
    if not unknown.empty:
        st.subheader(translate("upload.values_title", language))
        said = {field_label(f, language): f for f in unknown["field"]}
        options = _value_options(profile, language)
        edited = st.data_editor(unknown.assign(field=unknown["field"].map(
                                    lambda f: field_label(f, language))),
                                hide_index=True, key=f"value_editor_{upload_key}",
                                disabled=["field", "value"], column_config={
                                    "field": translate("upload.field", language),
                                    "value": translate("upload.value", language),
                                    "code": st.column_config.SelectboxColumn(
                                        translate("upload.code", language),
                                        options=list(options), format_func=options.get)})
        for field, value, code in edited[["field", "value", "code"]].itertuples(index=False):
            if code:
                chosen.setdefault(said.get(field, field), {})[value] = code
    return chosen


def _value_options(profile: MappingProfile, language: str) -> dict[str, str]:
    """Every code a value may be given, with its label in the reader's language."""
    ladder = profile.resolve_ladder()
    ladders = [ladder] if ladder else list(PRESETS.values())
    options = {"": ""}
    for lad in ladders:
        options |= {c: lad.rank_label(c, language) for c in lad.rank_codes if c not in options}
        options |= {c: lad.category_label(c, language) for c in lad.categories if c not in options}
    for name, dimension in profile.dimension_catalogue().items():
        options |= {v: formatting.group_label(name, v, language) for v in dimension.values
                    if v not in options}
    stages = profile.resolve_stages()
    options |= {c: stages.label(c, language) for c in stages.codes if c not in options}
    for prefix, codes in (("movement", MOVEMENTS), ("leave_reason", LEAVE_REASONS)):
        options |= {c: _vocabulary(prefix, c, language) for c in codes if c not in options}
    return options


def _vocabulary(prefix: str, code: str, language: str) -> str:
    text = translate(f"{prefix}.{code}", language)
    return code if text.startswith(f"{prefix}.") else text


_CONSTANT_FIELD = {"workforce": "reference_date", "applicants": "campaign", "movements": "date"}


def with_missing_field(profile: MappingProfile, kind: str, language: str) -> MappingProfile:
    """The reference date (or campaign) for a file that has no such column, as a constant."""
    field = _CONSTANT_FIELD[kind]
    value = st.text_input(translate(f"upload.constant_{field}", language),
                          value=profile.constants.get(field, ""), key=f"constant_{field}").strip()
    if not value or value == profile.constants.get(field):
        return profile
    return replace(profile, constants={**profile.constants, field: value})


def with_reading_settings(profile: MappingProfile, language: str) -> MappingProfile:
    """The date order of the file and, once confirmed, that many reference dates are snapshots."""
    orders = ["", *DATE_ORDERS]
    order = st.selectbox(translate("upload.date_order", language), orders,
                         index=orders.index(profile.date_order or ""), key="upload_date_order",
                         format_func=lambda o: translate(f"upload.date_order_{o or 'unset'}",
                                                         language))
    changes: dict[str, object] = {"date_order": order or None}
    if st.session_state.get("upload_many_dates"):
        changes["many_reference_dates"] = True
    return replace(profile, **changes)


def offers(report: ValidationReport, language: str) -> None:
    """What the user can do in one click: check the file as the kind it is, confirm snapshots."""
    for problem in report.errors:
        if problem.code == "wrong_kind":
            kind = problem.params["suggested"]
            st.button(translate("upload.switch_kind", language,
                                kind=translate(f"kind.{kind}", language)),
                      key="switch_kind", type="primary", on_click=_choose_kind, args=(kind,))
        if problem.code == "many_reference_dates":
            st.button(translate("upload.confirm_dates", language, count=problem.value),
                      key="confirm_dates", on_click=_confirm_dates)


def _choose_kind(kind: str) -> None:
    st.session_state["upload_kind"] = kind


def _confirm_dates() -> None:
    st.session_state["upload_many_dates"] = True


def uploader_words(language: str) -> None:
    """Under a file picker, in Dutch and French: what its English words ask for, in the reader's
    language (Streamlit offers no way to translate the box's own text)."""
    if language != "en":
        st.caption(translate("upload.widget_words", language))


def mapping_changed(report: ValidationReport, columns: dict[str, str],
                    values: dict[str, dict[str, str]]) -> bool:
    """Whether the user changed the mapping the check proposed (a column's field, a code's
    meaning), so the file must be checked again; the proposal itself, written out in the
    profile, gives the same report, and a large file is not checked twice for nothing."""
    proposed = {header: target for header, target in report.columns.items() if target}
    return columns != proposed or any(values.values())


def merged_profile(profile: MappingProfile, columns: dict[str, str],
                   values: dict[str, dict[str, str]]) -> MappingProfile:
    merged_values = {f: dict(m) for f, m in profile.values.items()}
    for field, mapping in values.items():
        merged_values.setdefault(field, {}).update(mapping)
    return replace(profile, columns=columns, values=merged_values)


def problem_table(problems: tuple[Problem, ...], language: str) -> pd.DataFrame:
    """The problems as text, one a row: whole row numbers, and an empty cell (never "None")
    where a problem concerns no row, column or value."""
    headers = [translate(f"report.{name}", language)
               for name in ("row", "column", "value", "message")]
    return pd.DataFrame(
        [[_cell(p.row), _cell(p.column), _cell(p.value), p.message(language)] for p in problems],
        columns=headers, dtype="object")


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def zone_input(actor: Actor, language: str) -> str:
    """Editors pick one of their zones; admins and visitors type a name (a new zone, for admins)."""
    if actor.role == "zone_editor":
        choices = sorted(actor.zones)
        return st.selectbox(translate("upload.zone", language), choices, key="upload_zone_choice",
                            help=translate("upload.zone_help", language)) or ""
    return st.text_input(translate("upload.zone", language), key="upload_zone",
                         help=translate("upload.zone_help", language)).strip()


def sheet_choice(content: bytes, language: str) -> str | None:
    """A picker listing the workbook's sheets; None (the first that holds a table) by default."""
    from cpwb_stats.ingest.load import list_sheets

    try:
        sheets = list_sheets(content)
    except ExtractRejected:
        return None  # the validation report says why the file cannot be read
    if len(sheets) < 2:
        return None
    choice = st.selectbox(translate("upload.sheet", language),
                          [""] + sheets, key="upload_sheet",
                          format_func=lambda name: name or translate("upload.sheet_auto", language),
                          help=translate("upload.sheet_help", language))
    return choice or None


# The stages of checking a file, in the order they run (storing is its own step, on a click).
CHECK_STAGES = ("reading", "checking", "counting")
# A file whose stages together take longer than this (seconds) keeps them on the page, folded,
# with the time each took; a quicker one leaves nothing behind.
MOMENT = 1.0
_CHECKED = "_upload_checked"
_REMEMBERED = 4


def checked_upload(content: bytes, filename: str, profile: MappingProfile | None,
                   zone: str | None, kind: str, sheet: str | None,
                   language: str) -> ValidationReport:
    """The file's validation report, each stage (reading, checking, counting) shown as it runs.

    The page runs the stages itself, so it can say which one a large file is in; only the
    report, a pure result, is remembered (the last few of this session, by the file's bytes and
    every choice made for it), so the rerun that follows each click reuses it. Nothing is stored.
    """
    key = (hashlib.sha256(content).hexdigest(), filename, profile, zone or None, kind, sheet)
    remembered: list = st.session_state.setdefault(_CHECKED, [])
    for seen, report in remembered:
        if seen == key:
            return report
    report = with_progress(
        lambda on_stage: validate_file(content, filename, profile, zone or None, kind, sheet,
                                       on_stage=on_stage),
        language, CHECK_STAGES, done="upload.stages_done")
    remembered[:] = [(key, report), *remembered][:_REMEMBERED]
    return report


def with_progress(work, language: str, stages: tuple[str, ...], done: str | None = None):
    """Run ``work(on_stage)`` under a status box naming each stage as it starts ("Step 2 of 3:
    Checking every cell…"), in the reader's language.

    Stages the work does not reach (a file that cannot be read is never counted) are simply not
    shown. Work that took longer than :data:`MOMENT` leaves the box folded, titled ``done``,
    with the time of each stage; quicker work, work without ``done``, or work that fails,
    leaves nothing.
    """
    place = st.empty()
    box = place.status(_stage_label(stages[0], stages, language), expanded=False)
    timings: list[tuple[str, float]] = []
    clock = time.monotonic()

    def on_stage(stage: str) -> None:
        nonlocal clock
        now = time.monotonic()
        if timings:
            timings[-1] = (timings[-1][0], now - clock)
        clock = now
        timings.append((stage, 0.0))
        box.update(label=_stage_label(stage, stages, language))
        box.markdown(translate(f"upload.stage_{stage}", language))

    if stages:
        on_stage(stages[0])
    finished = False
    try:
        result = work(lambda stage: on_stage(stage) if stage != timings[-1][0] else None)
        finished = True
        return result
    finally:
        timings[-1] = (timings[-1][0], time.monotonic() - clock)
        if finished and done and sum(t for _, t in timings) > MOMENT:
            _fold(place, timings, language, done)
        else:
            place.empty()


def _stage_label(stage: str, stages: tuple[str, ...], language: str) -> str:
    said = translate(f"upload.stage_{stage}", language)
    if len(stages) < 2 or stage not in stages:
        return said
    return translate("upload.stage_step", language, step=stages.index(stage) + 1,
                     steps=len(stages), stage=said)


def _fold(place, timings: list[tuple[str, float]], language: str, done: str) -> None:
    """The finished stages, folded under one line saying how long the whole took."""
    total = sum(t for _, t in timings)
    with place.status(translate(done, language, seconds=formatting.decimal(total, language)),
                      state="complete", expanded=False):
        for stage, took in timings:
            st.markdown(translate("upload.stage_took", language,
                                  stage=translate(f"upload.stage_{stage}", language).rstrip("…"),
                                  seconds=formatting.decimal(took, language)))


def use_extract(current, content: bytes, kind: str, name: str, extract) -> None:
    """Look at a checked extract without storing it: beside the data in use, on its own page."""
    from cpwb_ui.data import Dataset, trial_key, use_dataset

    key = trial_key(current, content, kind)
    if kind == "applicants":
        use_dataset(replace(current, key=key, label=name, applicants=extract))
        st.switch_page("pages/recruitment.py")
    if kind == "movements":
        use_dataset(replace(current, key=key, label=name, movements=extract))
        st.switch_page("pages/retention.py")
    use_dataset(Dataset(key, name, extract, current.targets, current.benchmarks,
                        current.applicants))
    st.switch_page("pages/representation.py")
