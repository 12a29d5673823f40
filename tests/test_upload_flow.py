from cpwb_stats.mapping import MappingProfile
from cpwb_stats.pipeline import validate_file
from cpwb_ui.upload_flow import merged_profile, problem_table, unrecognised_values


def test_unknown_codes_become_a_mapping_that_makes_the_file_valid():
    content = b"reference_date,rank,gender\n2024,aspirant,man\n2024,inspector,vrouwelijk persoon\n"
    report = validate_file(content, "x.csv", None, "Gent")
    unknown = unrecognised_values(report)
    assert unknown[["field", "value"]].values.tolist() == [["rank", "aspirant"],
                                                           ["gender", "vrouwelijk persoon"]]
    profile = merged_profile(MappingProfile(), report.columns,
                             {"rank": {"aspirant": "agent"},
                              "gender": {"vrouwelijk persoon": "woman"}})
    assert validate_file(content, "x.csv", profile, "Gent").valid


def test_problem_table_is_in_the_language_with_whole_row_numbers():
    report = validate_file(b"reference_date,rank,gender\n2024,aspirant,man\n", "x.csv")
    table = problem_table(report.errors + report.warnings, "fr")
    assert list(table.columns) == ["Ligne", "Colonne", "Valeur", "Ce qui ne va pas"]
    assert str(table["Ligne"].dtype) == "Int64"
