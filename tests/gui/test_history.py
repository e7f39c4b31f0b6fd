"""The Log page (one row per change, expandable, filters, pages) and an app's or person's History."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.gui import change_tree
from fusiondesk.gui.change_log_view import ChangeLogView
from fusiondesk.gui.history_panel import HistoryPanel
from fusiondesk.gui.tasks import wait_for_background
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.people import edits as people
from fusiondesk.services.reviews import actions as reviews

APP = AppFacts(app_id="PA-1", name="Expense Tracker", users=12, scope="team",
               owners=(Owner("primary", email="ann@contoso.example"),))


@pytest.fixture
def workspace(empty_portfolio):
    """Five actions, each its own transaction as the window runs them."""
    def act(work):
        with empty_portfolio.transaction() as session:
            work(session)

    act(lambda s: app_edits.create_app(s, APP, "alice"))
    act(lambda s: app_edits.create_app(s, AppFacts(app_id="PA-2", name="Visitor Log"), "alice"))
    act(lambda s: app_edits.save_app(s, "PA-2", {"notes": "Badge printer in lobby"},
                                     app_edits.load_app(s, "PA-2").version, "bob"))
    act(lambda s: people.save_person(s, "ann@contoso.example", {"name": "Ann"},
                                     people.load_person(s, "ann@contoso.example")[1], "bob"))
    act(lambda s: reviews.request_review(s, "PA-1", "security", "carol"))
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


def settled(qtbot, tree) -> None:
    """Wait until the tree's reads on the worker have come back."""
    assert wait_for_background(15000)
    qtbot.waitUntil(lambda: tree.total is not None, timeout=15000)
    qtbot.wait(10)  # the callbacks queued on the GUI thread


@pytest.fixture
def page(qtbot, workspace) -> ChangeLogView:
    view = ChangeLogView(workspace)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    settled(qtbot, view.tree)
    return view


def shown(tree, column: str) -> list[str]:
    model, col = tree.changes, change_tree.COLUMNS.index(column)
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


def expand(qtbot, tree, row: int) -> list[str]:
    """Open a change and give the text of its field rows."""
    tree.expand(tree.changes.index(row, 0))
    qtbot.waitUntil(lambda: tree.changes.rowCount(tree.changes.index(row, 0)) > 0, timeout=5000)
    parent = tree.changes.index(row, 0)
    what = change_tree.COLUMNS.index("what")
    return [tree.changes.data(tree.changes.index(n, what, parent))
            for n in range(tree.changes.rowCount(parent))]


def refreshed(qtbot, page) -> None:
    page.refresh()
    settled(qtbot, page.tree)


def test_log_page_lists_one_row_per_change_newest_first_with_app_names(page):
    ids = [page.tree.changes.change(r).last_id for r in range(page.tree.changes.rowCount())]
    assert ids == sorted(ids, reverse=True)
    # Five actions; the review logged three rows (made, type, status) but is one change.
    assert len(ids) == 5 and page.count_label.text() == "5 changes"
    assert shown(page.tree, "who") == ["carol", "bob", "bob", "alice", "alice"]
    what = shown(page.tree, "what")
    assert what[2] == "Edited app 'Visitor Log': Notes: (blank) → Badge printer in lobby"
    assert what[3:] == ["App 'Visitor Log' created", "App 'Expense Tracker' created"]
    assert "Expense Tracker" in what[0] and "PA-1" not in what[0]  # the name; the id in a tooltip
    tip = page.tree.changes.data(page.tree.changes.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    assert "PA-1#1" in tip
    assert shown(page.tree, "source") == ["Review", "Edit", "Edit", "Edit", "Edit"]


def test_a_change_expands_to_its_field_rows(qtbot, page):
    review = page.tree.changes.change(0)
    rows = expand(qtbot, page.tree, 0)
    assert len(rows) == review.rows and rows[0] == "Expense Tracker (review) · Review created"


@pytest.mark.parametrize("name, value, who", [
    ("entity", "person", ["bob"]),
    ("who", "bob", ["bob", "bob"]),
    ("source", "review", ["carol"]),
])
def test_log_page_filters_by_menu_and_the_menus_read_as_words(qtbot, page, name, value, who):
    page.set_filter(name, value)
    settled(qtbot, page.tree)
    assert shown(page.tree, "who") == who
    page.set_filter(name, None)
    settled(qtbot, page.tree)
    assert page.tree.changes.rowCount() == 5
    texts = [page.choices["source"].itemText(i) for i in range(page.choices["source"].count())]
    assert "Review" in texts and "review" not in texts


def test_log_page_text_search_waits_for_a_pause_then_filters(page, qtbot):
    qtbot.keyClicks(page.search_box, "badge")
    assert page.tree.changes.rowCount() == 5  # not on every keystroke
    qtbot.waitUntil(lambda: page.tree.changes.rowCount() == 1, timeout=3000)
    assert "Badge printer" in shown(page.tree, "what")[0]


def test_log_page_since_date(qtbot, page):
    page.since_check.setChecked(True)
    page.since_edit.setDate(QDate.currentDate().addDays(1))
    settled(qtbot, page.tree)
    assert page.tree.changes.rowCount() == 0
    page.since_edit.setDate(QDate.currentDate().addDays(-1))
    settled(qtbot, page.tree)
    assert page.tree.changes.rowCount() == 5
    assert page.filters().since == QDate.currentDate().addDays(-1).toPython()


def test_log_page_reads_older_changes_a_page_at_a_time(qtbot, page, monkeypatch):
    reads = []

    def read(session, where, before, limit):
        found = change_tree.list_changes.__wrapped__(session, where, before, limit)
        reads.append((before, [c.last_id for c in found]))
        return found

    read.__wrapped__ = change_tree.list_changes
    monkeypatch.setattr(change_tree, "list_changes", read)
    monkeypatch.setattr(change_tree, "PAGE", 2)
    refreshed(qtbot, page)
    # The tree asks for the next page while its viewport has room, as a scroll to the end does.
    while page.tree.changes.canFetchMore() or page.tree.changes.rowCount() < 5:
        page.tree.changes.fetchMore()
        assert wait_for_background(15000)
        qtbot.wait(20)
    ids = [page.tree.changes.change(r).last_id for r in range(page.tree.changes.rowCount())]
    assert len(ids) == 5 and ids == sorted(ids, reverse=True)
    assert [before for before, _found in reads] == [None, ids[1], ids[3]]  # three pages of two
    assert page.count_label.text() == "5 changes"


def test_a_big_change_shows_its_first_rows_and_counts_the_rest(qtbot, page, workspace, monkeypatch,
                                                              run_change):
    run_change(workspace, "Bulk edit", lambda s, who: app_edits.bulk_edit(
        s, ["PA-1", "PA-2"], {"department": "Finance", "users": 40}, who), app_edits.revert)
    refreshed(qtbot, page)
    assert shown(page.tree, "what")[0].startswith("Bulk edit of 2 apps")
    monkeypatch.setattr(change_tree, "FIELD_ROWS", 1)
    rows = expand(qtbot, page.tree, 0)
    assert len(rows) == 2 and rows[1].startswith("… and ")


def test_log_page_shows_new_changes(qtbot, page, workspace, run_change):
    run_change(workspace, "Edit", lambda s, who: app_edits.save_app(
        s, "PA-1", {"users": 13}, app_edits.load_app(s, "PA-1").version, who), app_edits.revert)
    settled(qtbot, page.tree)
    qtbot.waitUntil(lambda: page.tree.changes.rowCount() == 6, timeout=5000)
    assert shown(page.tree, "what")[0] == "Edited app 'Expense Tracker': Users: 12 → 13"


def _panel(qtbot, workspace, entity, key) -> HistoryPanel:
    panel = HistoryPanel(workspace, entity, key)
    qtbot.addWidget(panel)
    settled(qtbot, panel.tree)
    return panel


def test_app_history_shows_the_app_and_its_reviews_and_follows_undo(qtbot, workspace, run_change,
                                                                     settle):
    panel = _panel(qtbot, workspace, "app", "PA-1")
    assert shown(panel.tree, "what")[-1] == "App 'Expense Tracker' created"  # first, shown last
    assert panel.tree.changes.rowCount() == 2  # made, and its review
    run_change(workspace, "Edit", lambda s, who: app_edits.save_app(
        s, "PA-1", {"users": 20}, app_edits.load_app(s, "PA-1").version, who), app_edits.revert)
    settled(qtbot, panel.tree)
    qtbot.waitUntil(lambda: panel.tree.changes.rowCount() == 3, timeout=5000)
    workspace.undo()
    settle(workspace)
    qtbot.waitUntil(lambda: panel.tree.changes.rowCount() == 4, timeout=5000)
    undo = panel.tree.changes.change(0)
    assert undo.source == "undo" and undo.what == "Undid a change to app 'Expense Tracker': Users: 20 → 12"
    assert panel.summary.text().startswith("4 changes since")


def test_person_history_and_an_unsaved_app(qtbot, workspace):
    panel = _panel(qtbot, workspace, "person", "ann@contoso.example")
    assert shown(panel.tree, "what") == ["Edited person 'ann@contoso.example': Name: (blank) → Ann"]
    panel.show_history("app", None)
    assert panel.tree.changes.rowCount() == 0 and panel.summary.text() == "Not saved yet: no history."
    panel.show_history("app", "PA-2")
    settled(qtbot, panel.tree)
    qtbot.waitUntil(lambda: panel.tree.changes.rowCount() == 2, timeout=5000)
    assert shown(panel.tree, "who") == ["bob", "alice"]


def test_a_read_that_outlives_its_page_is_dropped(qtbot, workspace):
    view = ChangeLogView(workspace)  # its first reads are now on the worker
    view.deleteLater()
    qtbot.waitUntil(lambda: not _alive(view), timeout=5000)
    assert wait_for_background(15000)
    qtbot.wait(50)  # their answers arrive, and find no page: nothing raises in the event loop


def _alive(widget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def test_a_change_fields_answer_after_the_list_emptied_raises_nothing(qtbot, workspace):
    """A change's field rows can arrive after the panel was emptied (an unsaved app shown):
    they are dropped, and the summary never reads a row the list no longer has."""
    panel = _panel(qtbot, workspace, "app", "PA-1")
    panel.tree.changes.fields_wanted.emit(0)  # the user expands the newest change…
    panel.show_history("app", None)  # …and the editor moves to an unsaved app meanwhile
    assert wait_for_background(15000)
    qtbot.wait(50)
    assert panel.tree.changes.rowCount() == 0 and panel.tree.total == 0
    assert panel.summary.text() == "Not saved yet: no history."


def test_the_summary_counts_changes_it_has_not_listed_without_naming_a_day(qtbot, workspace):
    panel = _panel(qtbot, workspace, "app", "PA-1")
    panel.tree.total = 3  # counted after a colleague's save the page read did not see
    panel.tree.changes.show([], True)
    panel.tree.loaded.emit()
    assert panel.summary.text() == "3 changes."
