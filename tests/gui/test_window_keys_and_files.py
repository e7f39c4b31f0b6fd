"""What a lead meets at the keyboard and at start-up: pages and redo by key, imports
and the undo history, a mistyped portfolio path, a recorded leave date kept."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from fusiondesk.gui import handover_dialog, main_window, portfolio_files, settings
from fusiondesk.gui.handover_dialog import LeaveDateDialog, plan_handover_for
from fusiondesk.gui.import_wizard import ImportWizard
from fusiondesk.gui.tasks import wait_for_background
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.people.edits import list_people, load_person, save_person

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def test_ctrl_and_a_number_shows_that_page(shown, qtbot):
    for number in range(8, 0, -1):
        qtbot.keyClick(shown.navigation, getattr(Qt.Key, f"Key_{number}"), CTRL)
        assert shown.pages.currentIndex() == number - 1, f"Ctrl+{number}"
    assert shown.navigation.currentItem().text() == "Home"
    qtbot.keyClick(shown.navigation, Qt.Key.Key_2, CTRL)
    assert shown.pages.currentWidget() is shown.portfolio_view


def test_the_view_menu_shows_the_page_it_names(shown):
    view_menu = next(a.menu() for a in shown.menuBar().actions() if a.text() == "&View")
    for action in view_menu.actions():
        action.trigger()
        assert shown.navigation.currentItem().text() == action.text()


def test_redo_answers_ctrl_shift_z_and_ctrl_y_each_bound_once(shown, qtbot, settle):
    keys = [k.toString() for k in shown.redo_action.shortcuts()]
    assert "Ctrl+Shift+Z" in keys and "Ctrl+Y" in keys and len(keys) == len(set(keys))
    workspace = shown.workspace
    app_id = shown.portfolio_view.model.app_id(0)

    def set_users(users):
        def action(session, who):
            stored = app_edits.load_app(session, app_id)
            return app_edits.save_app(session, app_id, {"users": users}, stored.version, who)
        return action

    workspace.run("Set users", set_users(4242), app_edits.revert)
    settle(workspace)
    for key, modifiers in ((Qt.Key.Key_Z, CTRL | SHIFT), (Qt.Key.Key_Y, CTRL)):
        qtbot.keyClick(shown.navigation, Qt.Key.Key_Z, CTRL)  # undo
        settle(workspace)
        assert workspace.undo_stack.index() == 0
        qtbot.keyClick(shown.navigation, key, modifiers)  # redo
        settle(workspace)
        assert workspace.undo_stack.index() == 1, f"redo by {modifiers} {key}"
    with workspace.read() as session:
        assert app_edits.load_app(session, app_id).facts.users == 4242


def test_redo_keys_on_a_desktop_whose_redo_is_ctrl_shift_z_add_ctrl_y_once(qapp, monkeypatch):
    # GNOME's Redo binding is Ctrl+Shift+Z alone: adding it again made an ambiguous
    # shortcut (neither fired), and Ctrl+Y was missing. The offscreen platform binds both.
    from PySide6.QtGui import QKeySequence

    monkeypatch.setattr(QKeySequence, "keyBindings", lambda _key: [QKeySequence("Ctrl+Shift+Z")])
    assert [k.toString() for k in main_window.redo_keys()] == ["Ctrl+Shift+Z", "Ctrl+Y"]


def test_an_import_clears_the_undo_history_and_the_status_bar_says_so(shown, qtbot, tmp_path, settle):
    workspace = shown.workspace
    app_id = shown.portfolio_view.model.app_id(0)

    def rename(session, who):
        stored = app_edits.load_app(session, app_id)
        return app_edits.save_app(session, app_id, {"name": "Renamed by hand"}, stored.version, who)

    workspace.run("Rename", rename, app_edits.revert)
    settle(workspace)
    assert workspace.undo_stack.count() == 1
    sheet = tmp_path / "apps.csv"
    sheet.write_text(f"app_id,name,users\n{app_id},Renamed by hand,77\n", encoding="utf-8")
    wizard = ImportWizard(workspace, shown, str(sheet))
    qtbot.addWidget(wizard)
    wizard.show()
    for _step in range(6):  # file, sheets, columns, values, preview: each Next once ready
        page = wizard.currentPage()
        if page is wizard.run_page:
            break
        qtbot.waitUntil(page.isComplete, timeout=10000)
        wizard.next()
        wait_for_background(10000)
        qtbot.waitUntil(lambda: wizard.currentPage() is not page, timeout=10000)
    qtbot.waitUntil(wizard.run_page.isComplete, timeout=20000)
    assert "1 updated" in wizard.run_page.summary.text()
    # The edit before the import cannot be undone any more (its version is gone): no step
    # is left to fail as "changed by someone else", and the window says why.
    assert workspace.undo_stack.count() == 0 and not shown.undo_action.isEnabled()
    assert "Undo history cleared" in shown.statusBar().currentMessage()


def test_a_portfolio_named_at_start_that_does_not_exist_is_created_only_when_asked(
        window, qtbot, tmp_path, monkeypatch):
    typo = tmp_path / "portfolo.fdesk"
    asked = []
    monkeypatch.setattr(portfolio_files.QMessageBox, "question",
                        lambda *args, **kwargs: asked.append(args[2]) or QMessageBox.StandardButton.No)
    window.workspace.set_portfolio(None)
    window.open_at_start(str(typo), explicit=True)
    wait_for_background()
    assert asked and str(typo) in asked[0]
    assert not typo.exists() and window.workspace.portfolio is None
    monkeypatch.setattr(portfolio_files.QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    window.open_at_start(str(typo), explicit=True)
    qtbot.waitUntil(lambda: window.workspace.portfolio is not None, timeout=10000)
    assert typo.exists()


def test_a_last_portfolio_gone_is_not_reopened_nor_offered(window, tmp_path, monkeypatch):
    gone = tmp_path / "moved-away.fdesk"
    monkeypatch.setattr(portfolio_files.QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    monkeypatch.setattr(settings, "recent_portfolios", lambda: [str(gone)])
    window.workspace.set_portfolio(None)
    window.open_at_start(str(gone), explicit=False)
    wait_for_background()
    assert not gone.exists() and window.workspace.portfolio is None
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()] == ["(none yet)"]


def test_open_recent_opens_the_portfolio_chosen(window, qtbot, tmp_path, monkeypatch):
    chosen = []
    monkeypatch.setattr(settings, "recent_portfolios", lambda: [str(tmp_path)])  # exists
    monkeypatch.setattr(window, "open_location", lambda location, **kw: chosen.append(location))
    window._fill_recent()
    window.recent_menu.actions()[0].trigger()  # `triggered` passes checked=False
    assert chosen == [str(tmp_path)]


def test_planning_a_handover_keeps_the_recorded_leave_date(window, qtbot, sample_portfolio, monkeypatch, settle):
    workspace = window.workspace
    with workspace.read() as session:
        someone = next(p["email"] for p in list_people(session, status="active") if p["email"])
    leaves_on = date(2027, 3, 31)
    with sample_portfolio.transaction() as session:
        _values, version = load_person(session, someone)
        save_person(session, someone, {"leave_date": leaves_on}, version, "hr")
    monkeypatch.setattr(handover_dialog, "open_plan", lambda *args, **kwargs: None)
    monkeypatch.setattr(LeaveDateDialog, "exec", lambda self: QDialog.DialogCode.Accepted)  # OK as shown
    plan_handover_for(workspace, someone, window)
    settle(workspace)
    with workspace.read() as session:
        values = load_person(session, someone)[0]
    assert (values["status"], values["leave_date"]) == ("leaving", leaves_on)


def test_the_leave_date_offered_without_one_on_record_is_two_weeks_on():
    from fusiondesk.core import clock

    left, when = LeaveDateDialog("x@contoso.example").answer()
    assert not left and (when - clock.today()).days == handover_dialog.DEFAULT_NOTICE_DAYS
