"""Checks shared by every extract kind: lazy, cell by cell, each failure a :class:`Problem`.

Validation never stops at the first problem: each helper returns every problem it finds,
with the row as the user sees it in the file and the user's own column header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cpwb_stats.ingest.cell_values import MAX_COUNT, date_order_evidence, parse_count
from cpwb_stats.ingest.distinct import per_row, per_value
from cpwb_stats.ingest.mapping import MappingProfile
from cpwb_stats.problems import Problem, accepted_labels, error, vocabulary_label, warning
from cpwb_stats.terms.vocabulary import Dimension, is_subtotal_label, is_total_label, normalise_label

TOTAL = "__total__"
BLANK = "__blank__"
STRUCTURAL = frozenset({"missing_column", "no_dimension_column", "wrong_kind"})
KEY_FIELDS = ("zone", "staff_category", "rank")
UNSPECIFIED_ZONE = "unspecified"
MAX_PROBLEMS = 5000
_FORMULA_START = ("=", "@", "+=", "-=")


@dataclass(frozen=True)
class ValidationReport:
    valid: bool
    kind: str
    shape: str | None
    rows: int
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    extract: Any = field(default=None, repr=False)
    columns: dict[str, str | None] = field(default_factory=dict)

    def as_dict(self, language: str = "en") -> dict[str, object]:
        return {"valid": self.valid, "kind": self.kind, "shape": self.shape, "rows": self.rows,
                "errors": [p.as_dict(language) for p in self.errors],
                "warnings": [p.as_dict(language) for p in self.warnings]}


def failed(problems: list[Problem], rows: int = 0, shape: str | None = None,
           columns: dict[str, str | None] | None = None, kind: str = "workforce") -> ValidationReport:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    return ValidationReport(False, kind, shape, rows, tuple(errors), tuple(warnings),
                            columns=columns or {})


def named_by_source(problems: list[Problem], origin: dict[str, str]) -> list[Problem]:
    """Problems found on canonical fields, pointed back at the user's own column headers."""
    return [replace(p, column=origin.get(p.column, p.column)) for p in problems]


def detect_shape(targets: list[str]) -> str:
    if any("=" in t for t in targets):
        return "wide"
    if "count" in targets or "total" in targets:
        return "long"
    return "records"


def unmapped_warning(columns: dict[str, str | None]) -> list[Problem]:
    unmapped = [h for h, t in columns.items() if not t]
    if not unmapped:
        return []
    return [warning("unmapped_columns", column=", ".join(unmapped), count=len(unmapped))]


def formula_cells(frame: pd.DataFrame, origin: dict[str, str]) -> list[Problem]:
    problems = []
    for name in frame.columns:
        text = frame[name]
        hits = text[text.str.strip().str.startswith(_FORMULA_START)]
        problems += [error("formula_in_cell", row=int(r), column=origin[name], value=v)
                     for r, v in hits.items()]
    return problems


def check_cells(text: pd.Series, read: Callable[[str], object], code: str, column: str,
           **params: object) -> tuple[pd.Series, list[Problem]]:
    """Apply ``read`` to each distinct cell; a cell it cannot read becomes a problem."""
    parsed = per_value(text, read)
    bad = parsed.isna()
    problems = [error(code, row=int(r), column=column, value=text[r], **params)
                for r in text.index[bad][:MAX_PROBLEMS]]
    return parsed, problems


def or_total(read: Callable[[str], object]) -> Callable[[str], object]:
    return lambda value: TOTAL if is_total_label(value) else read(value)


def first_per_cell(problems: list[Problem]) -> list[Problem]:
    seen, kept = set(), []
    for problem in problems:
        key = (problem.row, problem.column)
        if problem.row is None or key not in seen:
            seen.add(key)
            kept.append(problem)
    return sorted(kept, key=lambda p: (p.row or 0, p.column or ""))


def capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    return problems[:MAX_PROBLEMS] + [error("too_many_problems", more=len(problems) - MAX_PROBLEMS)]


def dimensions_present(parsed: pd.DataFrame, profile: MappingProfile) -> dict[str, Dimension]:
    catalogue = profile.dimension_catalogue()
    names = [c.split("=")[0] for c in parsed.columns if c in catalogue or "=" in c]
    return {name: catalogue[name] for name in dict.fromkeys(names)}


def _covered(detail: pd.DataFrame, total: pd.Series, keys: list[str]) -> pd.Series:
    covered = pd.Series(True, index=detail.index)
    for key in keys:
        if key in detail and total[key] != TOTAL:
            covered &= detail[key] == total[key]
    return covered


def control_totals(detail: pd.DataFrame, totals: pd.DataFrame, keys: list[str],
                    value_columns: list[str]) -> list[Problem]:
    """Each total row must equal the sum of the detail rows it covers; it is never counted.

    A total with rows it would cover both above and below it (``Total 43 forces`` followed by
    British Transport Police and then a grand total) is a partial total: it covers the rows
    above it since the previous total, not the ones below.
    """
    problems = []
    for row, total in totals.iterrows():
        covered = _covered(detail, total, keys)
        covered &= _since_previous_total(detail, covered, totals, row)
        for column in value_columns:
            expected = int(detail.loc[covered, column].sum())
            if expected != int(total[column]):
                problems.append(error("control_total_mismatch", row=int(row), column=column,
                                      value=str(total[column]), expected=expected))
    return problems


def _since_previous_total(detail: pd.DataFrame, covered: pd.Series, totals: pd.DataFrame,
                          row: int) -> pd.Series:
    """Every detail row, or for a partial total the rows between the previous total and it."""
    above = pd.Series(detail.index < row, index=detail.index)
    if not (covered & above).any() or not (covered & ~above).any():
        return pd.Series(True, index=detail.index)
    # Totals right after one another (one per group in a long file) form one block.
    earlier = [r for r in totals.index if r < row and ((detail.index > r) & above).any()]
    return above & (detail.index > max(earlier)) if earlier else above


def subtotals_confirmed(rows: pd.DataFrame, kinds: pd.Series, stops: pd.Index, keys: list[str],
                        value_columns: list[str]) -> tuple[pd.Series, list[Problem]]:
    """Which region-labelled rows really are subtotals of the zones under (or above) them.

    A region name can also be a zone's (West Midlands is a force and a region), so a row is a
    subtotal only when its figures are the sum of the zones between it and the next region
    (or, failing that, the previous one). Rows whose figures and block are all zero say
    nothing and follow the other rows of their label. A label the profile names as a subtotal
    must add up: a mismatch is an error.
    """
    candidates = rows.index[kinds != ""]
    labels = per_value(rows["zone"], normalise_label)
    # With one region-like label only, the file is not laid out by regions: a block must then
    # end at a total or another region, not run to the edge of the file.
    edges = labels[candidates].nunique() > 1
    other_keys = [k for k in keys if k != "zone" and k in rows]
    verdict: dict[int, str] = {}
    problems = []
    for row in candidates:
        ends = stops.union(candidates[labels[candidates] != labels[row]])
        after = min([s for s in ends if s > row], default=None)
        before = max([s for s in ends if s < row], default=None)
        same = _covered(rows, rows.loc[row], other_keys) & (rows.index != row)
        blocks = [same & (rows.index > row) & (rows.index < (after or float("inf"))),
                  same & (rows.index < row) & (rows.index > (before or float("-inf")))]
        anywhere = edges or kinds[row] in ("named", "marked")
        bounded = [anywhere or after is not None, anywhere or before is not None]
        values = rows.loc[row, value_columns].astype("int64")
        sums = [rows.loc[block, value_columns].astype("int64").sum() for block in blocks]
        matches = any(ok and (total == values).all() for ok, total in zip(bounded, sums))
        verdict[row] = ("trivial" if matches and not values.any() else
                        "match" if matches else "mismatch")
        if kinds[row] == "named" and not matches:
            problems.append(error("subtotal_mismatch", row=int(row), column="zone",
                                  value=rows.at[row, "zone"], expected=int(sums[0].sum())))
    confirmed = {labels[r] for r, v in verdict.items() if v == "match"}
    is_subtotal = pd.Series(False, index=rows.index)
    for row, outcome in verdict.items():
        is_subtotal[row] = outcome == "match" or (outcome == "trivial" and labels[row] in confirmed)
    return is_subtotal, problems


def total_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose zone, staff category or rank reads Total (Totaal, Belgique, All, ...)."""
    keys = [k for k in KEY_FIELDS if k in frame]
    return frame[keys].apply(lambda column: per_value(column, is_total_label)).any(axis=1)


def subtotal_rows(frame: pd.DataFrame, profile: MappingProfile,
                  marked: frozenset[int] = frozenset()) -> pd.Series:
    """``named`` (the profile's labels), ``region`` (a region's name), ``marked`` (the reader
    saw the row add up rows next to it) or "" for each row.

    Such rows may be subtotals of some zones; :func:`subtotals_confirmed` decides.
    """
    named = frozenset(normalise_label(label) for label in profile.subtotals)
    labels = per_value(frame["zone"], normalise_label)
    kinds = per_value(labels, lambda v: "named" if v in named else
                      "region" if is_subtotal_label(v) else "")
    kinds = kinds.where(~(kinds.eq("") & kinds.index.isin(list(marked))), "marked")
    return kinds.where(~total_rows(frame), "")


def read_key(value: str, read: Callable[[str], object]) -> object:
    """A key cell of a total row: Total (or blank) covers every value, others read as usual."""
    return TOTAL if not value.strip() or is_total_label(value) else read(value)


@dataclass
class Source:
    """Text of each canonical field, and the header (or constant) it came from."""

    frame: pd.DataFrame
    origin: dict[str, str]


def source_fields(cells: pd.DataFrame, mapped: dict[str, str], profile: MappingProfile,
                  default_zone: str | None, shape: str,
                  required: list[str]) -> tuple[Source, list[Problem]]:
    """The mapped columns under canonical names, with constants and the zone filled in.

    Several columns mapped to ``zone`` (an organisation and its unit) name the zone together.
    """
    zone_headers = [h for h, t in mapped.items() if t == "zone"]
    frame = pd.DataFrame({t: cells[h].astype(str) for h, t in mapped.items() if t != "zone"},
                         index=cells.index)
    origin = {t: h for h, t in mapped.items() if t != "zone"}
    if zone_headers:
        frame["zone"] = _joined(cells[zone_headers].astype(str))
        origin["zone"] = " + ".join(zone_headers)
    for name, value in profile.constants.items():
        if name not in frame:
            frame[name], origin[name] = str(value), f"[{name}]"
    if "zone" not in frame:
        frame["zone"], origin["zone"] = default_zone or UNSPECIFIED_ZONE, "[zone]"
    if shape == "long" and "count" not in frame and "total" in frame:
        frame = frame.rename(columns={"total": "count"})
        origin["count"] = origin.pop("total")
    problems = [error("missing_column", column=name) for name in required if name not in frame]
    if origin["zone"] == "[zone]" and not default_zone and "zone" not in profile.constants:
        problems.append(warning("no_zone_column", value=UNSPECIFIED_ZONE))
    if not any(t in profile.dimension_catalogue() or "=" in t for t in frame):
        problems = [error("no_dimension_column", columns=", ".join(cells.columns[:12]))]
    problems += formula_cells(frame, origin)
    return Source(frame, origin), problems


def _joined(parts: pd.DataFrame) -> pd.Series:
    def join(row: list[str]) -> str:
        kept = [p.strip() for p in row if p.strip()]
        return " / ".join(dict.fromkeys(kept))
    return per_row(parts, join)


def structural(problems: list[Problem]) -> bool:
    """Problems that leave nothing to check cell by cell (a required column is missing)."""
    return any(p.code in STRUCTURAL for p in problems)


def count_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c in ("count", "total") or "=" in c]


def read_blanks(source: Source, profile: MappingProfile, shape: str,
                wide_missing: bool = False) -> tuple[Source, list[Problem]]:
    """Blank count cells of a published table: nothing reported, so 0 (one warning says how many).

    A row with no count at all is skipped (with a warning); a blank total is taken from the
    group counts. With ``blanks: missing`` in the profile a blank group cell is not known
    rather than 0: in the wide shape the people it leaves unaccounted count as ``unknown``,
    in the long shape it is an error.
    """
    frame = source.frame
    columns = count_columns(frame)
    if shape == "records" or not columns:
        return source, []
    blank = frame[columns].apply(lambda c: c.str.strip() == "")
    empty = blank.all(axis=1) & (shape == "wide")
    problems = [warning("blank_rows_skipped", value=str(int(empty.sum())),
                        rows=", ".join(str(r) for r in frame.index[empty][:10]))] if empty.any() else []
    frame, blank = frame[~empty].copy(), blank[~empty]
    groups = [c for c in columns if c != "total"]
    if profile.blanks == "missing":
        if shape != "wide" or not wide_missing:
            problems += [error("blank_count_missing", row=int(r), column=source.origin[c])
                         for c in groups for r in frame.index[blank[c]]]
        else:
            for column in groups:
                frame.loc[blank[column], column] = BLANK
    else:
        cells = int(blank[groups].to_numpy().sum())
        for column in groups:
            frame.loc[blank[column], column] = "0"
        if cells:
            problems.append(warning("blank_counts_zero", value=str(cells)))
    if "total" in blank and blank["total"].any():
        problems.append(warning("blank_total_summed", value=str(int(blank["total"].sum()))))
    return Source(frame, source.origin), problems


def groups_and_counts(frame: pd.DataFrame, origin: dict[str, str], profile: MappingProfile,
                      shape: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The group columns read into codes and the count columns into numbers.

    In the aggregated shapes a group cell may read Total: that row is a control total. A blank
    total (see :func:`read_blanks`) becomes the largest of the row's dimension sums; a group
    count marked blank-and-missing becomes 0 with a ``<dimension>=__blank__`` flag.
    """
    parsed = pd.DataFrame(index=frame.index)
    problems: list[Problem] = []
    catalogue = profile.dimension_catalogue()
    for name in [c for c in frame.columns if c in catalogue]:
        dimension = catalogue[name]
        read = dimension.code_for if shape == "records" else or_total(dimension.code_for)
        parsed[name], found = check_cells(frame[name], read, "unknown_group", origin[name],
                                          dimension=name,
                                          accepted=accepted_labels(dimension.values,
                                                                   _group_label(name)))
        problems += found
    for name in count_columns(frame):
        text = frame[name]
        missing = text == BLANK
        filled = (text.str.strip() != "") & ~missing
        numbers, found = check_cells(text[filled], parse_count, "bad_count", origin[name])
        numbers, too_large = within_bound(numbers, text[filled], origin[name])
        parsed[name] = pd.to_numeric(numbers.reindex(frame.index), errors="coerce")
        problems += found + too_large
        if missing.any():
            flag = f"{name.split('=')[0]}={BLANK}"
            parsed[flag] = parsed.get(flag, pd.Series(False, index=frame.index)) | missing
            parsed.loc[missing, name] = 0
    if "total" in parsed and shape == "wide":
        total = parsed["total"].fillna(_largest_dimension_sum(parsed))
        parsed["total"] = total.astype("int64") if total.notna().all() else total
    return parsed, problems


def within_bound(counts: pd.Series, text: pd.Series, column: str
                 ) -> tuple[pd.Series, list[Problem]]:
    """Counts above ``MAX_COUNT`` are errors, and read as unreadable cells from here on."""
    too_large = counts.map(lambda v: isinstance(v, int) and v > MAX_COUNT)
    problems = [error("count_too_large", row=int(r), column=column, value=text[r],
                      maximum=f"{MAX_COUNT:,}".replace(",", " "))
                for r in counts.index[too_large][:MAX_PROBLEMS]]
    return counts.mask(too_large, None), problems


def _largest_dimension_sum(parsed: pd.DataFrame) -> pd.Series:
    names = {c.split("=")[0] for c in parsed.columns if "=" in c and not c.endswith(BLANK)}
    sums = [parsed[[c for c in parsed.columns if c.startswith(f"{n}=") and not c.endswith(BLANK)]]
            .sum(axis=1) for n in names]
    return pd.concat(sums, axis=1).max(axis=1) if sums else pd.Series(0, index=parsed.index)


def date_order_problems(text: pd.Series, column: str, profile: MappingProfile) -> list[Problem]:
    """When the order is not set: a warning if the dates could be either, a hint if month-first."""
    if profile.date_order:
        return []
    evidence = date_order_evidence(text.drop_duplicates().tolist())
    if evidence == "ambiguous":
        return [warning("ambiguous_date_order", column=column, value=text.iloc[0])]
    if evidence == "mdy":
        return [warning("dates_look_month_first", column=column)]
    return []


# Fields only one kind of extract has: a file whose columns name another kind's is that kind.
KIND_FIELDS = {"workforce": frozenset({"fte", "age_band"}),
               "applicants": frozenset({"campaign", "stage_reached", "stage", "outcome", "track"}),
               "movements": frozenset({"movement", "leave_reason", "from_rank"})}


def better_kind(kind: str, targets: set[str]) -> str | None:
    """Another kind whose own fields the file's columns name, when none of this kind's are."""
    if KIND_FIELDS.get(kind, frozenset()) & targets:  # a kind of its own has none here
        return None
    fits = {other: len(fields & targets) for other, fields in KIND_FIELDS.items() if other != kind}
    best = max(fits, key=fits.get)
    return best if fits[best] else None


def wrong_kind(kind: str, mapped: dict[str, str]) -> list[Problem]:
    other = better_kind(kind, set(mapped.values()))
    if other is None:
        return []
    columns = [h for h, t in mapped.items() if t in KIND_FIELDS[other]]
    return [error("wrong_kind", value=", ".join(columns), kind=f"kind_{other}", suggested=other)]


def _group_label(dimension: str):
    """A dimension's value as the catalogue says it (shared labels, then the code itself)."""
    own, shared = vocabulary_label(f"group.{dimension}"), vocabulary_label("group")

    def label(code: str, language: str) -> str:
        text = own(code, language)
        return shared(code, language) if text == code else text
    return label
