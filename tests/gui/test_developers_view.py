"""The Citizen developers page and the person editor's Certifications tab, as a lead uses them."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from fusiondesk.core.certification import Certificate
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.gui.developers_view import HEADERS, DevelopersView
from fusiondesk.gui.person_editor import PersonEditor
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.developers.records import certificates_for
from fusiondesk.services.people.edits import create_person

ANA = "ana@contoso.example"
LAPSED = Certificate("Power Apps", "certified", date(2023, 1, 1), date(2025, 1, 1), "PL-100")


@pytest.fixture
def workspace(empty_portfolio):
    """Ana (trained, as imported) built a Tier 2 app in 2026-Q3 saving 10 hours a month."""
    with empty_portfolio.transaction() as session:
        create_person(session, {"email": ANA, "name": "Ana Lopez", "department": "Finance",
                                "role": "citizen_developer", "certification": "none"}, "tester")
        app_edits.create_app(session, AppFacts(
            "T2", "Leave planner", platform="Power Apps", scope="department",
            lifecycle="production", deployed_on=date(2026, 8, 5), hours_saved_per_month=10,
            owners=(Owner("primary", ANA),)), "tester")
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


def _page(qtbot, workspace) -> DevelopersView:
    view = DevelopersView(workspace)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show()
    return view


def _cell(view, header: str) -> str:
    return view.model.data(view.model.index(0, HEADERS.index(header)))


def test_the_page_shows_the_record_and_copies_the_recognition_list(qtbot, workspace):
    view = _page(qtbot, workspace)
    assert view.quarter() == "2026-Q3"  # conftest's today is in Q4: the quarter just closed
    assert _cell(view, "Developer") == "Ana Lopez"
    assert _cell(view, "In quarter") == "1"
    assert _cell(view, "Hours / year") == "120"
    assert _cell(view, "Unqualified") == "1"
    tip = view.model.data(view.model.index(0, HEADERS.index("Unqualified")),
                          Qt.ItemDataRole.ToolTipRole)
    assert tip == "Leave planner (Tier 2, Power Apps): needs trained on Power Apps, has none"
    view.copy_recognition()
    pasted = QGuiApplication.clipboard().text()
    assert pasted.startswith("## Our citizen developers: solutions delivered in 2026-Q3")
    assert "- **Ana Lopez** (Finance): 1 solution delivered (Leave planner); " \
           "about 120 hours saved a year" in pasted


def test_a_certification_added_in_the_person_editor_is_undoable_and_clears_the_flag(
        qtbot, workspace, settle):
    view = _page(qtbot, workspace)
    editor = PersonEditor(workspace, ANA)
    qtbot.addWidget(editor)
    panel = editor.certifications
    with qtbot.waitSignal(view.loaded, timeout=10000):
        panel.save_new(Certificate("Power Apps", "trained", date(2026, 3, 1)))
        settle(workspace)
    assert _cell(view, "Unqualified") == ""
    assert panel.table.rowCount() == 1 and panel.table.item(0, 5).text() == "Counts"
    with qtbot.waitSignal(view.loaded, timeout=10000):
        workspace.undo()
        settle(workspace)
    assert _cell(view, "Unqualified") == "1"
    with workspace.read() as session:
        assert certificates_for(session, ANA) == []


def test_an_expired_certification_is_marked(qtbot, workspace, settle):
    editor = PersonEditor(workspace, ANA)
    qtbot.addWidget(editor)
    editor.certifications.save_new(LAPSED)
    settle(workspace)
    assert editor.certifications.table.item(0, 5).text() == "Expired: does not count"
    assert editor.certifications.table.item(0, 4).text() == "2025-01-01"
