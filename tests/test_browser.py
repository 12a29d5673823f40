"""A real browser against the app started as the README starts it: upload, then the chart.

Uses Debian's Chromium (installed by scripts/test.sh), never a downloaded browser.
"""

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
import zipfile

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT, SAMPLE_DATA

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_data(tmp_path_factory):
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def app_url(app_data):
    port = free_port()
    env = dict(os.environ, CPWB_DATA_DIR=str(app_data))
    server = subprocess.Popen(
        ["bash", "scripts/run.sh", "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("the app did not answer on /_stcore/health within 120 s")
    yield url
    os.killpg(server.pid, 15)
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def test_demo_dashboard_shows_a_chart(browser, app_url):
    page = browser.new_page(locale="nl-BE")
    page.goto(f"{app_url}/representation")
    expect(page.get_by_text("Vertegenwoordiging per graad").first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    page.close()


def test_upload_a_sample_extract_and_find_the_chart(browser, app_url):
    page = browser.new_page(locale="en-GB")
    page.goto(app_url)
    page.get_by_role("link", name="Upload & validate").click()
    expect(page.get_by_text("the file (CSV or Excel)").first).to_be_visible(timeout=60_000)
    zone = page.get_by_role("textbox", name="Zone")
    zone.fill("Charleroi")
    zone.press("Enter")
    page.locator("input[type=file]").last.set_input_files(
        str(SAMPLE_DATA / "workforce_charleroi.csv"))
    expect(page.get_by_text("The extract is valid: 4,594 rows")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Look at it without storing").click()
    expect(page.get_by_text("trying out: workforce_charleroi.csv")).to_be_visible(
        timeout=60_000)
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=60_000)
    expect(chart).to_contain_text("Whole zone")
    page.close()


def test_a_page_opened_by_its_own_url_still_gets_the_app_around_it(browser, app_url):
    page = browser.new_page(locale="en-GB")
    page.goto(f"{app_url}/about")
    expect(page.get_by_text("Language · Taal · Langue").first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="About the data")).to_be_visible(timeout=60_000)
    page.close()


def test_recruitment_funnel_page_in_french(browser, app_url):
    page = browser.new_page(locale="fr-BE")
    page.goto(f"{app_url}/representation")
    zone = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(has_text="Zone")
    expect(zone).to_be_visible(timeout=60_000)
    zone.click()
    page.get_by_role("option", name="Gent (demo)").click()
    expect(page.get_by_text("Gent (demo), date de référence").first).to_be_visible(
        timeout=60_000)
    page.get_by_role("link", name="Recrutement").click()
    expect(page.get_by_text("Entonnoir de recrutement").first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    page.close()


def test_a_newcomer_opens_the_setup_link_and_stores_an_extract(browser, app_url, app_data):
    made = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "cpwb_stats", "users", "add", "erik",
         "--role", "zone_editor", "--zone", "Gent"],
        cwd=ROOT, env=dict(os.environ, CPWB_DATA_DIR=str(app_data)), capture_output=True,
        text=True, check=True)
    token = re.search(r"\?setup=([\w-]+)", made.stdout).group(1)
    page = browser.new_page(locale="en-GB")
    page.goto(f"{app_url}/?setup={token}")
    expect(page.get_by_text("opens the account").first).to_be_visible(timeout=60_000)
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Password again").fill("a long enough password")
    page.get_by_role("button", name="Save and sign in").click()
    expect(page.get_by_text("Signed in as").first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Upload & validate").click()
    picker = page.locator("input[type=file]").last
    expect(picker).to_be_attached(timeout=60_000)  # the page may take its time on a busy machine
    picker.set_input_files(str(SAMPLE_DATA / "workforce_gent.csv"))
    expect(page.get_by_text("The extract is valid").first).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Store as a new version for Gent").click()
    expect(page.get_by_text("Stored for Gent").first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Stored versions").click()
    expect(page.get_by_text("Every extract stored for Gent").first).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("Sign in").first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="Stored versions")).to_have_count(0)
    page.get_by_text("Sign in").first.click()
    page.get_by_label("Account name").fill("erik")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as").first).to_be_visible(timeout=60_000)
    page.close()


def test_a_setup_link_revoked_by_a_password_set_at_the_terminal_no_longer_opens(
        browser, app_url, app_data):
    """Issue 11 item 2: `users add`, then `users password`: the link's holder gets nothing."""
    env = dict(os.environ, CPWB_DATA_DIR=str(app_data))
    python = str(ROOT / ".venv" / "bin" / "python")
    made = subprocess.run([python, "-m", "cpwb_stats", "users", "add", "tom", "--role",
                           "analyst"], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    token = re.search(r"\?setup=([\w-]+)", made.stdout).group(1)
    subprocess.run([python, "-m", "cpwb_stats", "users", "password", "tom"], cwd=ROOT, env=env,
                   input="the operator's long password\n", capture_output=True, text=True,
                   check=True)
    page = browser.new_page(locale="en-GB")
    page.goto(f"{app_url}/?setup={token}")
    expect(page.get_by_text("This setup link or token is not valid").first).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name="Save and sign in")).to_have_count(0)
    expect(page.get_by_label("Password again")).to_have_count(0)
    page.close()


def test_the_zone_report_is_made_and_downloaded_from_the_representation_page(browser, app_url,
                                                                           tmp_path):
    page = browser.new_page(locale="en-GB")
    page.goto(f"{app_url}/representation")
    expect(page.get_by_text("Representation by rank").first).to_be_visible(timeout=60_000)
    button = page.get_by_role("button", name="Make the report")
    expect(button).to_be_visible(timeout=60_000)
    button.click()
    link = page.get_by_role("button", name="Download the report (PDF)")
    expect(link).to_be_visible(timeout=300_000)
    with page.expect_download(timeout=60_000) as pdf:
        link.click()
    path = tmp_path / pdf.value.suggested_filename
    pdf.value.save_as(path)
    assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Diversity report: " in text and "(demo)" in text and "Method" in text
    with page.expect_download(timeout=60_000) as html:
        page.get_by_role("button", name="Download the report (HTML)").click()
    assert html.value.suggested_filename.endswith("_en.html")
    page.close()


def test_a_chart_downloads_as_png_and_svg_and_the_zone_publishes_its_package(browser, app_url,
                                                                             tmp_path):
    page = browser.new_page(locale="en-GB", accept_downloads=True)
    page.goto(f"{app_url}/representation")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    files = {}
    for label in ("Chart (PNG)", "Chart (SVG)", "Publish as open data (ZIP)"):
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name=label).first.click()
        files[label] = download.value.path().read_bytes()
        assert download.value.suggested_filename.endswith(label[-4:-1].lower())
    assert files["Chart (PNG)"].startswith(b"\x89PNG\r\n\x1a\n")
    assert files["Chart (SVG)"].lstrip().startswith(b"<svg")
    package = tmp_path / "package.zip"
    package.write_bytes(files["Publish as open data (ZIP)"])
    with zipfile.ZipFile(package) as archive:
        assert {"datapackage.json", "representation.csv", "trend.csv"} <= set(archive.namelist())
    page.close()
