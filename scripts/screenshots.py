"""Refresh the screenshots of every page in docs/screenshots/ (run: see the end of this file).

Starts the app as scripts/run.sh does, on a throw-away data folder with the demo zones, opens
each page in Debian's Chromium (never a downloaded browser) and saves one PNG per page. The
pages that need an account are shown signed in as an administrator created for the occasion.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "screenshots only, thrown away"
# (file name, address, text to wait for)
PAGES = [("start", "", "What to do next"),
         ("representation", "representation", "Representation by rank"),
         ("recruitment", "recruitment", "Recruitment funnel"),
         ("retention", "retention", "Retention and progression"),
         ("targets", "targets", "Targets: progress and projection"),
         ("compare", "compare", "Compare zones"),
         ("upload", "upload", "Upload & validate"),
         ("versions", "versions", "Stored versions"),
         ("admin", "admin", "Administration"),
         ("about", "about", "About the data")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(data: Path, port: int) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, CPWB_DATA_DIR=str(data))
    server = subprocess.Popen(
        ["bash", "scripts/run.sh", "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    link = ""
    while "?setup=" not in link:  # scripts/run.sh prints the first administrator's link first
        link = server.stderr.readline()
        if not link and server.poll() is not None:
            sys.exit("the app did not start")
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return server, re.search(r"\?setup=([\w-]+)", link).group(1)
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit("the app did not answer")


def _finished(page) -> None:
    """Wait until the page has run to its end (Streamlit's "running" mark is gone)."""
    page.wait_for_timeout(1_000)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=180_000)
    # Every page keeps its own address, signed in or not: "Page not found" is a fault to fix.
    if page.get_by_text("Page not found").count():
        sys.exit(f"'Page not found' on {page.url}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        server, token = _serve(Path(data), port)
        url = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(locale="en-GB", viewport={"width": 1280, "height": 1000})
                page.goto(f"{url}/")
                page.get_by_text(PAGES[0][2]).first.wait_for(timeout=120_000)
                page.wait_for_timeout(1_500)
                page.screenshot(path=str(OUT / "start.png"), full_page=True)
                page.goto(f"{url}/?setup={token}")
                main = page.get_by_test_id("stMain")
                main.get_by_role("textbox", name="Account name", exact=True).fill("admin")
                main.get_by_label("Password", exact=True).fill(PASSWORD)
                main.get_by_label("Password again").fill(PASSWORD)
                page.get_by_role("button", name="Save and sign in").click()
                page.get_by_text("Signed in as").first.wait_for(timeout=60_000)
                for name, address, words in PAGES[1:]:
                    page.goto(f"{url}/{address}")
                    page.get_by_text(words).first.wait_for(timeout=120_000)
                    _finished(page)
                    page.wait_for_timeout(2_500)  # charts finish drawing
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                    print(f"docs/screenshots/{name}.png")
                browser.close()
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)


if __name__ == "__main__":
    # .venv/bin/python scripts/screenshots.py
    main()
