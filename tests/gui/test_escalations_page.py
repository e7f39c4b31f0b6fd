"""The Escalations page and an app's Escalation tab, as a CoE lead uses them: escalate a
drifted app, partner, decide, close with a lesson, find the lesson, undo; decide duplicates."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QInputDialog

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.gui.escalations_view import AppEscalationPanel, EscalationsPage
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services import duplicates
from fusiondesk.services import escalations as cases
from fusiondesk.services.apps import edits as app_edits

DRIFTED = AppFacts(app_id="D-1", name="Expense Tracker", platform="Power Apps",
                   department="Finance", scope="department", users=20, approved_tier=1,
                   integrations=(Integration("SAP", "read"),),
                   owners=(Owner("primary", email="ann@contoso.example"),))


@pytest.fixture
def workspace(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, DRIFTED, "tester")
        app_edits.create_app(session, dataclasses.replace(
            DRIFTED, app_id="D-2", name="Expenses tracker (copy)"), "tester")
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


def _answer(monkeypatch, *texts):
    answers = iter(texts)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (next(answers), True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (next(answers), True))


def test_escalate_from_the_app_then_follow_the_path_on_the_page_and_undo(
        qtbot, workspace, settle, monkeypatch):
    panel = AppEscalationPanel(workspace, "D-1")
    qtbot.addWidget(panel)
    assert panel.escalate_button.isEnabled() and "Tier drift" in panel.text.toPlainText()
    _answer(monkeypatch, "Tier drift", "grew to a whole department")
    panel.escalate()
    settle(workspace)
    assert "Next step:" in panel.text.toPlainText() and "pro-dev partner" in panel.text.toPlainText()
    assert not panel.escalate_button.isEnabled()  # one open case an app

    page = EscalationsPage(workspace)
    qtbot.addWidget(page)
    page.show()
    view = page.cases
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=15000)
    assert view.table.item(0, 2).text() == "Recognised"
    detail = view.detail
    assert detail.buttons["partner"].isEnabled() and not detail.buttons["close"].isEnabled()
    _answer(monkeypatch, "pat@contoso.example")
    detail.assign_partner()
    settle(workspace)
    qtbot.waitUntil(lambda: view.table.item(0, 2).text() == "Partnered", timeout=15000)
    assert view.table.item(0, 5).text() == "pat@contoso.example"

    workspace.undo()
    settle(workspace)
    qtbot.waitUntil(lambda: view.table.item(0, 2).text() == "Recognised", timeout=15000)


def test_a_closed_case_is_found_by_its_lesson(qtbot, workspace, settle):
    with workspace.portfolio.transaction() as session:
        done = cases.open_case(session, "D-1", "tier_drift", "tester")
        case_id = int(done.changes[0].key.rpartition("#")[2])
        cases.assign_partner(session, case_id, "pat@contoso.example", "tester")
        cases.decide_rebuild(session, case_id, "keep as is", "tester")
        cases.close_case(session, case_id, "kept", "Department apps need approval early", "tester")
    page = EscalationsPage(workspace)
    qtbot.addWidget(page)
    page.show()
    view = page.cases
    view.state.setCurrentIndex(view.state.findText("Closed"))
    view.search_box.setText("approval early")
    qtbot.waitUntil(lambda: view.table.rowCount() == 1
                    and view.table.item(0, 2).text() == "Closed", timeout=15000)
    assert "Department apps need approval early" in view.detail.text.toPlainText()
    view.search_box.setText("nothing like this")
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=15000)


def test_the_duplicates_tab_shows_the_group_with_reasons_and_records_a_decision(
        qtbot, workspace, settle, monkeypatch):
    page = EscalationsPage(workspace)
    qtbot.addWidget(page)
    page.show()
    page.setCurrentWidget(page.duplicates)
    view = page.duplicates
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=15000)
    assert "same department: Finance" in view.reasons.toPlainText()
    assert "same integrations: sap" in view.reasons.toPlainText()
    _answer(monkeypatch, "the copy goes")
    view.decide("retire")
    settle(workspace)
    # awaiting a decision: none left
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=15000)
    with workspace.read() as session:
        [decision] = duplicates.list_decisions(session)
    assert (decision.decision, decision.note) == ("retire", "the copy goes")
