"""The attacker (an exact whole-number solver) over every demo zone.

What is published: each demo zone's representation table with every dimension (what the CLI
``representation`` prints, its downloads and the zone's pages show), and the zones together
(``--combine-zones``, compare zones) next to it. A hidden count of 1 to k-1 passes when the
smallest and largest values that fit everything published are at least k apart.
"""

import pytest

from cpwb_stats.disclosure.control import DisclosurePolicy
from cpwb_stats.pipeline import (
    RepresentationRequest,
    _zone_tables,
    protected_representation,
    validate_file,
)
from tests.conftest import SAMPLE_DATA
from tests.disclosure_audit import representation_attack

K = 5
DEMO_ZONES = sorted(SAMPLE_DATA.glob("workforce_*.csv"))


def _extract(path):
    return validate_file(path.read_bytes(), path.name).extract


def _leaks(published, truth, k=K):
    attack = representation_attack(published, truth, k, zeros_shown=True)
    return attack.leaks(k, small_only=True)


@pytest.mark.parametrize("path", DEMO_ZONES, ids=lambda p: p.stem)
def test_no_hidden_small_count_of_a_demo_zone_is_narrowed_below_k(path):
    extract = _extract(path)
    request = RepresentationRequest(policy=DisclosurePolicy())
    page = protected_representation(extract, request)
    # The same table with nothing hidden (small groups merged as the page merges them).
    truth = _zone_tables(extract, request)[0]
    hidden_small = page["count"].isna() & truth["count"].between(1, K - 1).to_numpy()
    assert hidden_small.any()  # the demo zones do have small counts to protect
    assert _leaks([page], truth) == []
