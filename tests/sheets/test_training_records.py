"""Reading a training-records export: columns found by their headers, levels from status
words or exam codes, rows that name nobody or are not a qualification yet set aside."""

from __future__ import annotations

from datetime import date

import pytest

from fusiondesk.sheets.problems import SheetError
from fusiondesk.sheets.reader import RawTable
from fusiondesk.sheets.training_records import platform_of_exam, read_training_records


def table(headers, *rows):
    return RawTable("training.xlsx", "Sheet1", 1, list(headers), list(range(1, len(headers) + 1)),
                    [(i + 2, tuple(r)) for i, r in enumerate(rows)])


def test_an_lms_export_reads_as_certifications():
    read = read_training_records(table(
        ("Employee Email", "Learner Name", "Product", "Exam", "Status", "Date Achieved",
         "Valid Until"),
        ("Ana@Corp.example", "Ana", "Power Apps", "PL-100", "Passed", "14/03/2025", "14/03/2026"),
        (None, "Bo Li", None, "PL-200", "Passed", "25/02/2026", None),
        ("cy@corp.example", "Cy", "Mendix", "Rapid Developer", "In progress", None, None),
        ("dee@corp.example", "Dee", "Zapier", "Zapier basics course", "Completed", "2026-01-05", None),
        (None, None, "Zapier", None, "Completed", None, None)))
    assert read.columns == {"Employee Email": "email", "Learner Name": "person",
                            "Product": "platform", "Exam": "exam", "Status": "level",
                            "Date Achieved": "obtained", "Valid Until": "expires"}
    ana, bo, dee = read.records
    assert (ana.email, ana.platform, ana.level, ana.exam, ana.obtained, ana.expires) == (
        "ana@corp.example", "Power Apps", "certified", "PL-100", date(2025, 3, 14),
        date(2026, 3, 14))
    assert (bo.email, bo.person, bo.platform) == (None, "Bo Li", "Power Apps")  # from the exam
    assert dee.level == "trained"
    assert read.skipped == [(4, "is not a qualification yet (status 'In progress')"),
                            (6, "names nobody (no e-mail or name)")]


def test_a_sheet_without_a_person_or_platform_column_is_refused():
    with pytest.raises(SheetError, match="no column names the person"):
        read_training_records(table(("Product", "Exam"), ("Power Apps", "PL-100")))
    with pytest.raises(SheetError, match="no column names the platform"):
        read_training_records(table(("Email", "Date"), ("a@b.example", "2025-01-01")))


def test_exam_codes_name_their_platform():
    assert platform_of_exam("PL-100: Power Platform App Maker") == "Power Apps"
    assert platform_of_exam("PL-500") == "Power Automate"
    assert platform_of_exam("CSA") == "ServiceNow"
    assert platform_of_exam("Team building") is None


def test_an_app_inventory_is_refused_as_training_records():
    # its Name and Platform columns would otherwise read as people and their certifications
    with pytest.raises(SheetError, match="training.xlsx: this is an app inventory.*not a list "
                                         "of training records"):
        read_training_records(table(
            ("App ID", "Name", "Platform", "Lifecycle", "Owner team", "Users"),
            ("A-1", "Stock Sync", "Power Apps", "production", "Ops", 40)))
