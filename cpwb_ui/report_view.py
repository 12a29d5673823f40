"""The Representation page's report: made on request, then offered as PDF and HTML."""

from __future__ import annotations

import streamlit as st

from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.output import report
from cpwb_stats.problems import Refused
from cpwb_stats.workspace import stored
from cpwb_ui.account import engine
from cpwb_ui.data import Dataset
from cpwb_ui.i18n import t
from cpwb_ui.sidebar import actor

_MADE = "zone_report_files"


@st.cache_data(show_spinner=False, max_entries=8)
def report_files(_dataset: Dataset, dataset_key: str, zone: str, period: str, language: str,
                 min_cell: int) -> tuple[str, bytes, str]:
    """(file stem, PDF, HTML) of the zone's report for the period, charts drawn as pictures."""
    from cpwb_figures.pictures import pictures

    sources = stored.history(engine(), actor(), zone) if _dataset.stored else None
    if sources is not None:
        sources = sources[sources["current"]].drop(columns=["id", "current"])
    data = report.ReportData(zone, _dataset.extract, _dataset.movements, _dataset.applicants,
                             _dataset.targets, _dataset.benchmarks, sources)
    written = report.build_report(data, period, language, DisclosurePolicy(min_cell=min_cell))
    document = report.to_html(written, pictures(written))
    return written.filename("")[:-1], report.to_pdf(document), document


def report_buttons(dataset: Dataset, zone: str, period: str, language: str,
                   policy: DisclosurePolicy) -> None:
    """A button that makes the report, then its two downloads (kept for this page view)."""
    key = (dataset.key, zone, period, language, policy.min_cell)
    st.subheader(t("zone_report.button"))
    if st.button(t("zone_report.make"), key="make_report"):
        with st.spinner(t("zone_report.make")):
            try:
                st.session_state[_MADE] = (key, report_files(dataset, dataset.key, zone, period,
                                                             language, policy.min_cell))
            except Refused as refused:
                for message in refused.messages(language):
                    st.error(message)
    made = st.session_state.get(_MADE)
    if not made or made[0] != key:
        return
    stem, pdf, document = made[1]
    pdf_column, html_column = st.columns(2)
    pdf_column.download_button(t("zone_report.download_pdf"), pdf, file_name=f"{stem}.pdf",
                               mime="application/pdf", key="download_report_pdf")
    html_column.download_button(t("zone_report.download_html"), document.encode("utf-8"),
                                file_name=f"{stem}.html", mime="text/html",
                                key="download_report_html")
