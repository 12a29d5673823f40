"""A chart on a page with its two downloads, PNG and SVG, drawn from the very figure shown.

The figures are drawn from protected tables only, so the files carry nothing the page does
not. Images are made by Plotly's kaleido with Debian's Chromium (``BROWSER_PATH``; nothing is
ever downloaded) and only when a reader clicks, so a page never waits for them.
"""

from __future__ import annotations

import os
import threading
import warnings
from functools import lru_cache, partial
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from cpwb_ui.i18n import t

DEBIAN_CHROMIUM = "/usr/bin/chromium"
MIME = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH = 1000  # pixels; a chart's height is its own (it grows with the number of ranks)


def chart_image(spec: str, image_format: str) -> bytes:
    """The figure (Plotly JSON) as PNG or SVG bytes.

    One Chromium is started with the first image and kept for the next ones (starting it
    takes seconds, an image then a fraction of one); one image is drawn at a time.
    """
    figure = pio.from_json(spec)
    height = figure.layout.height or 500
    with _RENDERING:
        _start_browser()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "kopts ignored with a server"
            return figure.to_image(format=image_format, width=WIDTH, height=height,
                                   scale=2 if image_format == "png" else 1)


_RENDERING = threading.Lock()


def _start_browser() -> None:
    import kaleido

    if "BROWSER_PATH" not in os.environ and Path(DEBIAN_CHROMIUM).exists():
        os.environ["BROWSER_PATH"] = DEBIAN_CHROMIUM
    kaleido.start_sync_server(silence_warnings=True)  # does nothing once it runs


@lru_cache(maxsize=16)  # called on the download's own thread, outside the page's run
def _cached_image(spec: str, image_format: str) -> bytes:
    return chart_image(spec, image_format)


def show_chart(figure: go.Figure, key: str, file_name: str, container=st) -> None:
    """``container.plotly_chart`` with a PNG and an SVG download button under it."""
    container.plotly_chart(figure, key=key)
    spec = figure.to_json()
    for column, image_format in zip(container.columns(2), MIME, strict=True):
        column.download_button(
            t(f"chart.download_{image_format}"), data=partial(_cached_image, spec, image_format),
            file_name=f"{file_name}.{image_format}", mime=MIME[image_format],
            key=f"{key}_{image_format}", on_click="ignore")
