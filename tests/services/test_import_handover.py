"""An import that changes a person's status plans (or closes) their handover, right after it commits.

The planning is a second step; an import stopped between the two is planned by the next
open or import of the portfolio.
"""

import json

import openpyxl
import pytest

from fusiondesk.cli import main
from fusiondesk.core.errors import NotFound
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.handover.pending import pending
from fusiondesk.services.handover.planning import plan_for
from fusiondesk.services.importing.importer import apply_import, plan_import, write_import


def _people_sheet(path, status, leave_date):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append(["email", "name", "status", "leave_date"])
    sheet.append(["ann@contoso.example", "Ann Lee", status, leave_date])
    book.save(path)
    return path


def test_import_marking_someone_leaving_plans_their_handover(empty_portfolio, tmp_path):
    _ann_owns_a1(empty_portfolio)
    for status, date_text in (("leaving", "2026-12-15"),):
        path = _people_sheet(tmp_path / "people.xlsx", status, date_text)
        with empty_portfolio.reading() as session:
            plan = plan_import(session, path)
        apply_import(empty_portfolio, plan)
    with empty_portfolio.reading() as session:
        stored = plan_for(session, "ann@contoso.example")
    assert stored is not None and [item.app_id for item in stored.items] == ["A-1"]
    assert stored.leave_date.isoformat() == "2026-12-15"


def _ann_owns_a1(portfolio) -> None:
    with portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="A-1", name="Expense Claims", users=10,
                                               owners=(Owner("primary", email="ann@contoso.example"),)),
                             "tester")


def _import_stopped_before_planning(portfolio, tmp_path):
    """Ann owns A-1; an import marks her leaving, commits, and the program stops there."""
    _ann_owns_a1(portfolio)
    path = _people_sheet(tmp_path / "people.xlsx", "leaving", "2026-12-15")
    with portfolio.reading() as session:
        plan = plan_import(session, path)
    result = write_import(portfolio, plan)  # the first step only: planning never ran
    assert result.totals.updated == 1 and result.handover_plans == 0
    with portfolio.reading() as session:
        with pytest.raises(NotFound):
            plan_for(session, "ann@contoso.example")
    return path


def _planned_items(portfolio) -> list[tuple]:
    with portfolio.reading() as session:
        stored = plan_for(session, "ann@contoso.example")
    return [(stored.leave_date.isoformat(), i.app_id, i.triage, i.action, i.due) for i in stored.items]


def test_an_import_plans_handovers_in_a_second_step_and_says_how_many(empty_portfolio, tmp_path):
    _ann_owns_a1(empty_portfolio)
    path = _people_sheet(tmp_path / "people.xlsx", "leaving", "2026-12-15")
    with empty_portfolio.reading() as session:
        result = apply_import(empty_portfolio, plan_import(session, path))
    assert result.handover_plans == 1 and result.handovers_pending is None
    with empty_portfolio.reading() as session:
        assert pending(session) == []  # nothing left for the next open to do


def test_an_import_stopped_before_planning_is_planned_by_the_next_open(tmp_path, capsys):
    planned = open_portfolio(tmp_path / "planned.fdesk")
    _import_stopped_before_planning(planned, tmp_path)
    planned.close()
    # the next open (here: any command) finishes the planning before anything else
    assert main(["--db", str(tmp_path / "planned.fdesk"), "handover", "ann@contoso.example",
                 "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [item["app_id"] for item in shown["items"]] == ["A-1"]
    assert shown["leave_date"] == "2026-12-15"
    # and it stored exactly what an uninterrupted import stores
    uninterrupted = open_portfolio(tmp_path / "uninterrupted.fdesk")
    reopened = open_portfolio(tmp_path / "planned.fdesk")
    try:
        path = _people_sheet(tmp_path / "again.xlsx", "leaving", "2026-12-15")
        with uninterrupted.transaction() as session:
            app_edits.create_app(session, AppFacts(app_id="A-1", name="Expense Claims", users=10,
                                                   owners=(Owner("primary", email="ann@contoso.example"),)),
                                 "tester")
        with uninterrupted.reading() as session:
            apply_import(uninterrupted, plan_import(session, path))
        assert _planned_items(reopened) == _planned_items(uninterrupted)
        with reopened.reading() as session:
            assert pending(session) == []
    finally:
        uninterrupted.close()
        reopened.close()


def test_an_import_stopped_before_planning_is_planned_by_the_next_import(empty_portfolio, tmp_path):
    path = _import_stopped_before_planning(empty_portfolio, tmp_path)
    with empty_portfolio.reading() as session:
        again = plan_import(session, path)
    assert not again.has_changes  # the same file again: nothing to write, but plans are due
    result = apply_import(empty_portfolio, again)
    assert result.handover_plans == 1
    assert [item[1] for item in _planned_items(empty_portfolio)] == ["A-1"]
    with empty_portfolio.reading() as session:
        assert pending(session) == []
