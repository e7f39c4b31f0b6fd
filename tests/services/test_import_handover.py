"""An import that changes a person's status plans (or closes) their handover, in the same step."""

import openpyxl

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.services import app_edits
from fusiondesk.services.handover import plan_for
from fusiondesk.services.importer import apply_import, plan_import


def _people_sheet(path, status, leave_date):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append(["email", "name", "status", "leave_date"])
    sheet.append(["ann@contoso.example", "Ann Lee", status, leave_date])
    book.save(path)
    return path


def test_import_marking_someone_leaving_plans_their_handover(empty_portfolio, tmp_path):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="A-1", name="Expense Claims", users=10,
                                               owners=(Owner("primary", email="ann@contoso.example"),)),
                             "tester")
    for status, date_text in (("leaving", "2026-12-15"),):
        path = _people_sheet(tmp_path / "people.xlsx", status, date_text)
        with empty_portfolio.reading() as session:
            plan = plan_import(session, path)
        apply_import(empty_portfolio, plan)
    with empty_portfolio.reading() as session:
        stored = plan_for(session, "ann@contoso.example")
    assert stored is not None and [item.app_id for item in stored.items] == ["A-1"]
    assert stored.leave_date.isoformat() == "2026-12-15"
