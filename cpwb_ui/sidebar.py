"""Sidebar: which data this session looks at, and the zone and period pickers."""

from __future__ import annotations

import streamlit as st

from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import VISITOR, Actor
from cpwb_ui import formatting
from cpwb_ui.account import engine
from cpwb_ui.data import Dataset, actor_key, trial_dataset, use_dataset, zone_dataset
from cpwb_ui.i18n import t

_ACTOR = "_actor"


def remember_actor(actor: Actor) -> None:
    st.session_state[_ACTOR] = actor


def actor() -> Actor:
    """The account this page view acts for (set by the shell at the start of every run)."""
    return st.session_state.get(_ACTOR, VISITOR)


def dataset_pickers() -> None:
    trial = trial_dataset()
    if trial is not None:
        st.sidebar.success(t("sidebar.upload_in_use", name=formatting.plain(trial.label)))
        if st.sidebar.button(t("sidebar.back_to_workspace"), key="back_to_workspace"):
            use_dataset(None)
            st.rerun()
        zones = trial.zones
    else:
        zones = [z.name for z in visible_zones()]
    if not zones:
        st.sidebar.info(t("sidebar.no_zones"))
        return
    # The choice lives in plain session state, not in the widget, so that it holds on every
    # page and can be set by other pages (after storing an upload, say).
    zone = st.sidebar.selectbox(t("sidebar.zone"), zones, index=zones.index(selected_zone()))
    st.session_state[_zone_key()] = zone
    if trial is None and _is_demo(zone):
        st.sidebar.info(t("sidebar.demo_notice"))
    periods = active_dataset().periods(zone)
    if periods:
        st.sidebar.selectbox(t("sidebar.period"), periods, key=f"period_{_zone_key()}_{zone}")


def visible_zones() -> list[stored.Zone]:
    return stored.visible_zones(engine(), actor())


def _is_demo(zone: str) -> bool:
    return any(z.demo for z in visible_zones() if z.name == zone)


def _zone_key() -> str:
    return "zone_trial" if trial_dataset() is not None else "zone"


def selected_zone() -> str | None:
    zones = trial_dataset().zones if trial_dataset() is not None else [
        z.name for z in visible_zones()]
    chosen = st.session_state.get(_zone_key())
    return chosen if chosen in zones else (zones[0] if zones else None)


def active_dataset() -> Dataset | None:
    """The file being tried out, or the selected zone's stored data; None when there is none."""
    trial = trial_dataset()
    if trial is not None:
        return trial
    zone = selected_zone()
    if zone is None:
        return None
    workspace = engine()
    return zone_dataset(workspace, actor(), zone, stored.revision(workspace), actor_key(actor()))


def selected_zone_and_period() -> tuple[str, str]:
    zone = selected_zone()
    periods = active_dataset().periods(zone)
    period = st.session_state.get(f"period_{_zone_key()}_{zone}")
    return zone, period if period in periods else periods[0]


def require_workforce() -> Dataset:
    """The dataset, when it has a workforce extract; otherwise a note, and the page stops."""
    dataset = active_dataset()
    if dataset is None or dataset.extract is None:
        st.info(t("sidebar.no_workforce") if dataset is not None else t("sidebar.no_zones"))
        st.stop()
    return dataset
