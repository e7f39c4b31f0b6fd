"""People an import named only by display name: flagged on the People page, completed in the editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from sqlalchemy import select

from fusiondesk.db.models import App
from fusiondesk.gui.people_view import COLUMNS, NO_EMAIL, PeopleView
from fusiondesk.gui.person_editor import PersonEditor
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.importing.importer import apply_import, plan_import
from fusiondesk.services.people.edits import apps_owned_by, load_person


@pytest.fixture
def workspace(empty_portfolio, tmp_path):
    inventory = tmp_path / "inventory.csv"
    inventory.write_text("App Name,Owner\nExpense Claims,Adele Vance\nLeave Requests,Adele Vance\n",
                         encoding="utf-8")
    with empty_portfolio.reading() as session:
        plan = plan_import(session, inventory)
    apply_import(empty_portfolio, plan)
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


def test_the_people_page_flags_a_person_without_an_email(qtbot, workspace):
    page = PeopleView(workspace)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)

    model = page.model
    email_cell = model.index(0, COLUMNS.index("email"))
    assert model.data(email_cell) == NO_EMAIL
    assert "add it" in model.data(email_cell, Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, COLUMNS.index("name"))) == "Adele Vance"
    assert model.data(model.index(0, COLUMNS.index("apps_owned"))) == "2"


def test_adding_the_email_completes_the_person_and_keeps_their_apps(qtbot, workspace):
    editor = PersonEditor(workspace, "Adele Vance")
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.email_edit.isReadOnly() and editor.email_edit.text() == ""

    editor.email_edit.setText("AdeleV@contoso.com")
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace.busy)

    assert editor.result() == QDialog.DialogCode.Accepted
    with workspace.read() as session:
        values, _ = load_person(session, "adelev@contoso.com")
        assert values["name"] == "Adele Vance"
        assert len(apps_owned_by(session, "adelev@contoso.com")) == 2
        shown = set(session.scalars(select(App.owner_summary)))
    assert shown == {"adelev@contoso.com"}  # the table's Owners column follows
