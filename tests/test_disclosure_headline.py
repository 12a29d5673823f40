"""The headline answers of a zone stay shown, and give nothing back.

- The whole-zone declaration rate: where the zone's headcount is hidden (the people not
  stated are few), the exact rate would give it back; a band is shown instead ("99 % or
  more"), and the exact attacker, with the band as two inequalities, still cannot narrow the
  headcount nor any hidden small count to a range under k.
- The whole-zone share of every declared group whose count and declared total are at least k
  is shown, on every demo zone and dimension, in the command line's JSON and on the page.

Reference values are counted from the demo files with the ``csv`` module.
"""

import csv
import io
import json
import math
from collections import Counter
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpwb_stats.cli.main import main
from cpwb_stats.disclosure.control import (
    DisclosurePolicy,
    _finish,
    band_of,
    crosses_rule,
    protect_representation,
    rate_band_text,
    rate_bands,
)
from cpwb_stats.measures.representation import representation_by_rank
from cpwb_stats.pipeline import (
    RepresentationRequest,
    _zone_tables,
    protected_representation,
    validate_file,
)
from cpwb_stats.terms.ladders import BELGIAN_POLICE
from cpwb_stats.terms.vocabulary import GENDER, MIGRATION_BACKGROUND
from cpwb_ui import downloads, views
from tests.conftest import SAMPLE_DATA
from tests.disclosure_audit import HEADCOUNT, representation_attack
from tests.test_representation import counts

K = 5
DEMO_ZONES = sorted(SAMPLE_DATA.glob("workforce_*.csv"))
DIMENSIONS = {"gender": GENDER, "migration_background": MIGRATION_BACKGROUND}


def _extract(path):
    return validate_file(path.read_bytes(), path.name).extract


def _published(path):
    extract = _extract(path)
    request = RepresentationRequest(policy=DisclosurePolicy(min_cell=K))
    return protected_representation(extract, request), _zone_tables(extract, request)[0]


def _whole_zone(table: pd.DataFrame) -> pd.DataFrame:
    return table[(table["staff_category"] == "all") & (table["rank"] == "all")]


def _allowed_not_stated(declared: int, band: tuple) -> list[int]:
    """Every number of people not stated (1 to 10 D + 10, rates down to under 10 %) whose rate
    lies in the band, checked one by one in whole numbers, independently of how the bands
    were built: low <= D / (D + n) < high."""
    low, high = (Fraction(edge) for edge in band)
    n = np.arange(1, 10 * declared + 11, dtype=np.int64)
    above = low.numerator * (declared + n) <= low.denominator * declared
    below = (high.numerator * (declared + n) > high.denominator * declared) | (high == 1)
    return n[above & below].tolist()


# --- the bands themselves ---------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=5_000), st.sampled_from([3, 5, 10]))
def test_the_bands_cut_every_rate_once_and_each_allows_at_least_k_people_not_stated(declared, k):
    bands = rate_bands(declared, k)
    assert bands[0][1] == 1 and bands[-1][0] == 0
    assert all(a[0] == b[1] for a, b in zip(bands, bands[1:]))  # no gap, no overlap
    for low, high in bands:
        allowed = _allowed_not_stated(declared, (low, high))
        # the band lets the attacker narrow the people not stated to no less than k apart
        # (the lowest band, "under ...", allows any number above its edge)
        assert low == 0 or max(allowed) - min(allowed) >= k, (low, high, allowed[:3])


def test_gent_s_declared_1328_of_1336_falls_in_the_band_99_or_more():
    """Gent 2024, gender: 1,328 answered woman or man of 1,336 (four x, four blank): 99.4 %.
    The band 99 % or more allows 1 to 13 people not stated (1,328 / 1,341 is 99.03 %)."""
    assert band_of(1328, 1336, K) == (Fraction("0.99"), 1)
    assert _allowed_not_stated(1328, ("0.99", "1")) == list(range(1, 14))


@pytest.mark.parametrize("language, words", [("en", "99 % or more"), ("nl", "99 % of meer"),
                                             ("fr", "99 % ou plus")])
def test_the_band_reads_in_the_reader_s_language(language, words):
    assert rate_band_text("0.99-1", language) == words
    assert rate_band_text("0.8-0.9", language) in {"80 % to under 90 %", "80 % tot minder dan 90 %",
                                                   "de 80 % à moins de 90 %"}
    assert rate_band_text(None, language) is None


# --- the bands and the 60 % rule -------------------------------------------------------------

def test_twenty_declared_give_the_bands_60_or_more_and_50_to_under_60():
    """k = 5, 20 people answered. "Under 70 %" means more than 20 x 0.3 / 0.7 = 8.6 people not
    stated (9 or more), "60 % or more" at most 20 x 0.4 / 0.6 = 13.3 (13 or fewer): a band
    "60 % to under 70 %" would allow 9 to 13, 4 apart, under k. It was joined to the band below
    as "50 % to under 70 %" (9 to 20), which holds 58.8 % (20 of 34) and 62.5 % (20 of 32)
    alike: beside it, shares were shown unmarked whichever side of 60 % the rate was. It is
    now joined to the band above: "60 % or more" (1 to 13 not stated), then "50 % to under
    60 %" (14 to 20), each at least k apart, neither across 60 %."""
    assert rate_bands(20, K)[:2] == [(Fraction("0.6"), 1), (Fraction("0.5"), Fraction("0.6"))]
    assert _allowed_not_stated(20, ("0.6", "1")) == list(range(1, 14))
    assert _allowed_not_stated(20, ("0.5", "0.6")) == list(range(14, 21))
    assert band_of(20, 34, K) == (Fraction("0.5"), Fraction("0.6"))  # 58.8 %
    assert band_of(20, 32, K) == (Fraction("0.6"), 1)  # 62.5 %


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=5_000), st.sampled_from([3, 5, 10]))
def test_a_band_crosses_60_percent_only_where_nothing_above_it_allows_k_not_stated(declared, k):
    """Rates of 60 % or more allow 1 to floor(D x 0.4 / 0.6) people not stated; where that
    spans at least k, no band holds rates on both sides of 60 % (and one that does is never
    published: see the generated zones below)."""
    above = _allowed_not_stated(declared, ("0.6", "1"))
    crossing = [b for b in rate_bands(declared, k) if b[0] < Fraction("0.6") < b[1]]
    assert bool(crossing) == (not above or max(above) - min(above) < k)


def _one_zone(rate_band: str | None, declaration_rate: float | None) -> pd.DataFrame:
    """A whole zone of 20 women and men answered of 34 (58.8 %), its rate shown as given."""
    frame = counts([("inspector", "gender", "woman", 8), ("inspector", "gender", "man", 12),
                    ("inspector", "gender", "undisclosed", 14)])
    table = representation_by_rank(frame, {"gender": GENDER}, BELGIAN_POLICE)
    return table.assign(declaration_rate=declaration_rate, declaration_rate_band=rate_band,
                        suppressed=False, suppression="")


@pytest.mark.parametrize("band, rate, marked", [
    ("0.5-0.6", None, True),   # wholly under 60 %: as the rate would, the shares are withheld
    ("0.6-1", None, False),    # wholly at or above 60 %
    (None, 20 / 34, True),     # the exact rate, 58.8 %
    (None, None, False),       # nothing shown: nothing said, not even that it is low
])
def test_the_not_robust_mark_follows_from_what_is_shown_alone(band, rate, marked):
    table = _finish(_one_zone(band, rate), DisclosurePolicy(), hide_not_robust=True)
    woman = table[table["group"] == "woman"]
    assert woman["not_robust"].tolist() == [marked] * len(woman)
    assert woman["share"].isna().all() == marked
    assert not table.loc[~table["declared_group"], "not_robust"].any()


@pytest.mark.parametrize("language, under, at_least", [
    ("en", "50 % to under 60 %", "60 % or more"),
    ("nl", "50 % tot minder dan 60 %", "60 % of meer"),
    ("fr", "de 50 % à moins de 60 %", "60 % ou plus")])
def test_the_bands_beside_the_60_percent_rule_read_in_the_reader_s_language(language, under,
                                                                          at_least):
    assert rate_band_text("0.5-0.6", language) == under
    assert rate_band_text("0.6-1", language) == at_least
    table = _finish(_one_zone("0.5-0.6", None), DisclosurePolicy(), hide_not_robust=True)
    rows = views.labelled(table[table["group"] == "woman"], BELGIAN_POLICE, language,
                          DisclosurePolicy())
    assert set(rows["share_text"]) == {"†"}
    assert set(rows["declaration_text"]) == {under}


# --- the demo zones -------------------------------------------------------------------------

def _gent_2024(path_name: str = "workforce_gent.csv"):
    """Headcount and answers per dimension in Gent on 2024-12-31, read with ``csv``."""
    text = (SAMPLE_DATA / path_name).read_text(encoding="utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text), delimiter=";")
            if r["peildatum"] == "2024-12-31"]
    return len(rows), Counter(r["geslacht"] for r in rows)


def test_gent_whole_zone_gender_rate_is_shown_as_a_band_where_the_exact_rate_is_hidden():
    headcount, genders = _gent_2024()
    assert headcount == 1336 and genders["V"] + genders["M"] == 1328
    table, _ = _published(SAMPLE_DATA / "workforce_gent.csv")
    row = _whole_zone(table[(table["period"] == "2024-12-31") & (table["dimension"] == "gender")
                            & (table["group"] == "woman")]).iloc[0]
    assert pd.isna(row["headcount"]) and pd.isna(row["declaration_rate"])
    assert row["declared"] == 1328
    assert row["declaration_rate_band"] == "0.99-1"


def _neither_only_next_to_a_hidden_year(whole: pd.DataFrame) -> bool:
    """A whole-zone rate shown neither exactly nor as a band only where the zone's year before
    or after hides its headcount too (the change between them is known: a band may narrow
    through it)."""
    hidden = whole[whole["declaration_rate"].isna()]
    hidden_at = set(zip(hidden["period"], hidden["zone"], hidden["dimension"]))
    periods = sorted(whole["period"].unique())
    for row in hidden[hidden["declaration_rate_band"].isna()].itertuples():
        at = periods.index(row.period)
        beside = {periods[i] for i in (at - 1, at + 1) if 0 <= i < len(periods)}
        if not any((p, row.zone, row.dimension) in hidden_at for p in beside):
            return False
    return True


@pytest.mark.parametrize("path", DEMO_ZONES, ids=lambda p: p.stem)
def test_every_hidden_whole_zone_rate_of_a_demo_zone_is_shown_as_a_band(path):
    """Per demo zone, every dimension and period: the rate or its band, never both, and neither
    only where the year before or after hides its headcount too (the change between them is
    known, so a band may narrow through it); the band holds the true rate."""
    table, truth = _published(path)
    whole = _whole_zone(table).drop_duplicates(["period", "dimension"])
    true = _whole_zone(truth).drop_duplicates(["period", "dimension"]).set_index(
        ["period", "dimension"])
    hidden = whole[whole["declaration_rate"].isna()]
    assert _neither_only_next_to_a_hidden_year(whole)
    for row in whole.itertuples():
        exact = row.declaration_rate
        band = row.declaration_rate_band
        assert not (pd.notna(exact) and band is not None and pd.notna(band)), row
        if band is not None and pd.notna(band):
            t = true.loc[(row.period, row.dimension)]
            low, high = (Fraction(e) for e in band.split("-"))
            rate = Fraction(int(t["declared"]), int(t["headcount"]))
            assert low <= rate and (rate < high or high == 1)
    if path.stem == "workforce_gent":
        assert len(hidden) > 0  # Gent hides its headcount in 2021 and 2024


@pytest.mark.parametrize("path", DEMO_ZONES, ids=lambda p: p.stem)
def test_the_attacker_with_the_band_narrows_no_headcount_nor_small_count_below_k(path):
    table, truth = _published(path)
    attack = representation_attack([table], truth, K, zeros_shown=True)
    assert attack.leaks(K, small_only=True) == []
    whole = _whole_zone(table)
    banded = whole[whole["declaration_rate_band"].notna()]
    headcounts = {(r.period, r.zone, "all", "all", r.dimension, HEADCOUNT)
                  for r in banded.itertuples()}
    for key, (low, high) in attack.ranges(headcounts).items():
        assert high - low >= K, (key, low, high)


def test_charleroi_s_2023_gender_band_is_withheld_as_with_the_change_over_2024_it_narrows_3():
    """Charleroi hides its whole-zone headcount in 2023 and 2024. The leaver file gives the
    change between them; the 2023 gender band (99 % or more of 1,134) with it would leave 1 to 5
    for the 3 calog-a "other or not stated" of migration background. That band is withheld; the
    2024 one is shown."""
    table, _ = _published(SAMPLE_DATA / "workforce_charleroi.csv")
    whole = _whole_zone(table).drop_duplicates(["period", "dimension"]).set_index(
        ["period", "dimension"])
    assert pd.isna(whole.loc[("2023-12-31", "gender"), "declaration_rate"])
    assert pd.isna(whole.loc[("2023-12-31", "gender"), "declaration_rate_band"])
    assert whole.loc[("2024-12-31", "gender"), "declaration_rate_band"] == "0.99-1"


@pytest.mark.parametrize("path", DEMO_ZONES, ids=lambda p: p.stem)
def test_the_attacker_who_knows_each_year_s_change_of_headcount_narrows_nothing(path):
    """The representation of every period with its bands, and the change of the whole zone's
    headcount between two snapshots in a row that both hide it (start + hires - leavers = end,
    which the leaver file publishes): no small hidden count and no banded headcount is narrowed
    below k."""
    table, truth = _published(path)
    attack = representation_attack([table], truth, K, zeros_shown=True)
    whole = _whole_zone(truth).drop_duplicates(["period", "zone", "dimension"])
    for (zone, dimension), part in whole.groupby(["zone", "dimension"]):
        part = part.sort_values("period")
        for (p0, h0), (p1, h1) in zip(part[["period", "headcount"]].itertuples(index=False),
                                      part[["period", "headcount"]].iloc[1:].itertuples(
                                          index=False)):
            before = (p0, zone, "all", "all", dimension, HEADCOUNT)
            after = (p1, zone, "all", "all", dimension, HEADCOUNT)
            # both hidden (next to a shown headcount the change is the leaver file's to protect)
            if before in attack.true and after in attack.true and not (
                    before in attack.shown or after in attack.shown):
                attack.rows.append(({after: 1.0, before: -1.0}, float(h1 - h0), float(h1 - h0)))
    assert attack.leaks(K, small_only=True) == []
    banded = _whole_zone(table)
    banded = banded[banded["declaration_rate_band"].notna()]
    headcounts = {(r.period, r.zone, "all", "all", r.dimension, HEADCOUNT)
                  for r in banded.itertuples()}
    for key, (low, high) in attack.ranges(headcounts).items():
        assert high - low >= K, (key, low, high)


small_zone = st.lists(
    st.tuples(st.sampled_from(["agent", "inspector", "commissioner", "calog-a"]),
              st.sampled_from(["gender", "migration_background"]),
              st.sampled_from(["woman", "man", "x", "yes", "no", "undisclosed", "unknown"]),
              st.integers(min_value=0, max_value=40)), min_size=2, max_size=14)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_zone, st.sampled_from([3, 5]))
def test_generated_small_zones_with_their_bands_give_nothing_back(rows, k):
    valid = [(r, d, g, n) for r, d, g, n in rows if g in DIMENSIONS[d].values]
    if not valid:
        return
    frame = counts(valid).groupby(["period", "zone", "staff_category", "rank", "dimension",
                                   "group"], as_index=False)["count"].sum()
    truth = representation_by_rank(frame, DIMENSIONS, BELGIAN_POLICE)
    table = protect_representation(truth, DisclosurePolicy(min_cell=k))
    if table.empty:
        return
    attack = representation_attack([table], truth, k, zeros_shown=True)
    assert attack.leaks(k, small_only=True) == []
    whole = _whole_zone(table)
    banded = whole[whole["declaration_rate_band"].notna()]
    headcounts = {(r.period, r.zone, "all", "all", r.dimension, HEADCOUNT)
                  for r in banded.itertuples()}
    for key, (low, high) in attack.ranges(headcounts).items():
        assert high - low >= k, (key, low, high)
    # no published band holds rates on both sides of 60 %, and the mark is the band's
    for row in banded[banded["declared_group"]].itertuples():
        low, high = (Fraction(e) for e in row.declaration_rate_band.split("-"))
        assert not crosses_rule((low, high))
        assert row.not_robust == (high <= Fraction("0.6"))


def test_a_small_zone_s_band_is_wide_enough_to_leave_the_not_stated_open():
    """30 answered and 2 did not: 99 %, 95 % or 90 % or more would allow 1, 1 to 1 or 1 to 3
    people not stated; the band is 80 % or more (1 to 7), and the attacker with it still
    finds the 2 anywhere in 1..7."""
    frame = counts([("inspector", "gender", "woman", 12), ("inspector", "gender", "man", 18),
                    ("inspector", "gender", "unknown", 2)])
    truth = representation_by_rank(frame, {"gender": GENDER}, BELGIAN_POLICE)
    table = protect_representation(truth, DisclosurePolicy(min_cell=K))
    whole = _whole_zone(table).iloc[0]
    assert pd.isna(whole["declaration_rate"])
    assert whole["declaration_rate_band"] == "0.8-1"
    attack = representation_attack([table], truth, K, zeros_shown=True)
    (low, high), = attack.ranges({("2024", "z", "all", "all", "gender", "unknown")}).values()
    assert (low, high) == (1, 7)


# --- where the band is shown ----------------------------------------------------------------

def _cli_json(capsys, *args) -> list[dict]:
    assert main(["representation", *map(str, args), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_command_line_prints_the_band_in_its_own_field(capsys):
    rows = _cli_json(capsys, SAMPLE_DATA / "workforce_gent.csv", "--dimension", "gender")
    whole = [r for r in rows if r["staff_category"] == "all" and r["period"] == "2024-12-31"]
    assert {r["declaration_rate_band"] for r in whole} == {"0.99-1"}
    assert all(r["declaration_rate"] is None and r["headcount"] is None for r in whole)
    shown = [r for r in rows if r["declaration_rate"] is not None]
    assert shown and all(r["declaration_rate_band"] is None for r in shown)


@pytest.mark.parametrize("language, words", [("en", "99 % or more"), ("nl", "99 % of meer"),
                                             ("fr", "99 % ou plus")])
def test_the_page_table_and_the_download_show_the_band_in_words(language, words):
    table, _ = _published(SAMPLE_DATA / "workforce_gent.csv")
    extract = _extract(SAMPLE_DATA / "workforce_gent.csv")
    zone = table["zone"].iloc[0]
    bars = views.bars(table, zone, "2024-12-31", "gender", "woman", extract.ladder, language,
                      DisclosurePolicy())
    whole = bars[bars["staff_category"] == "all"]
    assert whole["declaration_text"].tolist() == [words]
    assert words in views.display_table(bars, language).iloc[:, -1].tolist()
    download = downloads.reader_table(views.download_table(table), language, extract.ladder)
    header = downloads.header("declaration_rate_band", language)
    assert words in set(download[header].dropna())


# --- the whole-zone share of every group of at least k ---------------------------------------

def _cases():
    return [(path, dimension) for path in DEMO_ZONES
            for dimension in ("gender", "migration_background", "disability")]


@pytest.mark.parametrize("path, dimension", _cases(),
                         ids=lambda v: v.stem if hasattr(v, "stem") else v)
def test_every_headline_share_of_a_demo_zone_is_shown_in_the_command_line(path, dimension,
                                                                          capsys):
    """Every period, every declared group with at least k people and k declared: its
    whole-zone share is printed, and equals count / declared of the file."""
    extract = _extract(path)
    truth = _zone_tables(extract, RepresentationRequest(policy=DisclosurePolicy()))[0]
    expected = _whole_zone(truth[(truth["dimension"] == dimension) & truth["declared_group"]
                                 & (truth["count"] >= K) & (truth["declared"] >= K)])
    assert not expected.empty
    rows = _cli_json(capsys, path, "--dimension", dimension)
    printed = {(r["period"], r["group"]): r["share"] for r in rows
               if r["staff_category"] == "all" and r["rank"] == "all"}
    for row in expected.itertuples():
        share = printed[(row.period, row.group)]
        assert share is not None, (row.period, row.group)
        assert share == pytest.approx(row.count / row.declared)


@pytest.mark.parametrize("path", DEMO_ZONES, ids=lambda p: p.stem)
def test_every_headline_share_of_a_demo_zone_is_shown_on_the_page(path):
    table, truth = _published(path)
    extract = _extract(path)
    zone = table["zone"].iloc[0]
    expected = _whole_zone(truth[truth["declared_group"] & (truth["count"] >= K)
                                 & (truth["declared"] >= K)])
    for row in expected.itertuples():
        bars = views.bars(table, zone, row.period, row.dimension, row.group, extract.ladder,
                          "en", DisclosurePolicy())
        whole = bars[bars["staff_category"] == "all"].iloc[0]
        assert whole["share_text"] not in ("–", "†", "✱"), (row.period, row.dimension, row.group)
        assert math.isclose(whole["share"], row.count / row.declared)


def test_the_docs_report_how_many_cells_each_demo_table_hides_as_the_script_counts_them():
    """docs/disclosure.md's "After" table is the output of scripts/disclosure_report.py, line
    for line (refresh it with the script, never by hand)."""
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("disclosure_report",
                                                  ROOT / "scripts" / "disclosure_report.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    lines = script.table_lines()
    assert len(lines) == 2 + 3 * 3  # header, rule, three demo zones of three dimensions
    docs = (ROOT / "docs" / "disclosure.md").read_text(encoding="utf-8")
    assert "\n".join(lines) in docs


def test_the_open_data_package_carries_the_band_where_the_rate_is_hidden():
    from cpwb_stats.output.publication import ZoneData, publication

    extract = validate_file((SAMPLE_DATA / "workforce_gent.csv").read_bytes(),
                            "workforce_gent.csv", default_zone="Gent").extract
    package = publication(ZoneData(extract), "Gent", "2024-12-31", DisclosurePolicy())
    for name in ("representation", "trend"):
        table = package.tables[name]
        whole = table[(table["dimension"] == "gender") & (table["period"] == "2024-12-31")]
        if "rank" in whole:
            whole = _whole_zone(whole)
        assert set(whole["declaration_rate_band"]) == {"0.99-1"}, name
        assert whole["declaration_rate"].isna().all()


def test_the_zones_together_show_their_rate_or_its_band_and_the_attacker_gets_nothing_back():
    """The three demo zones compared (``--combine-zones``, the Compare page): each zone's own
    bands and the band of the zones together are read by the attacker with every sum."""
    from cpwb_stats.demo.samples import SAMPLE_ZONES, combine_extracts
    from cpwb_stats.pipeline import comparison_tables, protected_comparison

    extract = combine_extracts([
        validate_file((SAMPLE_DATA / name).read_bytes(), name, default_zone=zone).extract
        for name, zone in SAMPLE_ZONES.items()])
    request = RepresentationRequest(policy=DisclosurePolicy(min_cell=K))
    published = protected_comparison(extract, request)
    by_zone, combined = comparison_tables(extract, request)
    truth = pd.concat([by_zone, combined], ignore_index=True)
    whole = _whole_zone(published).drop_duplicates(["period", "zone", "dimension"])
    assert _neither_only_next_to_a_hidden_year(whole)
    attack = representation_attack([published], truth, K, zeros_shown=True)
    assert attack.leaks(K, small_only=True) == []
    banded = whole[whole["declaration_rate_band"].notna()]
    assert len(banded) > 0
    headcounts = {(r.period, r.zone, "all", "all", r.dimension, HEADCOUNT)
                  for r in banded.itertuples()}
    for key, (low, high) in attack.ranges(headcounts).items():
        assert high - low >= K, (key, low, high)


@pytest.mark.parametrize("language, words", [("en", "99 % or more"), ("fr", "99 % ou plus")])
def test_the_representation_page_shows_gent_s_rate_as_a_band(data_dir, language, words):
    import streamlit
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    streamlit.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.session_state["language"] = language
    at.session_state["_requested_page"] = "pages/representation.py"
    at.run()
    zones = next(box for box in at.selectbox if box.key is None and any(
        o.startswith("Gent") for o in box.options)).options
    gent = next(o for o in zones if o.startswith("Gent"))
    at.session_state["zone"] = gent
    at.session_state["dimension"] = "gender"
    at.session_state[f"period_zone_{gent}"] = "2024-12-31"
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric] == [words]
    table = at.dataframe[0].value
    assert words in table.iloc[:, -1].tolist()
    streamlit.cache_data.clear()
