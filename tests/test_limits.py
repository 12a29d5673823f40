"""One upload limit for the web app and the loader, read from Streamlit's own setting."""

import os
import subprocess
import sys

import pytest

from cpwb_stats.limits import upload_limit_mb
from tests.conftest import ROOT


def streamlit_setting() -> int:
    """What Streamlit itself reads, run where the app runs (the project folder)."""
    code = "from streamlit import config; print(config.get_option('server.maxUploadSize'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    return int(result.stdout.strip().splitlines()[-1])


def test_the_app_takes_files_of_at_least_200_mb_and_the_loader_the_same():
    assert streamlit_setting() >= 200
    assert upload_limit_mb() == streamlit_setting()


def test_the_environment_setting_that_streamlit_run_reads_moves_the_loader_too(monkeypatch):
    monkeypatch.setenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "7")
    assert upload_limit_mb() == 7


def test_an_unreadable_config_falls_back_to_streamlit_s_default(tmp_path, monkeypatch):
    monkeypatch.delenv("STREAMLIT_SERVER_MAX_UPLOAD_SIZE", raising=False)
    broken = tmp_path / "config.toml"
    broken.write_text("[server\nmaxUploadSize = ", encoding="utf-8")
    assert upload_limit_mb(broken) == upload_limit_mb(tmp_path / "missing.toml") == 200


@pytest.mark.parametrize(("megabytes", "refused"), [(0.9, False), (1.1, True)])
def test_the_command_line_refuses_a_file_over_the_limit_naming_it(tmp_path, megabytes, refused):
    header = "reference_date,rank,gender\n"
    row = "2024-12-31,inspector,woman\n"
    path = tmp_path / "w.csv"
    path.write_text(header + row * int(megabytes * 1024 * 1024 / len(row)), encoding="utf-8")
    env = {**os.environ, "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "1", "LANG": "en"}
    result = subprocess.run([sys.executable, "-m", "cpwb_stats", "validate", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env=env)
    assert ("larger than 1 MB" in result.stdout + result.stderr) is refused
