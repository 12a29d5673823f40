"""The command-line contract, run as a user runs it: a separate process."""

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from tests.conftest import ROOT, SAMPLE_DATA, xlsx_bytes

REQUIRED = {"period", "zone", "staff_category", "rank", "dimension", "group", "count", "declared",
            "headcount", "share", "declaration_rate", "ci_low", "ci_high", "suppressed"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpwb_stats", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def write(tmp_path):
    def write_file(name: str, content: bytes | str):
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)
    return write_file


def test_validate_valid_file_json(write):
    path = write("w.csv", "reference_date;rank;gender\n2024;agent;V\n2024;Inspecteur;M\n")
    result = run("validate", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True and report["kind"] == "workforce"
    assert report["shape"] == "records" and report["rows"] == 2 and report["errors"] == []


def test_validate_invalid_file_lists_errors_with_rows(write):
    path = write("w.csv", "reference_date,rank,gender\n2024,aspirant,man\n2024-13,agent,man\n")
    result = run("validate", path, "--format", "json")
    assert result.returncode == 1
    errors = json.loads(result.stdout)["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(2, "rank"), (3, "reference_date")}
    assert all(set(e) >= {"row", "column", "value", "message"} for e in errors)


def test_validate_text_format_in_dutch(write):
    path = write("w.csv", "reference_date,rank,gender\n2024,aspirant,man\n")
    result = run("--lang", "nl", "validate", path)
    assert result.returncode == 1 and "Onbekende graad" in result.stdout


@pytest.mark.parametrize("args", [[], ["validate"], ["frobnicate", "x.csv"],
                                  ["representation", "x.csv", "--min-cell", "-1"],
                                  ["validate", "x.csv", "--kind", "payroll"]])
def test_usage_errors_exit_2(args):
    assert run(*args).returncode == 2


HOSTILE = {
    "empty.csv": b"",
    "binary.csv": bytes(range(256)) * 40,
    "header_only.csv": b"reference_date;rank;gender\n",
    "cp1252_garbage.csv": "d\xe9j\xe0;vu\n\xff\xfe;\x80\n".encode("latin-1"),
    "identifier.csv": b"reference_date,rank,gender,e-mail\n2024,agent,man,a@b.be\n",
    "email_value.csv": b"reference_date,rank,gender,note\n2024,agent,man,jan@politie.be\n",
    "formula.csv": b"reference_date,rank,gender\n2024,=1+1,man\n",
    "impossible_date.csv": b"reference_date,rank,gender\n31/02/2024,agent,man\n",
    "unknown_code.csv": b"reference_date,rank,gender\n2024,agent,alien\n",
    "fake.xlsx": b"PK\x03\x04garbage",
    "merged.xlsx": xlsx_bytes([["reference_date", "rank", "gender"], ["2024", "agent", "man"],
                               ["", "", "woman"]], merged="A2:A3"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("command", ["validate", "representation"])
def test_hostile_files_end_in_exit_1_with_a_message(write, name, command):
    result = run(command, write(name, HOSTILE[name]))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert (result.stdout + result.stderr).strip()
    assert "jan@politie.be" not in result.stdout + result.stderr


def test_missing_file_and_bad_profile(write):
    assert run("validate", "/nonexistent/file.csv").returncode == 1
    data = write("w.csv", "reference_date,rank,gender\n2024,agent,man\n")
    profile = write("p.yaml", "kind: [unclosed\n")
    result = run("validate", data, "--mapping", profile)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_representation_contract_on_the_sample():
    result = run("representation", str(SAMPLE_DATA / "workforce_gent.csv"), "--zone", "Gent",
                 "--dimension", "gender")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records and all(REQUIRED <= set(r) for r in records)
    assert {r["dimension"] for r in records} == {"gender"}
    for r in records:
        if r["suppressed"]:
            assert r["share"] is None
        if r["count"] is not None:
            assert not 0 < r["count"] < 5
        if r["share"] is not None:
            assert r["share"] == pytest.approx(r["count"] / r["declared"])
    zone_rows = [r for r in records if r["staff_category"] == "all"]
    assert zone_rows and all(r["rank"] == "all" for r in zone_rows)
    assert {r["rank"] for r in records} >= {"agent", "chief-commissioner", "calog-a", "all"}


def test_min_cell_zero_and_combined_zones(write):
    text = ("reference_date,zone,rank,gender\n" + "2024,A,commissioner,woman\n"
            + "2024,B,commissioner,man\n" * 2)
    result = run("representation", write("w.csv", text), "--min-cell", "0", "--combine-zones")
    records = json.loads(result.stdout)
    assert {r["zone"] for r in records} == {"all"}
    woman = next(r for r in records if r["rank"] == "commissioner" and r["group"] == "woman")
    assert (woman["count"], woman["declared"], woman["suppressed"]) == (1, 3, False)
    assert woman["share"] == pytest.approx(1 / 3)


def test_csv_output_is_spreadsheet_safe(write):
    text = "reference_date,zone,rank,gender\n" + "2024,-Zuid,inspector,man\n" * 25
    result = run("representation", write("w.csv", text), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows and all(r["zone"] == "'-Zuid" for r in rows)


def test_dimension_not_in_file(write):
    path = write("w.csv", "reference_date,rank,gender\n2024,agent,man\n")
    result = run("representation", path, "--dimension", "disability")
    assert result.returncode == 1 and "disability" in result.stderr


def test_command_line_imports_neither_streamlit_nor_plotly(write):
    path = write("w.csv", "reference_date,rank,gender\n2024,agent,man\n")
    code = (f"import sys; from cpwb_stats.cli.main import main; main(['representation', {path!r}]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit','plotly')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip().endswith("[]")


def imported_packages(*args: str) -> set[str]:
    """Top-level packages a command imports, read from ``python -X importtime``'s own log."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cpwb_stats", *args],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    names = [line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
             if line.startswith("import time:") and line.count("|") == 2]
    assert "cpwb_stats.cli.main" in names, result.stderr[-2000:]
    return {name.split(".")[0] for name in names}


HEAVY = {"scipy", "sqlalchemy", "alembic"}


def test_help_imports_not_even_pandas():
    assert not imported_packages("--help") & (HEAVY | {"pandas", "numpy"})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_imports_neither_scipy_nor_the_database(tmp_path, fmt):
    assert not imported_packages("template", "--format", fmt, "-o",
                                 str(tmp_path / f"t.{fmt}")) & HEAVY


@pytest.mark.parametrize(("name", "kind"), [("workforce_gent.csv", "workforce"),
                                            ("applicants_gent.csv", "applicants"),
                                            ("movements_gent.csv", "movements")])
def test_validate_of_a_small_file_imports_neither_scipy_nor_the_database(name, kind):
    packages = imported_packages("validate", str(SAMPLE_DATA / name), "--kind", kind)
    assert "pandas" in packages and not packages & HEAVY


def test_the_command_line_offers_the_denominators_the_measure_knows():
    from cpwb_stats.cli import main as cli
    from cpwb_stats.measures import representation

    assert cli.DENOMINATORS == representation.DENOMINATORS


def test_template_command_writes_a_file_that_validates_once_filled(tmp_path):
    out = tmp_path / "template.csv"
    assert run("--lang", "fr", "template", "--output", str(out)).returncode == 0
    header = out.read_text(encoding="utf-8-sig").strip()
    assert header.startswith("date de référence;")
    row = "31/12/2024;Charleroi;Commissaire;;femme;oui;non;35-44;2010;1\n"
    filled = out.read_text(encoding="utf-8-sig") + row
    out.write_text(filled, encoding="utf-8")
    assert run("validate", str(out)).returncode == 0


FUNNEL_REQUIRED = {"campaign", "zone", "stage", "dimension", "group", "entered", "passed",
                   "pass_rate", "ci_low", "ci_high", "reference_group", "impact_ratio",
                   "below_four_fifths", "p_fisher", "z_score", "shortfall", "insufficient_data"}


def test_funnel_contract_on_the_sample():
    result = run("funnel", str(SAMPLE_DATA / "applicants_gent.csv"), "--zone", "Gent")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records and all(FUNNEL_REQUIRED <= set(r) for r in records)
    stages = {r["stage"] for r in records}
    assert "all" in stages and "hired" not in stages  # nobody passes the last stage
    for r in records:
        if r["entered"] is not None:
            assert not 0 < r["entered"] < 5 and not 0 < r["passed"] < 5
            if r["entered"]:
                assert r["pass_rate"] == pytest.approx(r["passed"] / r["entered"])
        if r["impact_ratio"] is not None and r["group"] != r["reference_group"]:
            assert (r["z_score"] < 0) == (r["impact_ratio"] < 1) or r["z_score"] == 0


def test_funnel_fixed_reference_and_pooling():
    result = run("funnel", str(SAMPLE_DATA / "applicants_gent.csv"), "--reference", "no",
                 "--pool", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert {r["reference_group"] for r in rows if r["reference_group"]} == {"no"}
    pooled = [r for r in rows if r["campaign"] == "pooled"]
    assert pooled and all(r["entered"] == "" for r in pooled)


def test_funnel_with_a_stage_larger_than_the_previous_fails(write):
    text = "campaign;stage;total;women;men\n2024;applied;10;5;5\n2024;eligible;12;6;6\n"
    result = run("funnel", write("f.csv", text))
    assert result.returncode == 1 and "eligible" in result.stderr


@pytest.mark.parametrize("language, words", [("en", "larger than 1 000 000"),
                                             ("nl", "groter dan 1 000 000"),
                                             ("fr", "dépasse 1 000 000")])
def test_validate_answers_a_number_too_long_for_any_integer_with_a_message(
        tmp_path, language, words):
    """Issue 11 item 6: 23 digits in a count used to end `validate` in an OverflowError."""
    path = tmp_path / "huge.csv"
    path.write_text("reference_date,zone,rank,gender,count\n"
                    "2024-12-31,Gent,agent,man,92233720368547758070000\n"
                    "2024-12-31,Gent,agent,woman,12\n", encoding="utf-8")
    said = run("--lang", language, "validate", str(path))
    assert said.returncode == 1
    assert words in said.stdout + said.stderr and "Traceback" not in said.stdout + said.stderr


@pytest.mark.parametrize("name", ["template.xlsx", "TEMPLATE.XLSX"])
def test_template_named_xlsx_is_a_workbook_without_format(tmp_path, name):
    out = tmp_path / name
    assert run("--lang", "nl", "template", "-o", str(out)).returncode == 0
    assert out.read_bytes()[:2] == b"PK"  # a ZIP container, as every XLSX is
    book = openpyxl.load_workbook(out, read_only=True)
    header = [cell.value for cell in next(book.worksheets[0].iter_rows(max_row=1))]
    assert "peildatum" in header


def test_template_named_csv_is_csv_without_format(tmp_path):
    out = tmp_path / "t.csv"
    assert run("--lang", "en", "template", "-o", str(out)).returncode == 0
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert header[0] == "reference_date"


@pytest.mark.parametrize("language, words", [("en", "ends in .xlsx, but --format asks for csv"),
                                             ("nl", "eindigt op .xlsx, maar --format vraagt csv"),
                                             ("fr", "se termine par .xlsx, mais --format demande csv")])
def test_template_format_contradicting_the_suffix_is_refused(tmp_path, language, words):
    out = tmp_path / "t.xlsx"
    result = run("--lang", language, "template", "--format", "csv", "-o", str(out))
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("language, words", [("en", "written as .csv or .xlsx, not 't.ods'"),
                                             ("nl", "geschreven als .csv of .xlsx, niet 't.ods'"),
                                             ("fr", "s'écrit en .csv ou .xlsx, pas « t.ods »")])
def test_template_with_an_unknown_suffix_is_refused(tmp_path, language, words):
    out = tmp_path / "t.ods"
    result = run("--lang", language, "template", "-o", str(out))
    assert result.returncode == 1
    assert words in result.stderr
    assert not out.exists()


def test_template_with_an_unknown_suffix_and_a_format_is_written_in_that_format(tmp_path):
    out = tmp_path / "sjabloon.txt"
    assert run("template", "--format", "xlsx", "-o", str(out)).returncode == 0
    assert out.read_bytes()[:2] == b"PK"


def test_template_into_a_missing_folder_says_so(tmp_path):
    result = run("--lang", "en", "template", "-o", str(tmp_path / "nowhere" / "t.csv"))
    assert result.returncode == 1
    assert "Cannot open" in result.stderr and "Traceback" not in result.stderr


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_csv_output_rounds_rates_to_four_decimals_and_json_keeps_every_digit():
    """Pass rate = passed / entered, worked out by hand from the same CSV row and rounded to 4
    decimals; p-values keep 4 significant digits; JSON keeps full precision."""
    common = ["funnel", str(SAMPLE_DATA / "applicants_gent.csv")]
    result = run(*common, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    checked = 0
    for row in rows:
        for column in ("pass_rate", "ci_low", "ci_high", "cumulative_rate", "impact_ratio",
                       "z_score", "shortfall"):
            assert _decimals(row[column]) <= 4, (column, row[column])
        if row["pass_rate"] and row["entered"]:
            assert float(row["pass_rate"]) == round(int(row["passed"]) / int(row["entered"]), 4)
            checked += 1
    assert checked >= 5
    as_json = json.loads(run(*common, "--format", "json").stdout)
    rates = [r["pass_rate"] for r in as_json if r["pass_rate"] is not None]
    assert any(_decimals(repr(r)) > 4 for r in rates)  # the contract's JSON: every digit
    p_csv = [row["p_fisher"] for row in rows]
    p_json = [r["p_fisher"] for r in as_json]
    assert any(p_csv)
    for text, exact in zip(p_csv, p_json, strict=True):
        if exact is None:
            assert text == ""
        else:
            assert float(text) == pytest.approx(exact, rel=5e-4)
            digits = text.split("e")[0].replace("-", "").replace(".", "").lstrip("0")
            assert len(digits) <= 4, text
