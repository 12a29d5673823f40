"""The everyday flow in a real browser: reload while signed in, pages by address, a target typed.

Uses Debian's Chromium, never a downloaded browser; the app is started as the README starts it.
"""

import os
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests import test_browser as served
from tests.conftest import ROOT, SAMPLE_DATA

pytestmark = pytest.mark.browser
# The same server and browser fixtures as the first browser tests (one server for this file).
app_data, app_url, browser = served.app_data, served.app_url, served.browser
PASSWORD = "a long enough password"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
WAIT = 60_000


def cli(app_data, *args: str) -> str:
    done = subprocess.run([PYTHON, "-m", "cpwb_stats", *args], cwd=ROOT, capture_output=True,
                          env=dict(os.environ, CPWB_DATA_DIR=str(app_data)), text=True,
                          check=True)
    return done.stdout


def signed_in_page(browser, app_url, app_data, name: str, zone: str, locale: str = "en-GB"):
    """A new account opened through its setup link, as a person does it."""
    made = cli(app_data, "users", "add", name, "--role", "zone_editor", "--zone", zone)
    token = re.search(r"\?setup=([\w-]+)", made).group(1)
    page = browser.new_page(locale=locale)
    page.goto(f"{app_url}/?setup={token}")
    expect(page.get_by_text("opens the account").first).to_be_visible(timeout=WAIT)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Save and sign in").click()
    expect(page.get_by_text("Signed in as").first).to_be_visible(timeout=WAIT)
    return page


def test_a_reload_keeps_the_session_the_language_and_the_page(browser, app_url, app_data):
    cli(app_data, "store", str(SAMPLE_DATA / "workforce_charleroi.csv"), "--zone", "Charleroi")
    page = signed_in_page(browser, app_url, app_data, "rita", "Charleroi")
    page.get_by_role("link", name="Stored versions").click()
    expect(page.get_by_text("Every extract stored for Charleroi").first).to_be_visible(
        timeout=WAIT)
    language = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has_text="Language")
    language.click()
    page.get_by_role("option", name="Nederlands").click()
    expect(page.get_by_text("Aangemeld als").first).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(3_000)  # the cookie is written by the page's script (slower under load)
    assert "setup" not in page.url and "rita" not in page.url
    page.reload()
    expect(page.get_by_text("Aangemeld als").first).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("heading", name="Bewaarde versies")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert page.url.rstrip("/").endswith("/versions")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["cpwb_session"]["sameSite"] == "Strict"
    assert "rita" not in cookies["cpwb_session"]["value"]
    # signing out forgets the reference: the same cookie no longer opens the session
    kept = cookies["cpwb_session"]["value"]
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_text("Aangemeld als")).to_have_count(0, timeout=WAIT)
    other = browser.new_context(locale="en-GB")
    other.add_cookies([{"name": "cpwb_session", "value": kept, "url": app_url}])
    stale = other.new_page()
    stale.goto(f"{app_url}/versions")
    expect(stale.get_by_text("This page opens once you are signed in").first).to_be_visible(
        timeout=WAIT)
    other.close()
    page.close()


@pytest.mark.parametrize("path, words", [
    ("", "What to do next"), ("representation", "Representation by rank"),
    ("recruitment", "Recruitment funnel"),
    ("retention", "Retention and progression"), ("targets", "Targets"),
    ("compare", "Compare"), ("upload", "Upload & validate"),
    ("versions", "This page opens once you are signed in"),
    ("admin", "This page opens once you are signed in"), ("about", "About the data")])
def test_every_page_opens_by_its_address(browser, app_url, path, words):
    page = browser.new_page(locale="en-GB")
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_text(words).first).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    # a police network's reader sees the product, not the framework's developer toolbar
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    page.close()


# (address, the page's heading in Dutch) for a zone editor: every page it may open.
DUTCH_PAGES = [("representation", "Vertegenwoordiging per graad"),
               ("recruitment", "Wervingstrechter"), ("retention", "Retentie en doorstroming"),
               ("targets", "Streefcijfers: voortgang en projectie"),
               ("compare", "Zones vergelijken"), ("upload", "Opladen & valideren"),
               ("versions", "Bewaarde versies"), ("about", "Over de gegevens")]


def test_signed_in_every_page_opens_by_its_address_and_keeps_it_on_reload(browser, app_url,
                                                                          app_data):
    zone = "Brussel-Elsene/Bruxelles-Ixelles"  # as the file's own zone column names it
    cli(app_data, "store", str(SAMPLE_DATA / "workforce_brussels.csv"), "--zone", zone)
    page = signed_in_page(browser, app_url, app_data, "lies", zone)
    expect(page.get_by_role("heading", name="Representation by rank").first).to_be_visible(
        timeout=WAIT)  # an account that has just signed in goes on to its figures
    _until_idle(page)
    language = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has_text="Language")
    language.click()
    page.get_by_role("option", name="Nederlands").click()
    expect(page.get_by_text("Aangemeld als").first).to_be_visible(timeout=WAIT)
    _until_idle(page)  # the language cookie is written by the page's script
    for path, heading in DUTCH_PAGES:
        page.goto(f"{app_url}/{path}")
        for _ in ("opened", "reloaded"):
            expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=WAIT)
            expect(page.get_by_text("Aangemeld als").first).to_be_visible(timeout=WAIT)
            _until_idle(page)
            expect(page.get_by_text("Page not found")).to_have_count(0)
            expect(page.get_by_text("Traceback")).to_have_count(0)
            assert page.url.rstrip("/").endswith(f"/{path}"), (path, page.url)
            page.reload()
    # "/" is the start page for everyone; an account opening it goes on to its figures, and
    # "Start" in the menu still opens the start page.
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Vertegenwoordiging per graad").first).to_be_visible(
        timeout=WAIT)
    assert page.url.rstrip("/").endswith("/representation")
    _until_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Start").click()
    expect(page.get_by_role("heading", name="Wat nu").first).to_be_visible(timeout=WAIT)
    _until_idle(page)
    expect(page.get_by_text("Aangemeld als").first).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.close()


def test_a_target_typed_as_10_shows_as_10_percent_on_the_chart(browser, app_url, app_data,
                                                                tmp_path):
    cli(app_data, "store", str(SAMPLE_DATA / "workforce_gent.csv"), "--zone", "Gent")
    targets = tmp_path / "targets.csv"
    targets.write_text("zone,dimension,group,scope,target_share,deadline,baseline_period,note\n"
                       "Gent,migration_background,yes,all,12%,2030-12-31,,\n")
    page = signed_in_page(browser, app_url, app_data, "tom", "Gent")
    page.get_by_role("link", name="Targets").click()
    tab = page.get_by_role("tab", name="Set targets")
    expect(tab).to_be_visible(timeout=WAIT)  # a busy machine takes a while to run the page
    tab.click()
    picker = page.get_by_role("tabpanel", name="Set targets").locator("input[type=file]")
    expect(picker).to_have_count(1, timeout=WAIT)
    picker.set_input_files(str(targets))
    grid = page.locator("[data-testid=stDataFrame]:visible").first
    expect(grid).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Save (as a new version)")).to_be_visible(timeout=WAIT)
    _until_idle(page)  # a busy machine draws the grid later: type into it once the page is done
    cell = page.locator("textarea.gdg-input")  # the grid's cell editor, open while typing
    for _ in range(5):  # until the grid answers: on a busy machine it may miss the first click
        # the grid may be redrawn (a new element) while the page settles: find it each time
        grid = page.locator("[data-testid=stDataFrame]:visible").first
        expect(grid).to_be_visible(timeout=WAIT)
        box = grid.bounding_box(timeout=WAIT)
        if box is None:
            _until_idle(page)
            continue
        page.mouse.click(box["x"] + 100, box["y"] + 35 + 17)  # first row, first column
        for _ in range(3):  # to the target column
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")  # open the cell, as a double click does
        try:
            expect(cell).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    expect(cell).to_be_visible()
    cell.fill("10")
    cell.press("Enter")
    expect(cell).to_have_count(0, timeout=WAIT)  # the value is in the grid
    _after_the_run_it_starts(page)  # the grid sends the edit to the server, which runs the page
    saved = page.get_by_text("Saved.")
    for _ in range(3):  # a click during a run the grid started may be drawn over: click again
        page.get_by_role("button", name="Save (as a new version)").click()
        try:
            expect(saved.first).to_be_visible(timeout=WAIT // 2)
            break
        except AssertionError:
            _until_idle(page)
    expect(saved.first).to_be_visible()
    page.get_by_role("link", name="Representation").click()
    chart = page.locator(".js-plotly-plot").filter(has_text="over time")
    expect(chart.first).to_contain_text("Target: 10 %", timeout=WAIT)
    page.close()


def _after_the_run_it_starts(page) -> None:
    """An action that makes the app run again: wait for that run to start, then to end."""
    try:
        expect(page.get_by_test_id("stStatusWidget")).to_be_visible(timeout=5_000)
    except AssertionError:
        pass  # a short run may have ended before the status showed
    _until_idle(page)


def _until_idle(page) -> None:
    """Wait until the app has finished its run: Streamlit shows its status widget while it runs,
    and marks what it has not redrawn yet as stale."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)
    expect(page.locator("[data-stale=true]")).to_have_count(0, timeout=WAIT)
    page.wait_for_load_state("networkidle")


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("path, title", [("representation", "Représentation par grade"),
                                         ("retention", "Rétention et progression")])
def test_chart_titles_legends_and_tables_are_whole_on_a_laptop_screen(browser, app_url, path,
                                                                     title):
    page = browser.new_page(locale="fr-BE", viewport={"width": 1280, "height": 900})
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_text(title).first).to_be_visible(timeout=WAIT)
    chart = page.locator(".js-plotly-plot").first
    # the Retention page's first view protects every dimension's leavers together (a minute or
    # more on a busy machine)
    expect(chart).to_be_visible(timeout=4 * WAIT)
    page.wait_for_timeout(1_500)
    box = chart.bounding_box()
    heading = chart.locator(".gtitle").bounding_box()
    legend = chart.locator("g.legend").bounding_box()
    assert heading["y"] >= box["y"], "the title's first line is cut off at the top"
    assert not _overlap(heading, legend), "the legend covers the title"
    table = page.get_by_test_id("stDataFrame").first
    main = page.get_by_test_id("stMainBlockContainer").bounding_box()
    # Under the chart at the page's full width, not squeezed beside it.
    assert table.bounding_box()["width"] > 0.9 * (main["width"] - 2 * 48)
    assert table.bounding_box()["y"] > box["y"] + box["height"] - 1
    page.close()


def test_the_file_picker_s_english_button_is_named_in_french(browser, app_url):
    page = browser.new_page(locale="fr-BE")
    page.goto(f"{app_url}/upload")
    expect(page.get_by_text("Cliquez sur Upload (charger) pour choisir le fichier").first
           ).to_be_visible(timeout=WAIT)
    # the words the caption names are the ones Streamlit draws in the box
    box = page.get_by_test_id("stFileUploaderDropzone").last
    expect(box).to_contain_text("Upload")
    expect(box).to_contain_text("200MB per file")
    page.close()
