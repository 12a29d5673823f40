"""Sidebar: which data this session looks at, and the zone and period pickers."""

from __future__ import annotations

import streamlit as st

from cpwb_ui.data import DEMO, active_dataset, use_dataset
from cpwb_ui.i18n import t


def dataset_pickers() -> None:
    dataset = active_dataset()
    if dataset.key == DEMO:
        st.sidebar.info(t("sidebar.demo_notice"))
    else:
        st.sidebar.success(t("sidebar.upload_in_use", name=dataset.label))
        if st.sidebar.button(t("sidebar.back_to_demo"), key="back_to_demo"):
            use_dataset(None)
            st.rerun()
    dataset = active_dataset()
    zone = st.sidebar.selectbox(t("sidebar.zone"), dataset.zones, key=f"zone_{dataset.key}")
    st.sidebar.selectbox(t("sidebar.period"), dataset.periods(zone),
                         key=f"period_{dataset.key}_{zone}")


def selected_zone_and_period() -> tuple[str, str]:
    dataset = active_dataset()
    zone = st.session_state.get(f"zone_{dataset.key}") or dataset.zones[0]
    period = st.session_state.get(f"period_{dataset.key}_{zone}") or dataset.periods(zone)[0]
    return zone, period
