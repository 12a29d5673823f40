from cpwb_stats.ingest.mapping import MappingProfile
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
    assert table["Ligne"].iloc[0] == "2"  # the file's second line, a whole number, not 2.0


def test_problem_table_leaves_cells_empty_where_a_problem_has_no_row_column_or_value():
    from cpwb_stats.problems import error

    problems = (error("profile_not_mapping"), error("unknown_rank", row=7, column="graad",
                                                    value="aspirant", accepted="agent"))
    table = problem_table(problems, "nl")
    assert table.iloc[0, :3].tolist() == ["", "", ""]
    assert table.iloc[1, :3].tolist() == ["7", "graad", "aspirant"]
    assert "None" not in table.to_csv() and "nan" not in table.to_csv().lower()
