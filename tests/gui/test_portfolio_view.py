"""The Portfolio page as a user drives it: search, filter, sort, edit, undo, stale edits."""

from dataclasses import replace

from PySide6.QtCore import Qt
from sqlalchemy import select

from fusiondesk.db.models import App
from fusiondesk.gui import portfolio_view
from fusiondesk.gui.app_editor import AppEditor
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.apps import table as app_table


def _names_in_table(view):
    model = view.model
    return [model.cell_text(r, "name") for r in range(model.rowCount())]


def _db_app(portfolio, app_id):
    with portfolio.reading() as session:
        return app_edits.load_app(session, app_id)


def test_table_shows_every_app_sorted_by_name_and_counts_in_status_bar(window, sample_portfolio):
    view = window.portfolio_view
    names = _names_in_table(view)
    assert len(names) == 60
    assert names == sorted(names)
    assert window.counts_label.text() == "60 of 60 apps"


def test_clicking_users_header_sorts_by_users(window, qtbot):
    view = window.portfolio_view
    column = view.model.keys.index("users")
    view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    users = [view.model.cell_text(r, "users") for r in range(view.model.rowCount())]
    known = [int(u) for u in users if u]
    assert known == sorted(known, reverse=True) and known


def test_quick_search_and_filters_narrow_the_rows(window, qtbot, sample_portfolio):
    view = window.portfolio_view
    target = _names_in_table(view)[7]
    qtbot.keyClicks(view.search_box, target)
    qtbot.waitUntil(lambda: target in _names_in_table(view) and view.model.rowCount() < 60)
    view.search_box.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 60)
    view.filters["lifecycle"].setCurrentText("production")
    with sample_portfolio.reading() as session:
        expected = len(session.scalars(select(App.id).where(App.lifecycle == "production")).all())
    assert view.model.rowCount() == expected
    assert {view.model.cell_text(r, "lifecycle") for r in range(view.model.rowCount())} == {"Production"}
    assert window.counts_label.text() == f"{expected} of 60 apps"


def test_edit_in_the_editor_reaches_the_database_and_undo_reverts(window, qtbot, sample_portfolio, settle):
    view = window.portfolio_view
    view.table.selectRow(0)
    app_id = view.selected_app_ids()[0]
    before = _db_app(sample_portfolio, app_id)
    editor = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(editor)
    editor.inputs["users"].widget.setText("1,234")
    editor.inputs["department"].widget.setCurrentText("Shared Services")
    editor.save()
    settle(window.workspace)
    assert editor.result() == editor.DialogCode.Accepted
    after = _db_app(sample_portfolio, app_id)
    assert (after.facts.users, after.facts.department) == (1234, "Shared Services")
    assert "Shared Services" in [view.model.cell_text(r, "department") for r in range(view.model.rowCount())]

    window.workspace.undo()
    settle(window.workspace)
    reverted = _db_app(sample_portfolio, app_id)
    assert (reverted.facts.users, reverted.facts.department) == (before.facts.users, before.facts.department)
    window.workspace.redo()
    settle(window.workspace)
    assert _db_app(sample_portfolio, app_id).facts.users == 1234


def test_editor_shows_validation_next_to_the_field_and_saves_nothing(window, qtbot, sample_portfolio, settle):
    app_id = window.portfolio_view.model.app_id(0)
    before = _db_app(sample_portfolio, app_id)
    editor = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(editor)
    editor.inputs["last_used"].widget.setText("31/02/2026")
    editor.inputs["primary_owner"].widget.setText("ann@not-an-address")
    editor.save()
    settle(window.workspace)
    assert editor.result() != editor.DialogCode.Accepted
    assert "must be a date" in editor.errors["last_used"].text()
    assert "invalid e-mail" in editor.errors["primary_owner"].text()
    assert _db_app(sample_portfolio, app_id) == before


def test_stale_edit_in_the_editor_is_refused_with_both_values(window, qtbot, sample_portfolio, settle):
    app_id = window.portfolio_view.model.app_id(0)
    editor = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(editor)
    with sample_portfolio.transaction() as session:  # another window saves first
        stored = app_edits.load_app(session, app_id)
        app_edits.save_app(session, app_id, {"notes": "theirs"}, stored.version, "someone else")
    editor.inputs["notes"].widget.setPlainText("mine")
    editor.save()
    settle(window.workspace)
    assert editor.result() != editor.DialogCode.Accepted
    assert "now 'theirs', yours 'mine'" in editor.banner.text()
    assert _db_app(sample_portfolio, app_id).facts.notes == "theirs"


def test_new_app_then_delete_and_undo(window, qtbot, sample_portfolio, monkeypatch, settle):
    editor = AppEditor(window.workspace, None, window)
    qtbot.addWidget(editor)
    editor.inputs["name"].widget.setText("Zeta Visitor Log")
    editor.inputs["platform"].widget.setCurrentText("Power Apps")
    editor.save()
    settle(window.workspace)
    new_id = editor.saved_app_id
    assert _db_app(sample_portfolio, new_id).facts.name == "Zeta Visitor Log"

    view = window.portfolio_view
    view.select_app(new_id)
    monkeypatch.setattr(portfolio_view, "confirm", lambda *a: True)
    view.delete_selected()
    settle(window.workspace)
    assert view.model.rowCount() == 60
    window.workspace.undo()
    settle(window.workspace)
    assert _db_app(sample_portfolio, new_id).facts.name == "Zeta Visitor Log"
    assert view.model.rowCount() == 61


def test_bulk_edit_changes_all_selected_and_undoes_as_one_step(window, qtbot, sample_portfolio, settle):
    from fusiondesk.gui.bulk_edit import BulkEditDialog

    ids = [window.portfolio_view.model.app_id(r) for r in range(4)]
    before = {i: _db_app(sample_portfolio, i).facts.lifecycle for i in ids}
    dialog = BulkEditDialog(window.workspace, ids, window)
    qtbot.addWidget(dialog)
    dialog.ticks["lifecycle"].setChecked(True)
    dialog.lifecycle.setCurrentText("retired")
    dialog.apply()
    settle(window.workspace)
    assert window.workspace.undo_stack.count() == 1
    assert {_db_app(sample_portfolio, i).facts.lifecycle for i in ids} == {"retired"}
    window.workspace.undo()
    settle(window.workspace)
    assert {i: _db_app(sample_portfolio, i).facts.lifecycle for i in ids} == before


def test_focusing_the_search_box_prepares_quick_search(window, qtbot):
    view = window.portfolio_view
    window.show()
    window.show_page(view)  # Home is the first page; the search box is on Portfolio
    window.activateWindow()
    assert view.model._texts is None
    view.search_box.setFocus()
    qtbot.waitUntil(lambda: view.model._texts is not None)
    assert len(view.model._texts) == view.model.rowCount() == 60


def test_a_one_field_edit_redraws_one_row_and_resets_nothing(window, qtbot, sample_portfolio, settle):
    view, workspace = window.portfolio_view, window.workspace
    row = 5
    app_id = view.model.app_id(row)
    version = _db_app(sample_portfolio, app_id).version
    resets, redrawn = [], []
    view.model.modelReset.connect(lambda: resets.append(True))
    view.model.dataChanged.connect(lambda top, bottom: redrawn.append((top.row(), bottom.row())))
    workspace.run("Edit users", lambda s, who: app_edits.save_app(s, app_id, {"users": 4321}, version, who),
                  app_edits.revert)
    settle(workspace)
    assert (resets, redrawn) == ([], [(row, row)])
    assert view.model.cell_text(row, "users") == "4321"
    assert view.model.app_id(row) == app_id  # the row stayed where it was


def test_an_edit_that_moves_a_row_out_of_the_filter_reads_the_rows_again(window, qtbot, sample_portfolio,
                                                                          monkeypatch, settle):
    view = window.portfolio_view
    view.filters["lifecycle"].setCurrentText("production")
    shown = view.model.rowCount()
    view.table.selectRow(0)
    monkeypatch.setattr(portfolio_view, "confirm", lambda *a: True)
    view.retire_selected()
    settle(window.workspace)
    assert view.model.rowCount() == shown - 1
    assert window.counts_label.text() == f"{shown - 1} of 60 apps"


def test_the_edit_menu_undoes_and_redoes_through_the_worker(window, qtbot, sample_portfolio, run_change, settle):
    app_id = window.portfolio_view.model.app_id(0)
    version = _db_app(sample_portfolio, app_id).version
    run_change(window.workspace, "Edit notes",
               lambda s, who: app_edits.save_app(s, app_id, {"notes": "undo me"}, version, who),
               app_edits.revert)
    undo, redo = window.undo_action, window.redo_action
    assert (undo.text(), undo.isEnabled(), redo.isEnabled()) == ("&Undo Edit notes", True, False)
    assert undo.shortcut().toString() == "Ctrl+Z"
    undo.trigger()
    assert not redo.isEnabled()  # still running: nothing to redo yet, and no second undo
    settle(window.workspace)
    assert _db_app(sample_portfolio, app_id).facts.notes != "undo me"
    assert (redo.text(), redo.isEnabled(), undo.isEnabled()) == ("&Redo Edit notes", True, False)
    redo.trigger()
    settle(window.workspace)
    assert _db_app(sample_portfolio, app_id).facts.notes == "undo me"


def test_typing_on_erasing_and_adding_words_shows_what_sql_finds_each_time(window, sample_portfolio):
    """Quick search looks among the last result when a search narrows it: each state of the
    box, reached by typing, erasing or a second word, still shows exactly the SQL's rows."""
    view = window.portfolio_view
    view.model.prepare_search()
    steps = ["f", "fi", "fin", "fina", "fin", "f", "", "a", "a e", "a en", "en a", "ex", "e",
             "zz", "z", "po", "power", "power fi"]
    for search in steps:
        view.search_box.blockSignals(True)
        view.search_box.setText(search)
        view.search_box.blockSignals(False)
        view.apply_filters()
        shown = [view.model.db_id(row) for row in range(view.model.rowCount())]
        with sample_portfolio.reading() as session:
            in_sql = app_table.matching_ids(session, replace(view.model.query, search=search))
        assert shown == in_sql, search
    assert window.counts_label.text().endswith("of 60 apps")
