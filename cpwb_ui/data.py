"""Cached calls into the statistics package, and the dataset this session is looking at.

The dataset is the selected zone's stored data, read for the signed-in account (or a file the
user is trying out without storing it, combined with the stored data it was tried against).
Every cached function keys on a dataset key that names everything read to build it: the zone,
the workspace revision (which changes with every stored version), the account and its rights,
and for a file being tried out the file's hash on top of the stored dataset's key. A new upload
therefore shows at once, and one account's cached result never serves another.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cpwb_stats.contract.validate import WorkforceExtract
from cpwb_stats.contract.validate_applicants import ApplicantsExtract
from cpwb_stats.contract.validate_movements import MovementsExtract
from cpwb_stats.disclosure.control import DEFAULT_MIN_CELL, DisclosurePolicy
from cpwb_stats.output.publication import DEFAULT_LICENCE, ZoneData, package_zip, publication
from cpwb_stats.pipeline import (
    CohortRetention,
    FunnelRequest,
    RepresentationRequest,
    RetentionRequest,
    protected_cohorts,
    protected_comparison,
    protected_funnel,
    protected_promotions,
    protected_reasons,
    protected_representation,
    protected_retention,
)
from cpwb_stats.targets.projection_inputs import published_hire_share
from cpwb_stats.targets.target_projection import TargetProjection, project_published_target
from cpwb_stats.workspace import stored
from cpwb_stats.workspace.access import Actor

_ACTIVE = "active_dataset"


def app_policy() -> DisclosurePolicy:
    """The deployment's threshold; the web app never switches suppression off."""
    configured = int(os.environ.get("CPWB_MIN_CELL", DEFAULT_MIN_CELL) or DEFAULT_MIN_CELL)
    return DisclosurePolicy(min_cell=max(configured, 2))


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    extract: WorkforceExtract | None
    targets: pd.DataFrame | None = None
    benchmarks: pd.DataFrame | None = None
    applicants: ApplicantsExtract | None = None
    stored: bool = False
    movements: MovementsExtract | None = None

    @property
    def zones(self) -> list[str]:
        if self.extract is None:
            return []
        return list(dict.fromkeys(self.extract.counts["zone"]))

    def periods(self, zone: str) -> list[str]:
        if self.extract is None:
            return []
        counts = self.extract.counts
        return sorted(counts.loc[counts["zone"] == zone, "period"].unique(), reverse=True)


def actor_key(actor: Actor) -> tuple:
    return actor.name, actor.role, tuple(sorted(actor.zones))


def cache_key(*parts) -> str:
    """A short key naming everything a cached result was built from (parts are plain values)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def trial_key(current: Dataset, content: bytes, kind: str) -> str:
    """A file tried out on top of the stored dataset ``current`` (whose key names its reader)."""
    return cache_key("trial", current.key, kind, upload_key(content))


@st.cache_data(show_spinner=False, max_entries=32)
def zone_dataset(_engine, _actor: Actor, zone: str, revision: int, who: tuple) -> Dataset:
    """Everything stored for one zone, in the versions in use (checked against the account)."""
    return Dataset(cache_key("stored", zone, revision, who), zone,
                   stored.stored_workforce(_engine, _actor, [zone]),
                   stored.stored_reference(_engine, _actor, zone, "targets"),
                   stored.stored_reference(_engine, _actor, zone, "benchmarks"),
                   stored.stored_applicants(_engine, _actor, [zone]), stored=True,
                   movements=stored.stored_movements(_engine, _actor, [zone]))


@st.cache_data(show_spinner=False, max_entries=8)
def zones_dataset(_engine, _actor: Actor, zones: tuple[str, ...], revision: int,
                  who: tuple) -> WorkforceExtract | None:
    """The workforce of several zones side by side, for comparing them."""
    return stored.stored_workforce(_engine, _actor, list(zones))


def upload_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


def trial_dataset() -> Dataset | None:
    """A file the user is looking at without storing it, if any."""
    return st.session_state.get(_ACTIVE)


def use_dataset(dataset: Dataset | None) -> None:
    st.session_state[_ACTIVE] = dataset


@st.cache_data(show_spinner=False, max_entries=64)
def representation(_dataset: Dataset, dataset_key: str, dimension: str, denominator: str,
                   min_cell: int) -> pd.DataFrame:
    request = RepresentationRequest(dimension=dimension, denominator=denominator,
                                    policy=DisclosurePolicy(min_cell=min_cell))
    return protected_representation(_dataset.extract, request)


@st.cache_data(show_spinner=False, max_entries=64)
def funnel(_dataset: Dataset, dataset_key: str, dimension: str, reference: str,
           min_cell: int) -> pd.DataFrame:
    request = FunnelRequest(dimension=dimension, reference=reference, pooled=True,
                            policy=DisclosurePolicy(min_cell=min_cell))
    return protected_funnel(_dataset.applicants, request)


@st.cache_data(show_spinner=False, max_entries=16)
def comparison(_extract: WorkforceExtract, extract_key: str, dimension: str, denominator: str,
               min_cell: int) -> pd.DataFrame:
    request = RepresentationRequest(dimension=dimension, denominator=denominator,
                                    policy=DisclosurePolicy(min_cell=min_cell))
    return protected_comparison(_extract, request)


@st.cache_data(show_spinner=False, max_entries=16)
def retention(_dataset: Dataset, dataset_key: str, dimension: str, min_cell: int) -> pd.DataFrame:
    request = RetentionRequest(dimension=dimension, policy=DisclosurePolicy(min_cell=min_cell))
    return protected_retention(_dataset.extract, _dataset.movements, request)


@st.cache_data(show_spinner=False, max_entries=16)
def leaving_reasons(_dataset: Dataset, dataset_key: str, dimension: str,
                    min_cell: int) -> pd.DataFrame:
    return protected_reasons(_dataset.movements, dimension, DisclosurePolicy(min_cell=min_cell))


@st.cache_data(show_spinner=False, max_entries=16)
def promotions(_dataset: Dataset, dataset_key: str, dimension: str,
               min_cell: int) -> pd.DataFrame:
    return protected_promotions(_dataset.extract, _dataset.movements, dimension,
                                DisclosurePolicy(min_cell=min_cell))


@st.cache_data(show_spinner=False, max_entries=16)
def cohorts(_dataset: Dataset, dataset_key: str, dimension: str,
            min_cell: int) -> CohortRetention | str:
    """The cohort retention, or the message key saying what it needs."""
    if _dataset.extract.entries is None:
        return "problem.survival_needs_entry_year"
    if _dataset.extract.entries["period"].nunique() < 2:
        return "problem.survival_needs_two_snapshots"
    return protected_cohorts(_dataset.extract, _dataset.movements, dimension,
                             DisclosurePolicy(min_cell=min_cell))


@st.cache_data(show_spinner=False, max_entries=32)
def target_projection(_dataset: Dataset, dataset_key: str, dimension: str, group: str,
                      scope: str, target: float, years: int, hire_share: float,
                      leaver_factor: float, min_cell: int) -> TargetProjection | None:
    return project_published_target(_dataset.extract, _dataset.movements, dimension, group,
                                    scope, target, years, hire_share, leaver_factor,
                                    DisclosurePolicy(min_cell=min_cell))


@st.cache_data(show_spinner=False, max_entries=32)
def estimated_hire_share_for(_dataset: Dataset, dataset_key: str, dimension: str,
                             group: str, min_cell: int) -> float:
    share = published_hire_share(_dataset.extract, _dataset.movements, dimension, group,
                                 DisclosurePolicy(min_cell=min_cell))
    return 0.0 if share is None else share  # hidden: the user sets it


def publication_zip(dataset: Dataset, zone: str, period: str, min_cell: int,
                    language: str) -> bytes:
    """The open-data package of the zone's period (made when the reader clicks Publish).

    The licence is the deployment's choice (``CPWB_LICENCE``, CC-BY-4.0 unless set).
    """
    data = ZoneData(dataset.extract, dataset.movements, dataset.applicants)
    return package_zip(publication(data, zone, period, DisclosurePolicy(min_cell=min_cell),
                                   publication_licence()), language)


def publication_licence() -> str:
    return os.environ.get("CPWB_LICENCE") or DEFAULT_LICENCE
