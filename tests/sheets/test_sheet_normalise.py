"""Whole tables to canonical records, with every problem located by sheet, row and column."""

from __future__ import annotations

import gc
from datetime import date

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from fusiondesk.core.facts import Integration
from fusiondesk.sheets.mapping import mapping_for
from fusiondesk.sheets.normalise import (
    NormalisedRow,
    NormaliseOptions,
    normalise_table,
    unrecognised_values,
)
from fusiondesk.sheets.problems import MappingError, Problem
from fusiondesk.sheets.reader import RawTable, read_table, read_tables

from sheet_files import write_csv, write_xlsx


def table(headers, rows, sheet="Apps", columns=None, first_row=2, date1904=False):
    return RawTable("inventory.xlsx", sheet, first_row - 1, list(headers),
                    columns or list(range(1, len(headers) + 1)),
                    [(first_row + i, tuple(row)) for i, row in enumerate(rows)], date1904)


def test_a_messy_sheet_becomes_canonical_records(tmp_path):
    path = write_xlsx(tmp_path / "inventory.xlsx", {"Apps": [
        ["CoE inventory, exported 1 April 2025"],
        [],
        ["App Display Name", "Maker", "# of users", "Status", "Data Classification",
         "Connectors", "Custom code", "Go-live", "Co-owners"],
        ["Budget tracker", "Ann@Example.com", "1,200", "Live", "Highly confidential",
         "SAP:write; SharePoint:read", "Y", date(2024, 5, 1), "bob@example.com; cy@example.com"],
        [None] * 9,
        ["Leave planner", "bob@example.com", 35.0, "Dev", "Internal", None, "No",
         "2024-06-30", None],
    ]})
    raw = read_table(path)

    result = normalise_table(raw, mapping_for(raw.headers))

    assert result.problems == []
    assert result.records == [
        NormalisedRow(4, {
            "name": "Budget tracker", "primary_owner": ("ann@example.com",), "users": 1200,
            "lifecycle": "production", "data_sensitivity": "regulated",
            "integrations": (Integration("SAP", "write"), Integration("SharePoint", "read")),
            "custom_code": True, "deployed_on": date(2024, 5, 1),
            "co_owners": ("bob@example.com", "cy@example.com")}),
        NormalisedRow(6, {
            "name": "Leave planner", "primary_owner": ("bob@example.com",), "users": 35,
            "lifecycle": "development", "data_sensitivity": "internal", "integrations": None,
            "custom_code": False, "deployed_on": date(2024, 6, 30), "co_owners": None}),
    ]


def test_problems_name_the_sheet_row_and_column_with_its_letter():
    raw = table(["Name", "Users", "Criticality"],
                [["A", "lots", "High"], ["B", 3, "Kinda"]], columns=[2, 6, 7])

    result = normalise_table(raw, {"Name": "name", "Users": "users",
                                   "Criticality": "criticality"})

    assert result.problems == [
        Problem("Apps", 2, "Users (F)", "lots", "“lots” is not a number; write a whole number "
                "such as 1200, or map it in the value mapping step", "error"),
        Problem("Apps", 3, "Criticality (G)", "Kinda", "“Kinda” is not a known criticality; "
                "use one of low, medium, high, mission_critical, or map it in the value "
                "mapping step", "error"),
    ]
    assert [r.values for r in result.records] == [
        {"name": "A", "users": None, "criticality": "high"},
        {"name": "B", "users": 3, "criticality": None}]
    assert all(r.valid for r in result.records)  # a bad cell never drops the row


def test_problem_to_dict_has_the_columns_of_a_problems_table():
    problem = Problem("Apps", 7, "Users (F)", "lots", "not a number", "error")

    assert problem.to_dict() == {"sheet": "Apps", "row": 7, "column": "Users (F)",
                                 "value": "lots", "message": "not a number"}


def test_warnings_keep_the_value_and_are_listed_as_warnings():
    raw = table(["Name", "Created"], [["A", "03/04/2025"], ["B", "2025-04-05"]])

    result = normalise_table(raw, {"Name": "name", "Created": "created"})

    assert [r.values["created"] for r in result.records] == [date(2025, 4, 3), date(2025, 4, 5)]
    assert result.errors == []
    assert [(p.row, p.column, p.value, p.severity) for p in result.warnings] == [
        (2, "Created (B)", "03/04/2025", "warning")]


def test_date_order_option_changes_how_day_month_text_reads():
    raw = table(["Name", "Created"], [["A", "03/04/2025"]])

    result = normalise_table(raw, {"Name": "name", "Created": "created"},
                             options=NormaliseOptions(date_order="mdy"))

    assert result.records[0].values["created"] == date(2025, 3, 4)


def test_numeric_serials_follow_the_workbooks_1904_date_system(tmp_path):
    path = write_xlsx(tmp_path / "mac.xlsx", {"Apps": [
        ["Name", "Created", "Last used"], ["A", date(2025, 4, 3), 44288]]},
        epoch=CALENDAR_MAC_1904)
    raw = read_table(path)

    result = normalise_table(raw, {"Name": "name", "Created": "created",
                                   "Last used": "last_used"})

    assert raw.date1904 is True
    assert result.records[0].values == {"name": "A", "created": date(2025, 4, 3),
                                        "last_used": date(2025, 4, 3)}


def test_rows_without_a_name_are_invalid_with_one_error_each():
    raw = table(["Name", "Users"], [["A", 1], ["", 2], ["n/a", 3]])

    result = normalise_table(raw, {"Name": "name", "Users": "users"})

    assert [r.valid for r in result.records] == [True, False, False]
    assert [r.row for r in result.valid_records] == [2]
    assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
        (3, "Name (A)", "", "the app has no name; this row is skipped until it has one"),
        (4, "Name (A)", "n/a", "the app has no name; this row is skipped until it has one"),
    ]


def test_people_rows_need_an_email_and_a_bad_one_is_reported_once():
    raw = table(["Email", "Name", "Status"],
                [["Ann@Example.com", "Ann", "Leaving"], ["", "Bob", "Left"],
                 ["Cy", "Cy", "Active"]], sheet="People")

    result = normalise_table(raw, mapping_for(raw.headers, sheet="People"))

    assert result.entity == "people"
    assert [(r.valid, r.values.get("email"), r.values["status"]) for r in result.records] == [
        (True, "ann@example.com", "leaving"), (False, None, "left"), (False, None, "active")]
    assert [(p.row, p.message) for p in result.problems] == [
        (3, "the person has no email; this row is skipped until it has one"),
        (4, "“Cy” is not an email address; write the full address, e.g. name@example.com, "
            "or map it in the value mapping step"),
    ]


def test_value_maps_fix_cells_per_field():
    raw = table(["Name", "Status", "Criticality"],
                [["A", "Live-ish", "Kinda"], ["B", "LIVE-ISH", "Critical"]])

    result = normalise_table(raw, {"Name": "name", "Status": "lifecycle",
                                   "Criticality": "criticality"},
                             value_maps={"lifecycle": {"live-ish": "production"},
                                         "criticality": {"KINDA": "medium"}})

    assert result.problems == []
    assert [(r.values["lifecycle"], r.values["criticality"]) for r in result.records] == [
        ("production", "medium"), ("production", "mission_critical")]


def test_unrecognised_values_feed_the_value_mapping_step():
    raw = table(["Name", "Status", "Data categories", "Integrations", "Custom code", "Users"],
                [["A", "Live-ish", "PII; Trade secrets", "SAP:sometimes", "Partly", "n/a"],
                 ["B", "Zombie", "Trade secrets", "SAP:write", "Yes", "1,200"],
                 ["C", "Live", "Recipes, PII", None, "maybe", 3]])
    mapping = {"Name": "name", "Status": "lifecycle", "Data categories": "data_categories",
               "Integrations": "integrations", "Custom code": "custom_code", "Users": "users"}

    found = unrecognised_values(raw, mapping)

    assert found == {"lifecycle": {"Live-ish", "Zombie"},
                     "data_categories": {"Trade secrets", "Recipes"},
                     "integrations": {"SAP:sometimes"},
                     "custom_code": {"Partly", "maybe"}}

    mapped = unrecognised_values(raw, mapping, value_maps={
        "lifecycle": {"Live-ish": "production", "zombie": "retired"},
        "data_categories": {"trade secrets": "financial"}})

    assert mapped == {"data_categories": {"Recipes"}, "integrations": {"SAP:sometimes"},
                      "custom_code": {"Partly", "maybe"}}


def test_mapping_errors_say_what_to_fix():
    raw = table(["Name", "Users", "Owner"], [["A", 1, "ann@example.com"]])

    with pytest.raises(MappingError, match="^No column of “Apps” is mapped to name; map the "
                                           "column that holds each app's name to name.$"):
        normalise_table(raw, {"Users": "users"})
    with pytest.raises(MappingError, match="^Both “Name” and “Owner” are mapped to name"):
        normalise_table(raw, {"Name": "name", "Owner": "name"})
    with pytest.raises(MappingError, match="^“colour” is not a field of apps"):
        normalise_table(raw, {"Name": "name", "Users": "colour"})
    with pytest.raises(MappingError, match="^The sheet “Apps” has no column “Team”"):
        normalise_table(raw, {"Name": "name", "Team": "owner_team"})


def test_unmapped_columns_are_left_out():
    raw = table(["Name", "Colour"], [["A", "blue"]])

    result = normalise_table(raw, {"Name": "name", "Colour": None})

    assert result.records == [NormalisedRow(2, {"name": "A"})]


def test_apps_and_people_sheets_import_together(tmp_path):
    path = write_xlsx(tmp_path / "portfolio.xlsx", {
        "Apps": [["App Name", "Owner Email", "Users"], ["Budget", "ann@example.com", 12]],
        "People": [["Email", "Name", "Role", "Leave date"],
                   ["ann@example.com", "Ann", "Citizen developer", "31/12/2025"]],
    })

    results = [normalise_table(t, mapping_for(t.headers, sheet=t.sheet))
               for t in read_tables(path)]

    assert [(r.sheet, r.entity) for r in results] == [("Apps", "apps"), ("People", "people")]
    assert results[0].records[0].values == {"name": "Budget",
                                            "primary_owner": ("ann@example.com",), "users": 12}
    assert results[1].records[0].values == {"email": "ann@example.com", "name": "Ann",
                                            "role": "citizen_developer",
                                            "leave_date": date(2025, 12, 31)}


def test_csv_numbers_and_yes_no_as_text(tmp_path):
    path = write_csv(tmp_path / "apps.csv", [
        ["Name", "Users", "DR plan", "Last used"],
        ["A", "1 200", "TRUE", "3 Apr 2025"], ["B", "n/a", "-", ""]], delimiter=";")
    raw = read_table(path)

    result = normalise_table(raw, mapping_for(raw.headers))

    assert [r.values for r in result.records] == [
        {"name": "A", "users": 1200, "dr_plan": True, "last_used": date(2025, 4, 3)},
        {"name": "B", "users": None, "dr_plan": False, "last_used": None}]


def test_an_empty_table_normalises_to_no_records():
    result = normalise_table(table(["Name"], []), {"Name": "name"})

    assert (result.records, result.problems) == ([], [])


def test_the_garbage_collector_is_restored_after_reading_and_normalising(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    assert gc.isenabled()

    normalise_table(read_table(path), {"Name": "name"})
    assert gc.isenabled()

    gc.disable()
    try:
        normalise_table(read_table(path), {"Name": "name"})
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


@pytest.mark.parametrize("proof, order_read", [("25/03/2025", date(2025, 4, 3)),
                                               ("03/25/2025", date(2025, 3, 4))])
def test_one_unambiguous_date_settles_the_columns_order_without_a_warning_per_row(
        proof, order_read):
    rows = [["Budget tracker", "03/04/2025"], ["Leave planner", proof],
            ["Shift roster", "03/04/2025"]]
    normalised = normalise_table(table(["Name", "Last used"], rows),
                                 {"Name": "name", "Last used": "last_used"})

    assert normalised.records[0].values["last_used"] == order_read
    assert not [p for p in normalised.problems if "ambiguous" in p.message]


def test_a_column_proving_both_orders_still_warns_on_each_ambiguous_date():
    rows = [["A", "25/03/2025"], ["B", "03/25/2025"], ["C", "03/04/2025"]]
    normalised = normalise_table(table(["Name", "Last used"], rows),
                                 {"Name": "name", "Last used": "last_used"})

    assert [p.row for p in normalised.problems if "ambiguous" in p.message] == [4]
