"""The window's frame: a sidebar with icons, toolbars and status text that belong to the page
shown, Undo/Redo that never push the app actions into overflow, and the gallery's dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from fusiondesk.gui import screenshot
from fusiondesk.services.apps import edits as app_edits


@pytest.fixture
def shown(window, qtbot):
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_page_has_an_icon_in_the_navigation(shown):
    nav = shown.navigation
    assert [nav.item(r).text() for r in range(nav.count())] == list(screenshot.PAGES)
    assert all(not nav.item(r).icon().isNull() for r in range(nav.count()))


def test_the_app_toolbar_and_the_count_show_on_the_portfolio_page_only(shown, qtbot):
    for row in range(shown.navigation.count()):
        shown.navigation.setCurrentRow(row)
        on_portfolio = shown.pages.currentWidget() is shown.portfolio_view
        assert shown.app_toolbar.isVisible() == on_portfolio, shown.navigation.item(row).text()
        assert shown.counts_label.isVisible() == on_portfolio
    shown.show_page(shown.portfolio_view)
    assert shown.counts_label.text() == "60 of 60 apps"


def test_at_1024_wide_delete_selected_is_on_the_toolbar_not_in_overflow(shown):
    shown.show_page(shown.portfolio_view)
    toolbar = shown.app_toolbar
    delete = shown.portfolio_view.actions_by_name["delete"]
    button = toolbar.widgetForAction(delete)
    assert button is not None and button.isVisible()
    assert toolbar.rect().contains(button.geometry())
    overflow = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert overflow is None or not overflow.isVisible()


def test_undo_keeps_its_width_and_names_the_step_in_its_tooltip(shown, qtbot, run_change):
    undo = next(b for b in shown.findChildren(QToolButton) if b.text() == "Undo")
    width = undo.sizeHint().width()
    app_id = shown.portfolio_view.model.app_id(0)

    def action(session, who):
        stored = app_edits.load_app(session, app_id)
        return app_edits.save_app(session, app_id, {"users": 77}, stored.version, who)

    run_change(shown.workspace, "Set the users of a rather long app name to 77", action,
               app_edits.revert)
    assert undo.isEnabled()
    assert undo.text() == "Undo" and undo.sizeHint().width() == width
    assert "Set the users of a rather long app name" in undo.toolTip() and "Ctrl+Z" in undo.toolTip()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown.workspace.undo_stack.index() == 0, timeout=15000)


@pytest.mark.parametrize("name", list(screenshot.DIALOGS))
def test_the_gallery_opens_each_main_dialog(shown, qtbot, name):
    dialog, close = screenshot._dialog(shown, name)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    assert close and dialog.isVisible() and not dialog.grab().isNull()
    dialog.close()


def test_the_gallery_index_lists_every_picture_in_both_palettes():
    index = screenshot._index()
    names = [screenshot._file_name(p) for p in screenshot.PAGES]
    names += [*screenshot.FIRST_STEPS, *screenshot.DIALOGS]
    for name in names:
        for palette in screenshot.PALETTES:
            assert f"({name}-{palette}.png)" in index


def test_ctrl_n_adds_an_app_from_home_too_and_stays_unambiguous_on_portfolio(shown, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(shown.portfolio_view, "new_app", lambda: asked.append(shown.pages.currentWidget()))
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    shown.show_page(shown.home_page)
    qtbot.keyClick(shown.navigation, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == [shown.portfolio_view]  # shown on Portfolio, where the new app will appear
    assert not shown.new_app_elsewhere.isEnabled()  # the Portfolio page's own Ctrl+N answers here


def test_the_screenshot_tool_takes_no_option_for_a_file_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert screenshot.main(["--help"]) == 0 and "--gallery DIR" in capsys.readouterr().out
    assert screenshot.main(["--size"]) == 2 and "unknown option --size" in capsys.readouterr().err
    assert not list(tmp_path.glob("-*"))  # no picture written under the option's name
