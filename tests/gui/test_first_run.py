"""First launch: the welcome page's three ways in, About, and errors that escape to the top."""

import logging
import sys
import threading

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from fusiondesk import __version__, paths
from fusiondesk.db.models import App
from fusiondesk.gui import crash, settings
from fusiondesk.gui.about import about_text, user_guide_path
from fusiondesk.gui.main_window import MainWindow
from fusiondesk.gui.tasks import wait_for_background


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def _opened(qtbot, window):
    wait_for_background()
    qtbot.waitUntil(lambda: window.workspace.portfolio is not None, timeout=15000)
    return window.workspace.portfolio


def test_first_launch_shows_the_welcome_page_without_recent_list(window):
    assert window.central.currentWidget() is window.welcome
    assert not window.welcome.recent.isVisible()


def test_open_the_sample_portfolio(qtbot, window):
    window.welcome.sample_button.click()
    portfolio = _opened(qtbot, window)
    assert portfolio.location.path == paths.data_home() / "sample_portfolio.fdesk"
    with portfolio.reading() as session:
        assert session.scalar(select(func.count(App.id))) == 400
    assert window.central.currentIndex() == 1
    assert window.portfolio_view.model.rowCount() == 400


def test_start_empty_creates_the_default_portfolio(qtbot, window):
    window.welcome.empty_button.click()
    portfolio = _opened(qtbot, window)
    assert portfolio.location.path == paths.default_portfolio()
    assert window.portfolio_view.model.rowCount() == 0


def test_import_an_inventory_opens_the_wizard_on_a_new_portfolio(qtbot, window, monkeypatch):
    opened = []
    from fusiondesk.gui.import_wizard import ImportWizard

    monkeypatch.setattr(ImportWizard, "exec", lambda wizard: opened.append(wizard) or 0)
    window.welcome.import_button.click()
    portfolio = _opened(qtbot, window)
    qtbot.waitUntil(lambda: bool(opened))
    assert portfolio.location.path == paths.default_portfolio()
    assert opened[0].workspace is window.workspace


def test_recent_portfolios_are_listed_afterwards(qtbot, window, tmp_path):
    settings.remember_portfolio(str(tmp_path / "team.fdesk"))
    window.welcome.refresh()
    assert window.welcome.recent.count() == 1 and not window.welcome.recent.isHidden()


def test_about_names_version_data_location_and_licence():
    text = about_text("/tmp/p.fdesk")
    assert __version__ in text and str(paths.data_home()) in text and "MIT" in text
    assert user_guide_path() is not None and user_guide_path().name == "README.md"


def test_an_escaped_error_is_logged_shown_and_survived(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(crash, "show_unexpected", lambda summary, detail: shown.append((summary, detail)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash.install_error_handler()
    logger = logging.getLogger("fusiondesk")
    added = [h for h in logger.handlers if isinstance(h, logging.FileHandler)]
    try:
        raise RuntimeError("injected failure")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0][0] == "RuntimeError: injected failure"
    assert "Traceback" in shown[0][1]
    for handler in logging.getLogger("fusiondesk").handlers:
        handler.flush()
    assert "injected failure" in paths.log_file().read_text()
    assert window.isVisible()
    for handler in added:  # the next test has another data directory
        logger.removeHandler(handler)
        handler.close()


def test_the_error_dialog_has_copyable_detail(qtbot):
    box = crash.show_unexpected("ValueError: boom", "Traceback (most recent call last): ...")
    qtbot.addWidget(box)
    assert isinstance(box, QMessageBox) and box.detailedText().startswith("Traceback")
    assert "still running" in box.text()
    box.close()
    assert QApplication.instance() is not None
