"""Reading real-world inventory layouts from xlsx, xlsm, ods and delimited text."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from fusiondesk.sheets.problems import SheetError
from fusiondesk.sheets.reader import open_workbook, read_table, read_tables

from sheet_files import rewrite_zip_part, write_csv, write_ods, write_xlsx


def test_title_rows_above_the_header_are_skipped(tmp_path):
    path = write_xlsx(tmp_path / "inventory.xlsx", {"Apps": [
        ["Low-code app inventory"],
        ["Exported by the CoE", None, None, datetime(2025, 4, 1)],
        [],
        ["App Name", "Owner Email", "# of users", "Go-live"],
        ["Budget tracker", "ann@example.com", 120, date(2024, 5, 1)],
    ]})

    table = read_table(path)

    assert table.source == "inventory.xlsx"
    assert table.sheet == "Apps"
    assert table.header_row == 4
    assert table.headers == ["App Name", "Owner Email", "# of users", "Go-live"]
    assert table.columns == [1, 2, 3, 4]
    assert table.rows == [(5, ("Budget tracker", "ann@example.com", 120, date(2024, 5, 1)))]


def test_a_table_that_starts_off_column_a_keeps_its_column_letters(tmp_path):
    # the parser streams rows as it converts them: columns left of the first in use count
    path = write_xlsx(tmp_path / "inventory.xlsx", {"Apps": [
        [],
        [None, None, "App Name", "# of users"],
        [None, None, "Budget tracker", 120],
        [None, None, None, None, "note"],
    ]})

    table = read_table(path)

    assert table.header_row == 2
    assert table.headers == ["App Name", "# of users", "Column E"]  # unnamed, but holds data
    assert table.columns == [3, 4, 5]
    assert table.rows == [(3, ("Budget tracker", 120, "")), (4, ("", "", "note"))]
    assert table.column_label(1) == "# of users (D)"


def test_a_legend_above_the_table_is_not_its_header(tmp_path):
    path = write_xlsx(tmp_path / "inventory.xlsx", {"Apps": [
        ["Status", "Meaning"],
        ["Live", "In production"],
        [],
        ["Solution", "Business area", "Seats", "Go-live", "Notes"],
        ["Budget tracker", "Finance", 120, date(2024, 5, 1), "—"],
    ]})

    table = read_table(path)

    assert table.header_row == 4
    assert table.headers == ["Solution", "Business area", "Seats", "Go-live", "Notes"]


def test_the_header_row_can_be_given_when_detection_would_misread_it(tmp_path):
    path = write_xlsx(tmp_path / "inventory.xlsx", {"Apps": [
        ["Exported by", "CoE team"],
        ["Flow", "Runs"],
        ["Invoice sync", 12],
    ]})

    assert read_table(path).header_row == 1
    table = read_table(path, header_row=2)
    assert (table.headers, table.rows) == (["Flow", "Runs"], [(3, ("Invoice sync", 12))])
    with pytest.raises(SheetError, match="^Row 9 is outside the sheet “Apps”, which has 3 "
                                         "rows; choose the row that holds the column names.$"):
        read_table(path, header_row=9)


def test_blank_rows_are_skipped_and_keep_their_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["Name", "Users"],
        ["A", 1],
        [None, None],
        ["   ", None],
        ["B", 2],
    ]})

    table = read_table(path)

    assert [(row, values[0]) for row, values in table.rows] == [(2, "A"), (5, "B")]


def test_blank_header_columns_are_dropped_unless_they_hold_data(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        [None, "Name", None, "Users", None, None],
        [None, "A", None, 10, None, "note one"],
        [None, "B", None, 20, None, None],
    ]})

    table = read_table(path)

    assert table.headers == ["Name", "Users", "Column F"]
    assert table.columns == [2, 4, 6]
    assert table.rows == [(2, ("A", 10, "note one")), (3, ("B", 20, ""))]


def test_header_merged_across_columns_names_each_column(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["Name", "Users", "Owner", None],
        ["A", 10, "ann@example.com", "bob@example.com"],
    ]}, merges={"Apps": ["C1:D1"]})

    table = read_table(path)

    assert table.headers == ["Name", "Users", "Owner", "Owner 2"]
    assert table.rows == [(2, ("A", 10, "ann@example.com", "bob@example.com"))]


def test_two_level_header_joins_group_and_column_names(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["CoE inventory", None, None, None],
        ["App Name", "Users", "Owner", None],
        [None, None, "Email", "Team"],
        ["A", 10, "ann@example.com", "Finance apps"],
    ]}, merges={"Apps": ["A1:D1", "A2:A3", "B2:B3", "C2:D2"]})

    table = read_table(path)

    assert table.header_row == 3
    assert table.headers == ["App Name", "Users", "Owner Email", "Owner Team"]
    assert table.rows == [(4, ("A", 10, "ann@example.com", "Finance apps"))]


def test_merged_title_over_the_header_is_not_a_group_row(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["App inventory", None, None],
        ["Name", "Users", "Platform"],
        ["A", 10, "Power Apps"],
    ]}, merges={"Apps": ["A1:C1"]})

    table = read_table(path)

    assert table.headers == ["Name", "Users", "Platform"]
    assert table.rows == [(3, ("A", 10, "Power Apps"))]


def test_a_value_merged_down_several_rows_belongs_to_each_row(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["Department", "Name", "Users"],
        ["Finance", "Budget", 10],
        [None, "Forecast", 20],
        ["HR", "Leave", 5],
    ]}, merges={"Apps": ["A2:A3"]})

    assert read_table(path).rows == [(2, ("Finance", "Budget", 10)),
                                     (3, ("Finance", "Forecast", 20)),
                                     (4, ("HR", "Leave", 5))]


def test_header_cells_are_stripped_and_repeats_numbered(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["  Name ", "Owner\nEmail", "Notes", "notes"],
        ["A", "ann@example.com", "x", "y"],
    ]})

    assert read_table(path).headers == ["Name", "Owner Email", "Notes", "notes 2"]


def test_repeated_header_rows_of_paged_exports_are_skipped(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["Name", "Users"], ["A", 1], ["Name", "Users"], ["B", 2],
    ]})

    assert [values for _, values in read_table(path).rows] == [("A", 1), ("B", 2)]


def test_cells_come_back_typed_and_formulas_give_their_cached_value(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [
        ["Name", "Users", "Created", "Custom code", "Total"],
        ["A", 1200, datetime(2025, 4, 3, 9, 30), True, None],
    ]})
    rewrite_zip_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        '<c r="D2" t="b"><v>1</v></c>',
        '<c r="D2" t="b"><v>1</v></c><c r="E2"><f>B2*2</f><v>2400</v></c>'))

    row, values = read_table(path).rows[0]

    assert values == ("A", 1200, datetime(2025, 4, 3, 9, 30), True, 2400)


def test_workbook_in_the_1904_date_system_is_reported(tmp_path):
    path = write_xlsx(tmp_path / "mac.xlsx", {"Apps": [
        ["Name", "Created"], ["A", date(2025, 4, 3)],
    ]}, epoch=CALENDAR_MAC_1904)

    table = read_table(path)

    assert table.date1904 is True
    assert table.rows == [(2, ("A", date(2025, 4, 3)))]  # calamine applies it to dates


def test_date1904_read_from_a_hand_edited_workbook_xml(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    assert read_table(path).date1904 is False
    rewrite_zip_part(path, "xl/workbook.xml",
                     lambda xml: xml.replace("<workbookPr />", '<workbookPr date1904="true"/>'))

    assert read_table(path).date1904 is True


def test_read_tables_returns_every_visible_sheet_with_a_table(tmp_path):
    path = write_xlsx(tmp_path / "portfolio.xlsx", {
        "Read me": [["Fill in one row per app."]],
        "Apps": [["Name", "Users"], ["A", 1]],
        "People": [["Email", "Name"], ["ann@example.com", "Ann"]],
        "Blank": [],
        "Lookups": [["Lifecycle", "Scope"], ["idea", "team"]],
    }, hidden=["Lookups"])

    tables = read_tables(path)

    assert [t.sheet for t in tables] == ["Apps", "People"]
    assert tables[1].rows == [(2, ("ann@example.com", "Ann"))]


def test_read_tables_can_be_limited_to_some_sheets_and_keeps_sheet_order(tmp_path):
    path = write_xlsx(tmp_path / "audit.xlsx", {
        "Summary": [["Measure", "Value"], ["Apps", 2]],
        "People": [["Email", "Name"], ["ann@example.com", "Ann"]],
        "Findings": [["App", "Flag"], ["A", "undocumented"]],
        "Apps": [["Name", "Users"], ["A", 1], ["B", 2]],
    })

    with open_workbook(path) as workbook:
        tables = workbook.read_tables(["Apps", "People"])

    assert [t.sheet for t in tables] == ["People", "Apps"]  # as in the workbook
    assert [row for _, row in tables[1].rows] == [("A", 1), ("B", 2)]


def test_each_table_is_handed_over_as_soon_as_it_is_read(tmp_path):
    # An import normalises a small People sheet while a big Apps sheet is still parsed.
    path = write_xlsx(tmp_path / "portfolio.xlsx", {
        "Apps": [["Name", "Users"], ["A", 1]],
        "Blank": [],
        "People": [["Email", "Name"], ["ann@example.com", "Ann"]],
    })
    handed: list = []

    with open_workbook(path) as workbook:
        tables = workbook.read_tables(each=handed.append)

    assert sorted(t.sheet for t in handed) == ["Apps", "People"]  # never a sheet without one
    assert {t.sheet: t.rows for t in handed} == {t.sheet: t.rows for t in tables}


def test_open_workbook_lists_sheets_and_reads_one_by_name(tmp_path):
    path = write_xlsx(tmp_path / "portfolio.xlsx", {
        "Apps": [["Name", "Users"], ["A", 1]],
        "People": [["Email", "Name"], ["ann@example.com", "Ann"]],
        "Lookups": [["Lifecycle", "Scope"], ["idea", "team"]],
    }, hidden=["Lookups"])

    with open_workbook(path) as workbook:
        assert workbook.sheet_names == ["Apps", "People"]
        assert workbook.hidden_sheets == ["Lookups"]
        assert workbook.read_table("people").sheet == "People"
        assert workbook.read_table("Lookups").rows == [(2, ("idea", "team"))]
        with pytest.raises(SheetError, match="has no sheet named “Owners”; its sheets are "
                                             "Apps, People, Lookups"):
            workbook.read_table("Owners")


def test_read_table_without_a_sheet_skips_sheets_without_a_table(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {
        "Instructions": [["Fill in one row per app."], ["Dates as 2025-04-03."]],
        "Apps": [["Name", "Users"], ["A", 1]],
    })

    assert read_table(path).sheet == "Apps"


def test_xlsm_is_read_and_its_macros_are_only_bytes(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    macro = path.with_suffix(".xlsm")
    path.rename(macro)

    assert read_table(macro).rows == [(2, ("A", 1))]


def test_ods_is_read(tmp_path):
    path = write_ods(tmp_path / "apps.ods", {"Apps": [
        ["Inventory"], ["Name", "Users", "Created"], ["A", 120, date(2025, 4, 3)],
    ]})

    table = read_table(path)

    assert (table.header_row, table.headers) == (2, ["Name", "Users", "Created"])
    assert table.rows == [(3, ("A", 120, date(2025, 4, 3)))]


def test_xlsx_saved_under_another_name_is_read_by_its_content(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    renamed = tmp_path / "apps.xls"
    shutil.copy(path, renamed)

    assert read_table(renamed).rows == [(2, ("A", 1))]


# --- delimited text ------------------------------------------------------------------

_ROWS = [["App Name", "Department", "Users"], ["Café planner", "Zürich sales", "1,200"],
         ["Budget", "Finance", "35"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_in_every_common_encoding(tmp_path, encoding):
    path = write_csv(tmp_path / "apps.csv", _ROWS, encoding=encoding)

    table = read_table(path)

    assert table.sheet == "apps"
    assert table.headers == ["App Name", "Department", "Users"]  # no BOM left in "App Name"
    assert table.rows == [(2, ("Café planner", "Zürich sales", "1,200")),
                          (3, ("Budget", "Finance", "35"))]


def test_cp1252_euro_sign_and_smart_quotes(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_bytes("Name;Notes\r\nA;“€5 per user”\r\n".encode("cp1252"))

    assert read_table(path).rows == [(2, ("A", "“€5 per user”"))]


@pytest.mark.parametrize("delimiter, suffix", [(";", ".csv"), ("\t", ".tsv"), ("|", ".txt"),
                                               ("\t", ".txt"), (",", ".txt")])
def test_delimiter_is_sniffed(tmp_path, delimiter, suffix):
    path = write_csv(tmp_path / f"apps{suffix}", _ROWS, delimiter=delimiter)

    table = read_table(path)

    assert table.headers == ["App Name", "Department", "Users"]
    assert table.rows[0] == (2, ("Café planner", "Zürich sales", "1,200"))


def test_semicolon_csv_with_commas_inside_values(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text("Name;Users;Compliance\nA;1,200;HIPAA, GDPR\nB;3;SOX, PCI\n",
                    encoding="utf-8")

    assert read_table(path).rows == [(2, ("A", "1,200", "HIPAA, GDPR")),
                                     (3, ("B", "3", "SOX, PCI"))]


def test_quoted_fields_keep_delimiters_and_line_breaks(tmp_path):
    path = write_csv(tmp_path / "apps.csv", [
        ["Name", "Integrations", "Notes"],
        ["A", "SAP:write; SharePoint:read", "line one\nline two, with comma"],
    ])

    assert read_table(path).rows == [
        (2, ("A", "SAP:write; SharePoint:read", "line one\nline two, with comma"))]


def test_excel_sep_line_names_the_delimiter(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text("sep=;\nName;Users\nA;5\n", encoding="utf-8")

    table = read_table(path)

    assert (table.header_row, table.headers) == (1, ["Name", "Users"])
    assert table.rows == [(2, ("A", "5"))]


def test_csv_with_title_lines_and_ragged_rows(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text("App inventory\nExported 2025-04-01\n\nName,Users,Notes\nA,5\nB,6,x\n",
                    encoding="utf-8")

    table = read_table(path)

    assert table.header_row == 4
    assert table.rows == [(5, ("A", "5", "")), (6, ("B", "6", "x"))]
