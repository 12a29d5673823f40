"""Cached calls into the statistics package, and the dataset this session is looking at."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cpwb_stats.disclosure import DEFAULT_MIN_CELL, DisclosurePolicy
from cpwb_stats.mapping import MappingProfile
from cpwb_stats.pipeline import (
    FunnelRequest,
    RepresentationRequest,
    protected_funnel,
    protected_representation,
    validate_file,
)
from cpwb_stats.samples import (
    sample_applicants,
    sample_benchmarks,
    sample_targets,
    sample_workforce,
)
from cpwb_stats.validate import ValidationReport, WorkforceExtract
from cpwb_stats.validate_applicants import ApplicantsExtract

DEMO = "demo"
_ACTIVE = "active_dataset"


def app_policy() -> DisclosurePolicy:
    """The deployment's threshold; the web app never switches suppression off."""
    configured = int(os.environ.get("CPWB_MIN_CELL", DEFAULT_MIN_CELL) or DEFAULT_MIN_CELL)
    return DisclosurePolicy(min_cell=max(configured, 2))


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    extract: WorkforceExtract
    targets: pd.DataFrame | None = None
    benchmarks: pd.DataFrame | None = None
    applicants: ApplicantsExtract | None = None

    @property
    def zones(self) -> list[str]:
        return list(dict.fromkeys(self.extract.counts["zone"]))

    def periods(self, zone: str) -> list[str]:
        counts = self.extract.counts
        return sorted(counts.loc[counts["zone"] == zone, "period"].unique(), reverse=True)


@st.cache_resource(show_spinner=False)
def demo_dataset() -> Dataset:
    return Dataset(DEMO, "demo", sample_workforce(), sample_targets(), sample_benchmarks(),
                   sample_applicants())


@st.cache_data(show_spinner=False, max_entries=16)
def validate_upload(content: bytes, filename: str, profile: MappingProfile | None,
                    zone: str | None, kind: str = "workforce") -> ValidationReport:
    return validate_file(content, filename, profile, zone or None, kind)


def upload_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


def active_dataset() -> Dataset:
    return st.session_state.get(_ACTIVE) or demo_dataset()


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
