"""The upload page with workbooks: the sheet picker, and a workbook built to hurt refused."""

from tests.conftest import ROOT
from tests.test_app import fresh_caches, open_app, texts, upload  # noqa: F401
from tests.test_workbook import cell, xlsx_part

HOME_OFFICE_ODS = ROOT / "../shared/data/uk-home-office-police-workforce-2018-09-tables.ods"


def test_the_sheet_picker_lists_the_workbooks_sheets_and_reads_the_one_chosen():
    at = upload(open_app(), "workforce.ods", HOME_OFFICE_ODS.read_bytes())
    assert not at.exception
    picker = at.selectbox(key="upload_sheet")
    assert picker.options[1:] == ["Index"] + [f"Table_{n}" for n in range(1, 9)]
    picker.set_value("Table_7").run()
    assert not at.exception
    shown = "\n".join(str(d.value.to_dict()) for d in at.dataframe)
    # Table_7's own notes (police support volunteers) are named as skipped, with its columns
    assert "A police support volunteer is an individual" in shown
    assert "Change in 6 months Mar-18 to Sep-18 %" in shown


def test_the_far_cell_workbook_is_refused_on_the_page():
    content = xlsx_part(f'<row r="1">{cell("A1", "rank")}{cell("B1", "count")}</row>'
                        f'<row r="1048576">{cell("XFD1048576", "x")}</row>', "A1:XFD1048576")
    at = upload(open_app("nl"), "far.xlsx", content)
    assert not at.exception
    shown = texts(at) + "\n".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "17179869184" not in shown
    assert "rijen op 16384 kolommen" in shown
