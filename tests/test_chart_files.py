"""Chart downloads: a PNG and an SVG of the very figure shown, on every page that draws one,
carrying nothing the disclosure gate hides."""

import io
import struct
import xml.etree.ElementTree as ET
import zipfile

import plotly.graph_objects as go
import pytest
import streamlit as st
from frictionless import validate
from streamlit.runtime.media_file_manager import MediaFileManager

from cpwb_figures import charts
from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.pipeline import RepresentationRequest, _zone_tables, protected_representation, validate_file
from cpwb_ui import formatting, views
from cpwb_ui.chart_files import chart_image
from cpwb_ui.references import chart_words
from tests.conftest import SAMPLE_DATA
from tests.test_app import make_account, open_app, sign_in

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(svg: bytes) -> list[str]:
    """Every piece of text drawn in an SVG (read with the standard XML parser)."""
    root = ET.fromstring(svg)
    return ["".join(e.itertext()).strip() for e in root.iter(f"{SVG}text")]


def test_a_figure_becomes_a_png_and_an_svg():
    figure = go.Figure(go.Bar(x=["agent", "inspector"], y=[12, 7]))
    figure.update_layout(title_text="Leavers 2024", height=400)
    png = chart_image(figure.to_json(), "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (2000, 800)  # 1000 x 400 drawn at scale 2
    texts = svg_texts(chart_image(figure.to_json(), "svg"))
    assert "Leavers 2024" in texts and "inspector" in texts


def test_the_representation_chart_as_svg_shows_no_hidden_count():
    path = SAMPLE_DATA / "workforce_gent.csv"
    extract = validate_file(path.read_bytes(), path.name, default_zone="Gent").extract
    policy = DisclosurePolicy()
    dimension, group, period = "disability", "yes", "2024-12-31"
    table = protected_representation(extract, RepresentationRequest(dimension, policy=policy))
    truth = _zone_tables(extract, RepresentationRequest(policy=policy))[0]
    truth = truth[(truth["dimension"] == dimension) & (truth["group"] == group)
                  & (truth["period"] == period)]
    bars = views.bars(table, "Gent", period, dimension, group, extract.ladder, "en", policy)
    hidden = bars[bars["share"].isna()]
    assert not hidden.empty  # the zone has hidden bars to draw
    figure = charts.representation_chart(bars, "Gent", None, None, chart_words("en"))
    texts = svg_texts(chart_image(figure.to_json(), "svg"))
    assert views.HIDDEN_MARK in texts
    shown = set(bars["share_text"])
    for row in hidden.itertuples():
        true = truth[(truth["staff_category"] == row.staff_category) & (truth["rank"] == row.rank)]
        true_share = formatting.percent(true["count"].iloc[0] / true["declared"].iloc[0], "en")
        if true_share not in shown:
            assert true_share not in texts, row.label
    # What the image is drawn from carries no hidden count either (hover texts included).
    for data in figure.data:
        for values in data.customdata if data.customdata is not None else []:
            assert values[0] == views.HIDDEN_MARK or int(values[0].replace(",", "")) >= 5 or (
                values[0] == "0")


@pytest.fixture
def captured(data_dir, monkeypatch):
    """The deferred downloads the pages register, by id: what the server runs on a click."""
    st.cache_data.clear()
    found = {}
    original = MediaFileManager.add_deferred

    def recording(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        found[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    yield found
    st.cache_data.clear()


def _page(page: str):
    at = open_app()
    if page == "pages/compare.py":
        at = sign_in(at, make_account("ann", "analyst"))
    else:
        at.session_state["zone"] = "Gent (demo)"
        at.run()
    return at.switch_page(page).run()


@pytest.mark.parametrize("page", ["pages/representation.py", "pages/recruitment.py",
                                  "pages/retention.py", "pages/targets.py", "pages/compare.py"])
def test_every_chart_of_a_page_downloads_as_png_and_svg(page, captured):
    at = _page(page)
    assert not at.exception
    charts_shown = at.get("plotly_chart")
    buttons = {b.proto.label: b for b in at.get("download_button")}
    images = [b for b in at.get("download_button") if b.proto.label.startswith("Chart (")]
    assert charts_shown and len(images) == 2 * len(charts_shown)
    assert {"Chart (PNG)", "Chart (SVG)"} <= set(buttons)
    png = captured[buttons["Chart (PNG)"].proto.deferred_file_id]()
    svg = captured[buttons["Chart (SVG)"].proto.deferred_file_id]()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert svg_texts(svg)  # a real SVG with the chart's words in it


def test_publish_on_the_representation_page_gives_a_valid_package(captured, tmp_path):
    at = _page("pages/representation.py")
    button = next(b for b in at.get("download_button") if b.proto.label.startswith("Publish"))
    package = captured[button.proto.deferred_file_id]()
    zipfile.ZipFile(io.BytesIO(package)).extractall(tmp_path)
    assert validate(tmp_path / "datapackage.json").valid
