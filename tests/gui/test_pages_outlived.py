"""A workspace can outlive the pages and the window that listen to it: what it says
afterwards reaches no deleted page (a lambda connection did, and raised in Qt's loop)."""

import pytest
from shiboken6 import delete

from fusiondesk.gui.audit_view import AuditView
from fusiondesk.gui.change_log_view import ChangeLogView
from fusiondesk.gui.home_page import HomePage
from fusiondesk.gui.main_window import MainWindow
from fusiondesk.gui.people_view import PeopleView
from fusiondesk.services.changes import ChangeSet


@pytest.mark.parametrize("page_type", [AuditView, ChangeLogView, HomePage, PeopleView])
def test_a_deleted_page_hears_nothing_more_from_its_workspace(workspace, qtbot, page_type):
    page = page_type(workspace)
    delete(page)  # the page's widget is gone; the workspace lives on
    workspace.changed.emit(ChangeSet())
    workspace.opened.emit(workspace.portfolio)
    qtbot.wait(10)  # pytest-qt fails the test on an exception raised in Qt's loop


def test_a_deleted_window_hears_nothing_more_from_its_workspace(workspace, qtbot):
    window = MainWindow(workspace)
    delete(window)
    workspace.others_changed.emit()
    workspace.history_cleared.emit("cleared")
    workspace.changed.emit(ChangeSet())
    qtbot.wait(10)
