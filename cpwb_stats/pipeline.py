"""One entry point per task: file bytes in, a validation report and protected tables out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cpwb_stats.disclosure import DisclosurePolicy, protect_representation
from cpwb_stats.load import read_extract
from cpwb_stats.mapping import MappingProfile
from cpwb_stats.problems import ExtractRejected, error
from cpwb_stats.representation import combine_zones, representation_by_rank
from cpwb_stats.validate import ValidationReport, WorkforceExtract, failed, validate_workforce


def validate_file(content: bytes, filename: str = "", profile: MappingProfile | None = None,
                  default_zone: str | None = None) -> ValidationReport:
    """Read and validate an uploaded workforce file; never raises on bad input."""
    try:
        raw = read_extract(content, filename)
    except ExtractRejected as rejected:
        return failed(rejected.problems)
    return validate_workforce(raw, profile, default_zone)


@dataclass(frozen=True)
class RepresentationRequest:
    dimension: str | None = None
    combine_zones: bool = False
    denominator: str = "declared"
    policy: DisclosurePolicy = DisclosurePolicy()


def protected_representation(extract: WorkforceExtract,
                             request: RepresentationRequest) -> pd.DataFrame:
    """Representation by rank after disclosure control: the only form that leaves the package."""
    if request.dimension is not None and request.dimension not in extract.dimensions:
        raise ExtractRejected([error("dimension_not_in_file", value=request.dimension,
                                     accepted=", ".join(extract.dimensions))])
    counts = combine_zones(extract.counts) if request.combine_zones else extract.counts
    table = representation_by_rank(counts, extract.dimensions, extract.ladder,
                                   request.dimension, request.denominator)
    return protect_representation(table, request.policy)
