"""Blank extract templates in the user's language, as CSV or XLSX with a data dictionary.

The template's headers are the contract's fields in the chosen language; the loader recognises
them in all three languages, so a filled-in template needs no mapping profile.
"""

from __future__ import annotations

import pandas as pd

from cpwb_stats.i18n import translate
from cpwb_stats.output.export import to_csv_bytes, to_xlsx_bytes
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.stages import BELGIAN_SELECTION, OUTCOMES
from cpwb_stats.terms.vocabulary import BUILT_IN_DIMENSIONS, LEAVE_REASONS, MOVEMENTS

WORKFORCE_TEMPLATE_FIELDS = ("reference_date", "zone", "rank", "staff_category", "gender",
                             "migration_background", "disability", "age_band", "entry_year",
                             "fte")
APPLICANTS_TEMPLATE_FIELDS = ("campaign", "zone", "track", "stage_reached", "outcome", "gender",
                              "migration_background", "disability")
MOVEMENTS_TEMPLATE_FIELDS = ("date", "zone", "movement", "rank", "from_rank", "leave_reason",
                             "entry_year", "gender", "migration_background", "disability")
TEMPLATE_FIELDS = {"workforce": WORKFORCE_TEMPLATE_FIELDS,
                   "applicants": APPLICANTS_TEMPLATE_FIELDS,
                   "movements": MOVEMENTS_TEMPLATE_FIELDS}
REQUIRED = {"reference_date", "rank", "campaign", "stage_reached", "date", "movement"}


def template_headers(kind: str, language: str) -> list[str]:
    return [translate(f"field.{name}", language) for name in TEMPLATE_FIELDS[kind]]


def data_dictionary(kind: str, language: str) -> pd.DataFrame:
    """One row per template column: its header, whether it is required, meaning, values."""
    rows = []
    for name in TEMPLATE_FIELDS[kind]:
        rows.append({
            translate("dictionary.column", language): translate(f"field.{name}", language),
            translate("dictionary.required", language): translate(
                "dictionary.yes" if name in REQUIRED else "dictionary.no", language),
            translate("dictionary.meaning", language): translate(f"field_help.{name}", language),
            translate("dictionary.values", language): _accepted_values(name, language),
        })
    return pd.DataFrame(rows)


def _accepted_values(name: str, language: str) -> str:
    if name == "rank":
        return ", ".join(BELGIAN_POLICE.rank_label(code, language)
                         for code in BELGIAN_POLICE.rank_codes)
    if name == "staff_category":
        return ", ".join(BELGIAN_POLICE.categories)
    if name == "stage_reached":
        return ", ".join(BELGIAN_SELECTION.label(code, language) for code in BELGIAN_SELECTION.codes)
    if name == "outcome":
        return ", ".join(translate(f"outcome.{code}", language) for code in OUTCOMES)
    if name in ("movement", "leave_reason"):
        codes = MOVEMENTS if name == "movement" else LEAVE_REASONS
        return ", ".join(translate(f"{name}.{code}", language) for code in codes)
    if name == "from_rank":
        return _accepted_values("rank", language)
    if name in BUILT_IN_DIMENSIONS:
        return ", ".join(translate(f"group.{name}.{value}", language)
                         for value in BUILT_IN_DIMENSIONS[name].values)
    return translate(f"field_values.{name}", language)


def template_bytes(kind: str, file_format: str, language: str) -> bytes:
    """The blank template; CSV uses ';' for Dutch and French (as Belgian Excel does)."""
    headers = pd.DataFrame(columns=template_headers(kind, language))
    if file_format == "csv":
        return to_csv_bytes(headers, delimiter="," if language == "en" else ";")
    return to_xlsx_bytes({translate("template.data_sheet", language): headers,
                          translate("template.dictionary_sheet", language):
                              data_dictionary(kind, language)})
