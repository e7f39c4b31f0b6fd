"""A re-import compares the columns normalising made, which must stay in step with the records.

Planning reads each field of a sheet as one list kept beside its records
(`NormalisedTable.column`). A step that rewrites records in place (owners named by display
name, cells too long to store) must be seen there too, or a file imported a second time,
unchanged, would be planned as updates.
"""

from __future__ import annotations

from fusiondesk.sheets.mapping import APPS
from fusiondesk.sheets.normalise import NormalisedRow, NormalisedTable

from tests.services.test_importer import imported, plan_of, write_xlsx

UNCHANGED = {"created": 0, "updated": 0, "unchanged": 2, "invalid": 0}


def test_owners_named_by_display_name_re_import_as_unchanged(empty_portfolio, tmp_path):
    people = [["E-mail", "Display name", "Department"],
              ["ann@contoso.example", "Ann Archer", "Finance"],
              ["bob@contoso.example", "Bob Baker", "IT"]]
    apps = [["app_id", "name", "platform", "primary_owner", "co_owners"],
            ["PA-1", "Budget Tracker", "Power Apps", "Ann Archer", "Bob Baker"],
            ["PA-2", "Asset Intake", "Power Apps", "Bob Baker", None]]
    path = write_xlsx(tmp_path / "inventory.xlsx", {"People": people, "Apps": apps})
    first = imported(empty_portfolio, path)
    assert first.counts[APPS].created == 2 and not first.problems  # every name matched

    again = plan_of(empty_portfolio, path)

    assert again.counts[APPS].as_dict() == UNCHANGED
    assert not again.apps and not again.has_changes


def test_a_cell_too_long_is_left_out_again_and_the_row_stays_unchanged(empty_portfolio,
                                                                         tmp_path):
    apps = [["app_id", "name", "platform", "department"],
            ["A-1", "Budget Tracker", "Power Apps", "Finance" * 20],
            ["A-2", "Asset Intake", "Power Apps", "IT"]]
    path = write_xlsx(tmp_path / "inventory.xlsx", {"Apps": apps})
    imported(empty_portfolio, path)

    again = plan_of(empty_portfolio, path)

    assert again.counts[APPS].as_dict() == UNCHANGED
    assert [(p.row, p.column) for p in again.errors] == [(2, "department (D)")]
    assert "140 characters; at most 100 fit" in again.errors[0].message


def test_a_column_is_read_again_from_the_records_once_they_changed():
    table = NormalisedTable("f.xlsx", "Apps", APPS,
                            [NormalisedRow(2, {"name": "a"}), NormalisedRow(3, {"name": "b"})],
                            by_field={"name": ["a", "b"]})
    assert table.column("name") == ["a", "b"]
    assert table.column("platform") == [None, None]  # a field no record holds

    table.records[1].values["name"] = "c"
    table.values_changed()

    assert table.column("name") == ["a", "c"]
