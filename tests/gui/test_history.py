"""The Log page (filters, newest first, sorting) and the History tab of an app or person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.gui.change_log_view import ROW_LIMIT, ChangeLogView
from fusiondesk.gui.history_panel import HISTORY_COLUMNS, HistoryPanel
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.people import edits as people
from fusiondesk.services.reviews import actions as reviews

APP = AppFacts(app_id="PA-1", name="Expense Tracker", users=12, scope="team",
               owners=(Owner("primary", email="ann@contoso.example"),))


@pytest.fixture
def workspace(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, APP, "alice")
        app_edits.create_app(session, AppFacts(app_id="PA-2", name="Visitor Log"), "alice")
        stored = app_edits.load_app(session, "PA-2")
        app_edits.save_app(session, "PA-2", {"notes": "Badge printer in lobby"}, stored.version,
                           "bob")
        _, version = people.load_person(session, "ann@contoso.example")
        people.save_person(session, "ann@contoso.example", {"name": "Ann"}, version, "bob")
        reviews.request_review(session, "PA-1", "security", "carol")
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


@pytest.fixture
def page(qtbot, workspace) -> ChangeLogView:
    view = ChangeLogView(workspace)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def column(model, name: str) -> list[str]:
    col = model.columns.index(name)
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


def test_log_page_lists_every_change_newest_first(page, workspace):
    ids = [page.model.entry(r).id for r in range(page.model.rowCount())]
    assert ids == sorted(ids, reverse=True)
    # Two apps, a note, a person's name, and the review (Tier 1: no SLA, so no due row).
    assert len(ids) == 7 and page.count_label.text() == "7 changes"
    assert column(page.model, "who")[:3] == ["carol"] * 3  # the review, logged last


@pytest.mark.parametrize("name, value, keys", [
    ("entity", "person", {"ann@contoso.example"}),
    ("who", "bob", {"PA-2", "ann@contoso.example"}),
    ("source", "review", {"PA-1#1"}),
])
def test_log_page_filters_by_menu(page, name, value, keys):
    page.set_filter(name, value)
    assert set(column(page.model, "entity_key")) == keys
    page.set_filter(name, None)
    assert page.model.rowCount() == 7


def test_log_page_text_search_waits_for_a_pause_then_filters(page, qtbot):
    qtbot.keyClicks(page.search_box, "badge")
    assert page.model.rowCount() == 7  # not on every keystroke
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert column(page.model, "new_value") == ["Badge printer in lobby"]


def test_log_page_since_date(page):
    page.since_check.setChecked(True)
    page.since_edit.setDate(QDate.currentDate().addDays(1))
    assert page.model.rowCount() == 0
    page.since_edit.setDate(QDate.currentDate().addDays(-1))
    assert page.model.rowCount() == 7
    assert page.filters()["since"] == QDate.currentDate().addDays(-1).toPython()


def test_log_page_sorts_in_python_on_a_header_click(page):
    who = page.model.columns.index("who")
    page.table.sortByColumn(who, Qt.SortOrder.AscendingOrder)
    assert column(page.model, "who") == sorted(column(page.model, "who"))
    page.table.sortByColumn(page.model.columns.index("at"), Qt.SortOrder.DescendingOrder)
    ids = [page.model.entry(r).id for r in range(page.model.rowCount())]
    assert ids == sorted(ids, reverse=True)


def test_log_page_shows_new_changes_and_caps_the_rows(page, workspace, monkeypatch, run_change):
    run_change(workspace, "Edit", lambda s, who: app_edits.save_app(
        s, "PA-1", {"users": 13}, app_edits.load_app(s, "PA-1").version, who), app_edits.revert)
    assert page.model.rowCount() == 8 and column(page.model, "field")[0] == "users"
    monkeypatch.setattr("fusiondesk.gui.change_log_view.ROW_LIMIT", 3)
    page.refresh()
    assert page.model.rowCount() == 3 and page.count_label.text().startswith("Newest 3 changes")
    assert ROW_LIMIT == 5000


def test_app_history_shows_the_app_and_its_reviews_and_follows_undo(qtbot, workspace, run_change, settle):
    panel = HistoryPanel(workspace, "app", "PA-1")
    qtbot.addWidget(panel)
    assert set(column(panel.model, "entity_key")) == {"PA-1", "PA-1#1"}
    assert column(panel.model, "field")[-1] == "(app)"  # created first, shown last
    done = run_change(workspace, "Edit", lambda s, who: app_edits.save_app(
        s, "PA-1", {"users": 20}, app_edits.load_app(s, "PA-1").version, who), app_edits.revert)
    assert done and column(panel.model, "new_value")[0] == "20"
    workspace.undo()
    settle(workspace)
    assert [column(panel.model, c)[0] for c in ("field", "old_value", "new_value", "source")] == [
        "users", "20", "12", "undo"]
    assert panel.summary.text().startswith(f"{panel.model.rowCount()} changes since")
    assert "at" in HISTORY_COLUMNS


def test_person_history_and_an_unsaved_app(qtbot, workspace):
    panel = HistoryPanel(workspace, "person", "ann@contoso.example")
    qtbot.addWidget(panel)
    assert column(panel.model, "new_value") == ["Ann"]
    panel.show_history("app", None)
    assert panel.model.rowCount() == 0 and panel.summary.text() == "Not saved yet: no history."
    panel.show_history("app", "PA-2")
    assert column(panel.model, "who") == ["bob", "alice"]
    assert timedelta(0) <= panel.model.entry(0).at - panel.model.entry(1).at
