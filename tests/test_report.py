"""The zone report: every number in the PDF is the protected table's, no hidden count shows.

Each demo zone's report is rendered once per language (charts drawn as on the pages), printed
to PDF, and read back with pdftotext (Debian's poppler-utils). The expected lines are written
here from the protected tables with Babel, independently of the report's own formatting.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from babel.numbers import format_decimal, format_percent

from cpwb_stats.cli.main import main
from cpwb_stats.cli.workspace import operator
from cpwb_stats.demo.samples import SAMPLE_ZONES, demo_zone
from cpwb_stats.demo.startup import open_workspace
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.i18n import LANGUAGES, translate
from cpwb_stats.measures.representation import representation_by_rank
from cpwb_stats.output import report
from cpwb_stats.pipeline import RepresentationRequest, protected_representation
from cpwb_stats.terms.ladders import ALL, BELGIAN_POLICE
from tests.conftest import ROOT

LOCALES = {"en": "en_GB", "nl": "nl_BE", "fr": "fr_BE"}
POLICY = DisclosurePolicy()
PERIOD = "2024-12-31"


def pct(value, language):
    return "–" if pd.isna(value) else format_percent(value, "#,##0.0 %", locale=LOCALES[language])


def num(value, language):
    return "✱" if pd.isna(value) else format_decimal(int(value), locale=LOCALES[language])


def squeeze(text: str) -> str:
    """A line without any space: pdftotext spaces table cells its own way."""
    return "".join(text.split())


def starts_with(line: str, label: str, labels) -> bool:
    """The line is a row of ``label`` (not of a longer label beginning the same way)."""
    longest = max((x for x in labels if line.startswith(x + " ")), key=len, default=None)
    return longest == label


def pdf_lines(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.splitlines()


@pytest.fixture(scope="module")
def workspace_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('report') / 'demo.sqlite3'}"


@pytest.fixture(scope="module")
def workspace(workspace_url):
    return open_workspace(workspace_url, demo=True)


@pytest.fixture(scope="module")
def rendered(workspace):
    """(zone, language) -> (data, Report, PDF bytes, HTML): every demo zone in every language,
    the charts of all nine reports drawn in one browser session."""
    from cpwb_figures import pictures as report_charts

    built = {}
    for zone in (demo_zone(z) for z in SAMPLE_ZONES.values()):
        data = report.stored_report_data(workspace, operator(), zone)
        # The projection (the slow part) is made for one zone; its sentences hold no table.
        tables = report.protected_tables(data, PERIOD, POLICY, project=zone == demo_zone("Gent"))
        for language in LANGUAGES:
            built[zone, language] = data, report.build_report(data, PERIOD, language, POLICY,
                                                              tables)
    images = report_charts.pictures_of([r for _, r in built.values()])
    out = {}
    for (zone, language), (data, written) in built.items():
        document = report.to_html(written, images[zone, language])
        out[zone, language] = data, written, report.to_pdf(document), document
    return out


def expected_rank_lines(data, language: str, focus) -> dict[str, set[str]]:
    """Per rank label, the table lines the protected table gives (one per group followed)."""
    table = protected_representation(data.workforce, RepresentationRequest(policy=POLICY))
    ladder = data.workforce.ladder
    lines: dict[str, set[str]] = {}
    for dimension, group in focus:
        rows = table[(table["zone"] == data.zone) & (table["period"] == PERIOD)
                     & (table["dimension"] == dimension) & (table["group"] == group)]
        for row in rows.itertuples():
            label = report.rank_label(ladder, row.staff_category, row.rank, language)
            share = "†" if row.not_robust else pct(row.share, language)
            ci = ("–" if pd.isna(row.ci_low) else
                  f"{pct(row.ci_low, language)} – {pct(row.ci_high, language)}")
            lines.setdefault(label, set()).add(squeeze(
                f"{label} {num(row.count, language)} {num(row.declared, language)} {share} {ci}"))
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("zone", [demo_zone(z) for z in SAMPLE_ZONES.values()])
def test_every_count_and_share_in_the_pdf_is_the_protected_tables(rendered, zone, language,
                                                                  tmp_path):
    data, written, pdf, _ = rendered[zone, language]
    focus = [tuple(s.key.split("_", 1)[1].rsplit("_", 1)) for s in written.sections
             if s.key.startswith("representation_")]
    assert ("migration_background", "yes") in focus
    expected = expected_rank_lines(data, language, focus)
    lines = pdf_lines(pdf, tmp_path)
    found: dict[str, set[str]] = {}
    for line in lines:
        text = line.strip()
        for label in expected:
            if starts_with(text, label, expected):
                found.setdefault(label, set()).add(squeeze(text))
    for label, rows in expected.items():
        # Every protected row is printed; every printed row of a representation table is one.
        assert rows <= found.get(label, set()), (label, rows - found.get(label, set()))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("zone", [demo_zone(z) for z in SAMPLE_ZONES.values()])
def test_no_hidden_count_appears_in_the_rows_that_hide_it(rendered, zone, language, tmp_path):
    """Where the protected table hides a count, the report's row shows ✱, never the count."""
    data, written, pdf, _ = rendered[zone, language]
    raw = representation_by_rank(data.workforce.counts, data.workforce.dimensions,
                                 data.workforce.ladder, "migration_background")
    raw = raw[(raw["zone"] == zone) & (raw["period"] == PERIOD) & (raw["group"] == "yes")]
    protected = protected_representation(
        data.workforce, RepresentationRequest("migration_background", policy=POLICY))
    protected = protected[(protected["zone"] == zone) & (protected["period"] == PERIOD)
                          & (protected["group"] == "yes")]
    hidden = protected[protected["count"].isna()].merge(
        raw, on=["staff_category", "rank"], suffixes=("", "_true"))
    assert not hidden.empty  # the demo zones have small ranks: there is something to protect
    lines = pdf_lines(pdf, tmp_path)
    titles = [s.title for s in written.sections]
    start = titles.index(translate("zone_report.representation_title", language,
                                   group=report.group_label("migration_background", "yes",
                                                            language),
                                   dimension=report.dimension_label("migration_background",
                                                                    language)))
    first = next(i for i, x in enumerate(lines) if x.strip() == titles[start])
    last = next(i for i, x in enumerate(lines) if x.strip() == titles[start + 1])
    section = [x.strip() for x in lines[first:last]]
    ladder = data.workforce.ladder
    labels = {report.rank_label(ladder, c, r, language)
              for c, r in zip(protected["staff_category"], protected["rank"])}
    for row in hidden.itertuples():
        label = report.rank_label(data.workforce.ladder, row.staff_category, row.rank, language)
        printed = [x[len(label):].split() for x in section if starts_with(x, label, labels)]
        assert printed, label
        for cells in printed:
            assert cells[0] == "✱", (label, cells)
            assert cells[0] != num(row.count_true, language)


@pytest.mark.parametrize("zone", [demo_zone(z) for z in SAMPLE_ZONES.values()])
def test_the_report_is_written_in_each_language(rendered, zone, tmp_path):
    for language in LANGUAGES:
        _, written, pdf, document = rendered[zone, language]
        text = "\n".join(pdf_lines(pdf, tmp_path))
        assert squeeze(translate("zone_report.method_title", language)) in squeeze(text)
        assert squeeze(translate("zone_report.changes_title", language)) in squeeze(text)
        assert document.count('src="data:image/png;base64,') == len(written.charts) >= 4
        assert f'lang="{language}"' in document


def test_the_trend_rows_are_the_protected_whole_zone_rows(rendered, tmp_path):
    data, _, pdf, _ = rendered[demo_zone("Gent"), "fr"]
    table = protected_representation(
        data.workforce, RepresentationRequest("migration_background", policy=POLICY))
    rows = table[(table["zone"] == data.zone) & (table["group"] == "yes")
                 & (table["staff_category"] == ALL)]
    lines = {squeeze(x) for x in pdf_lines(pdf, tmp_path)}
    for row in rows.itertuples():
        expected = squeeze(f"{row.period} {num(row.count, 'fr')} {num(row.declared, 'fr')} "
                           f"{pct(row.share, 'fr')} {pct(row.ci_low, 'fr')} – "
                           f"{pct(row.ci_high, 'fr')}")
        assert expected in lines


def test_the_targets_section_carries_the_projection_from_published_numbers(rendered):
    from cpwb_stats.targets.projection_inputs import published_hire_share
    from cpwb_stats.targets.target_projection import project_published_target

    data, written, _, _ = rendered[demo_zone("Gent"), "en"]
    share = published_hire_share(data.workforce, data.movements, "migration_background", "yes",
                                 POLICY)
    projection = project_published_target(data.workforce, data.movements,
                                          "migration_background", "yes", ALL, 0.10, 6, share,
                                          1.0, POLICY)
    [section] = [s for s in written.sections if s.key == "targets"]
    text = " ".join(section.paragraphs)
    # Monte-Carlo bands differ run to run; the deterministic share at the deadline does not.
    assert f"({'2030-12-31'}): {pct(projection.share_at_deadline, 'en')}" in text
    assert "Behind: 4.9 % in 2024-12-31" in text


def published_by_the_report(data, focus) -> list[pd.DataFrame]:
    """What the report prints of the representation tables, column by column as printed."""
    table = protected_representation(data.workforce, RepresentationRequest(policy=POLICY))
    table = table[table["zone"] == data.zone]
    whole = (table["staff_category"] == ALL) & (table["rank"] == ALL)
    upto = table["period"] <= PERIOD
    printed = ["count", "declared", "share", "ci_low", "ci_high", "not_robust"]
    pieces = []
    for dimension, group in focus:
        chosen = (table["dimension"] == dimension) & (table["group"] == group)
        # By rank for the period, and the whole zone in every period up to it (the trend).
        rows = table[chosen & (((table["period"] == PERIOD)) | (whole & upto))]
        pieces.append(rows[KEY_COLUMNS + printed].assign(headcount=None, declaration_rate=None))
    # The summary: declared, headcount and declaration rate of the whole zone per dimension.
    summary = table[whole & (table["period"] == PERIOD)].drop_duplicates("dimension")
    pieces.append(summary[KEY_COLUMNS + ["declared", "headcount", "declaration_rate"]].assign(
        group=summary["group"], count=None, share=None, ci_low=None, ci_high=None,
        not_robust=False))
    return pieces


KEY_COLUMNS = ["period", "zone", "staff_category", "rank", "dimension", "group"]


@pytest.mark.parametrize("zone", [demo_zone(z) for z in SAMPLE_ZONES.values()])
def test_the_exact_attacker_narrows_no_hidden_count_of_the_report_below_k(rendered, zone):
    """Every number the report prints, fed to an exact whole-number solver with every sum a
    reader knows: no hidden small count is pinned to a range narrower than k. (The changes
    since the last report are differences of two printed numbers: they add nothing.)"""
    from cpwb_stats.pipeline import _zone_tables
    from tests.disclosure_audit import representation_attack

    data, written, _, _ = rendered[zone, "en"]
    focus = [tuple(s.key.split("_", 1)[1].rsplit("_", 1)) for s in written.sections
             if s.key.startswith("representation_")]
    truth = _zone_tables(data.workforce, RepresentationRequest(policy=POLICY))[0]
    truth = truth[truth["zone"] == zone]
    published = published_by_the_report(data, focus)
    hidden = pd.concat(published)["count"].isna().sum()
    assert hidden  # there is something to protect
    # Every cell of the tables exists for the reader, shown or not.
    cells = truth[KEY_COLUMNS].assign(count=None, declared=None, headcount=None)
    attack = representation_attack([*published, cells], truth, POLICY.min_cell,
                                   zeros_shown=True)
    assert attack.leaks(POLICY.min_cell, small_only=True) == []


# ---------------------------------------------------------------- changes since the last report

def two_periods() -> pd.DataFrame:
    """A protected table by hand: the agents' count is hidden in the second period."""
    rows = []
    for period, agent, zone_count, declared in (("2023-12-31", 12, 40, 200),
                                                ("2024-12-31", None, 43, 205)):
        rows.append(dict(period=period, staff_category="operational", rank="agent",
                         count=agent, declared=None if agent is None else 80,
                         share=None if agent is None else agent / 80, not_robust=False))
        rows.append(dict(period=period, staff_category=ALL, rank=ALL, count=zone_count,
                         declared=declared, share=zone_count / declared, not_robust=False))
    return pd.DataFrame(rows).assign(zone="Z", dimension="migration_background", group="yes")


def test_changes_are_differences_of_published_numbers_only():
    sentences = report.changes(two_periods(), "2024-12-31", "2023-12-31",
                               "migration_background", "yes", BELGIAN_POLICE, "en")
    # Whole zone: 40/200 = 20.0 % -> 43/205 = 20.976 % (+1.0 points), 40 -> 43 people (+3).
    assert sentences == [
        "Whole zone: the share of yes went from 20.0 % to 21.0 % (+1.0 percentage point). "
        "In people: from 40 to 43 (+3)."]


def test_a_change_is_not_written_where_either_share_is_not_robust():
    table = two_periods()
    table.loc[(table["period"] == "2023-12-31") & (table["rank"] == ALL), "not_robust"] = True
    assert report.changes(table, "2024-12-31", "2023-12-31", "migration_background", "yes",
                          BELGIAN_POLICE, "nl") == []


# ---------------------------------------------------------------- command line

@pytest.fixture
def demo_url(workspace, workspace_url, monkeypatch):
    monkeypatch.setenv("CPWB_DATABASE_URL", workspace_url)
    monkeypatch.setenv("CPWB_DEMO", "1")
    return workspace_url


def test_the_command_writes_the_html_report(demo_url, tmp_path, capsys):
    out = tmp_path / "gent.html"
    assert main(["--lang", "nl", "report", "--stored-zone", demo_zone("Gent"), "--period", PERIOD,
                 "-o", str(out), "--no-charts"]) == 0
    document = out.read_text(encoding="utf-8")
    assert "Diversiteitsrapport: Gent (demo), 2024-12-31" in document
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Run it as python -m cpwb_stats report"),
    ("nl", "Voer ze uit als python -m cpwb_stats report"),
    ("fr", "Lancez-la comme python -m cpwb_stats report"),
])
def test_the_statistics_command_draws_no_chart_and_says_where_they_are_drawn(
        demo_url, tmp_path, capsys, language, words):
    out = tmp_path / "gent.pdf"
    assert main(["--lang", language, "report", "--stored-zone", demo_zone("Gent"), "--period",
                 PERIOD, "-o", str(out)]) == 1
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_the_command_puts_in_the_pictures_its_caller_draws(demo_url, tmp_path):
    """``python -m cpwb_stats`` passes its drawing in; each chart's picture is in the file."""
    drawn = []

    def pictures(written: report.Report) -> dict[str, bytes]:
        drawn.append(written)
        return {chart.key: f"picture of {chart.key}".encode() for chart in written.charts}

    out = tmp_path / "gent.html"
    assert main(["--lang", "fr", "report", "--stored-zone", demo_zone("Gent"), "--period", PERIOD,
                 "-o", str(out)], pictures=pictures) == 0
    [written] = drawn
    document = out.read_text(encoding="utf-8")
    assert (written.zone, written.language, written.period) == (demo_zone("Gent"), "fr", PERIOD)
    assert written.charts
    for chart in written.charts:
        encoded = base64.b64encode(f"picture of {chart.key}".encode()).decode("ascii")
        assert f"data:image/png;base64,{encoded}" in document


def test_the_report_command_writes_the_report_with_its_charts(demo_url, tmp_path):
    """``python -m cpwb_stats report``, as the README and the issue give it: the charts are
    drawn as pictures in the file."""
    out = tmp_path / "gent.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "cpwb_stats", "--lang", "nl", "report",
                    "--stored-zone", demo_zone("Gent"), "--period", PERIOD, "-o", str(out)],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    document = out.read_text(encoding="utf-8")
    pictures = re.findall(r'src="data:image/png;base64,([^"]+)"', document)
    assert pictures and all(base64.b64decode(p).startswith(b"\x89PNG") for p in pictures)


@pytest.mark.parametrize(("language", "arguments", "words"), [
    ("nl", ["--stored-zone", "Nergens", "--period", PERIOD], "geen personeelsbestand bewaard"),
    ("fr", ["--stored-zone", demo_zone("Gent"), "--period", "2019"],
     "Périodes enregistrées : 2021-12-31, 2022-12-31, 2023-12-31, 2024-12-31"),
    ("en", ["--stored-zone", demo_zone("Gent"), "--period", PERIOD, "-o", "x.docx"],
     "written as .pdf or .html"),
])
def test_the_command_refuses_in_the_readers_language(demo_url, tmp_path, capsys, language,
                                                     arguments, words):
    if "-o" not in arguments:
        arguments = [*arguments, "-o", str(tmp_path / "r.pdf")]
    assert main(["--lang", language, "report", *arguments]) == 1
    assert words in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(("language", "k", "words"), [
    ("en", 5, "counts from 1 to 4 are hidden"),
    ("nl", 5, "aantallen van 1 tot 4 zijn verborgen"),
    ("fr", 5, "les effectifs de 1 à 4 sont masqués"),
    ("en", 10, "counts from 1 to 9 are hidden"),
])
def test_the_method_page_names_the_largest_hidden_count(language, k, words):
    """The reader sees "from 1 to 4", not "from 1 to 5 minus 1"."""
    section = report._method(report.ReportData("Z", None), two_periods(), "2024-12-31", language,
                             DisclosurePolicy(min_cell=k))
    text = " ".join(section.paragraphs)
    assert words in text
    assert not any(w in text for w in ("minus 1", "min 1", "moins 1"))


def shares_from_55_8_to_52_7() -> pd.DataFrame:
    """55.76 % (printed 55.8 %) then 52.74 % (printed 52.7 %): -3.02 points before rounding."""
    rows = [dict(period=period, staff_category=ALL, rank=ALL, count=people, declared=5000,
                 share=people / 5000, not_robust=False)
            for period, people in (("2023-12-31", 2788), ("2024-12-31", 2637))]
    return pd.DataFrame(rows).assign(zone="Z", dimension="migration_background", group="yes")


@pytest.mark.parametrize(("language", "words"), [
    ("en", "from 55.8 % to 52.7 % (-3.1 percentage points)"),
    ("nl", "van 55,8 % naar 52,7 % (-3,1 procentpunten)"),
    ("fr", "de 55,8 % à 52,7 % (-3,1 points de pourcentage)"),
])
def test_a_change_is_the_difference_of_the_shares_as_printed(language, words):
    """The reader subtracts 55.8 from 52.7 and gets -3.1, so the report says -3.1 (not the
    -3.0 of the unrounded shares), with the plural the language needs."""
    sentences = report.changes(shares_from_55_8_to_52_7(), "2024-12-31", "2023-12-31",
                               "migration_background", "yes", BELGIAN_POLICE, language)
    assert len(sentences) == 1 and words in sentences[0]


def test_a_change_under_two_points_is_singular_in_french():
    sentences = report.changes(two_periods(), "2024-12-31", "2023-12-31",
                               "migration_background", "yes", BELGIAN_POLICE, "fr")
    assert "de 20,0 % à 21,0 % (+1,0 point de pourcentage)" in sentences[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_first_period_says_nothing_about_a_change_of_the_gap(language):
    """With one period only there is no change: no "The gap moved – points"."""
    from types import SimpleNamespace

    first = shares_from_55_8_to_52_7().query("period == '2023-12-31'")
    targets = pd.DataFrame([dict(zone="Z", scope=ALL, dimension="migration_background",
                                 group="yes", target_share=0.6, deadline="2030-12-31",
                                 baseline_period="")])
    data = report.ReportData("Z", SimpleNamespace(ladder=BELGIAN_POLICE), targets=targets)
    tables = report.ReportTables("2023-12-31", None, first,
                                 [("migration_background", "yes")])
    text = " ".join(report._targets(data, tables, language).paragraphs)
    assert "55" in text  # the status sentence is there ...
    assert "–" not in text and not any(w in text for w in ("gap moved", "kloof", "écart"))
