import pytest

from cpwb_stats.ingest.mapping import MappingProfile, profile_from_yaml, profile_to_yaml, propose_columns
from cpwb_stats.problems import ExtractRejected
from cpwb_stats.workspace.profile_store import load_profile, save_profile
from tests.conftest import SAMPLE_DATA


def test_headers_are_recognised_in_three_languages():
    proposal = propose_columns(["Peildatum", "Graad", "Geslacht", "Vrouwen", "Origine migratoire",
                                "Opmerking"], MappingProfile())
    assert proposal == {"Peildatum": "reference_date", "Graad": "rank", "Geslacht": "gender",
                        "Vrouwen": "gender=woman", "Origine migratoire": "migration_background",
                        "Opmerking": None}


def test_profile_wins_over_aliases_and_a_field_is_claimed_once():
    profile = MappingProfile(columns={"Ethnic group": "gender"})
    proposal = propose_columns(["Gender", "Ethnic group"], profile)
    assert proposal == {"Gender": None, "Ethnic group": "gender"}


@pytest.mark.parametrize("text, code", [
    ("kind: [", "profile_not_yaml"),
    ("- a\n- b\n", "profile_not_mapping"),
    ("kind: payroll\n", "profile_bad_value"),
    ("shape: round\n", "profile_bad_value"),
    ("ladder: army\n", "profile_bad_value"),
    ("columns: [a, b]\n", "profile_bad_section"),
    ("columns:\n  X: salary\n", "profile_unknown_target"),
    ("dimensions:\n  ethnicity: {}\n", "profile_bad_dimension"),
])
def test_bad_profiles_say_what_is_wrong(text, code):
    with pytest.raises(ExtractRejected) as rejected:
        profile_from_yaml(text)
    assert code in [p.code for p in rejected.value.problems]


def test_shipped_profiles_parse_and_round_trip():
    for path in (SAMPLE_DATA / "mappings").glob("*.yaml"):
        profile = profile_from_yaml(path.read_text())
        assert profile_from_yaml(profile_to_yaml(profile)) == profile


def test_profiles_are_saved_per_zone_and_reused(data_dir):
    profile = MappingProfile(columns={"Graad": "rank"}, constants={"zone": "Gent"})
    path = save_profile("../../Gent", profile)
    assert data_dir in path.parents, "a zone name must never escape the data folder"
    assert load_profile("../../Gent") == profile
    assert load_profile("Charleroi") is None
