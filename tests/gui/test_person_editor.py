"""The person editor: saving reaches the portfolio, undo reverts it, refusals show by their field."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from fusiondesk.core.errors import NotFound
from fusiondesk.gui.person_editor import LEAVE_DATE_NEEDED, PersonEditor
from fusiondesk.services.people.edits import list_people, load_person, save_person


@pytest.fixture
def person(workspace) -> dict:
    """An active person who owns apps."""
    with workspace.read() as session:
        return next(p for p in list_people(session) if p["status"] == "active" and p["apps_owned"])


def stored(workspace, email: str) -> dict:
    with workspace.read() as session:
        return load_person(session, email)[0]


def open_editor(qtbot, workspace, email: str | None) -> PersonEditor:
    editor = PersonEditor(workspace, email)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def choose(box, value) -> None:
    box.setCurrentIndex(box.findData(value))


def press_ok(qtbot, editor: PersonEditor) -> None:
    """Click OK and wait for the save it starts on the worker thread."""
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor._workspace.busy, timeout=15000)


def step(qtbot, workspace, forward: bool = False) -> None:
    """Undo (or redo) as Ctrl+Z does, and wait for it."""
    workspace.redo() if forward else workspace.undo()
    qtbot.waitUntil(lambda: not workspace.busy, timeout=15000)


def test_editor_shows_the_stored_values_with_email_read_only(qtbot, workspace, person):
    editor = open_editor(qtbot, workspace, person["email"])

    assert editor.email_edit.text() == person["email"]
    assert editor.email_edit.isReadOnly()
    assert editor.name_edit.text() == (person["name"] or "")
    assert editor.status_box.currentData() == "active"
    assert editor.role_box.currentData() == person["role"]
    assert not editor.leave_date.isEnabled()
    assert editor.values() == {}


def test_marking_leaving_with_a_date_is_saved_and_undo_reverts_it(qtbot, workspace, person):
    editor = open_editor(qtbot, workspace, person["email"])
    choose(editor.status_box, "leaving")
    qtbot.mouseClick(editor.leave_check, Qt.MouseButton.LeftButton)
    editor.leave_date.setDate(QDate(2026, 12, 15))
    assert editor.values() == {"status": "leaving", "leave_date": date(2026, 12, 15)}

    press_ok(qtbot, editor)

    assert editor.result() == QDialog.DialogCode.Accepted
    saved = stored(workspace, person["email"])
    assert (saved["status"], saved["leave_date"]) == ("leaving", date(2026, 12, 15))

    step(qtbot, workspace)
    reverted = stored(workspace, person["email"])
    assert (reverted["status"], reverted["leave_date"]) == ("active", None)

    step(qtbot, workspace, forward=True)
    assert stored(workspace, person["email"])["status"] == "leaving"


def test_a_stale_edit_is_refused_and_keeps_the_other_value(qtbot, workspace, person):
    email = person["email"]
    editor = open_editor(qtbot, workspace, email)
    with workspace.portfolio.transaction() as session:  # a colleague saves meanwhile
        _, version = load_person(session, email)
        save_person(session, email, {"department": "Colleague Dept"}, version, "colleague")

    editor.department_box.setCurrentText("My Dept")
    press_ok(qtbot, editor)

    assert editor.isVisible() and editor.result() != QDialog.DialogCode.Accepted
    assert editor.message.isVisible()
    assert "changed by someone else" in editor.message.text()
    assert "Colleague Dept" in editor.message.text() and "My Dept" in editor.message.text()
    assert stored(workspace, email)["department"] == "Colleague Dept"
    assert workspace.undo_stack.count() == 0

    qtbot.mouseClick(editor.reload_button, Qt.MouseButton.LeftButton)
    assert editor.department_box.currentText() == "Colleague Dept"
    editor.department_box.setCurrentText("My Dept")
    press_ok(qtbot, editor)
    assert stored(workspace, email)["department"] == "My Dept"


def test_leaving_without_a_date_is_explained_beside_the_field(qtbot, workspace, person):
    editor = open_editor(qtbot, workspace, person["email"])
    choose(editor.status_box, "leaving")

    press_ok(qtbot, editor)

    assert editor.errors["leave_date"].isVisible()
    assert editor.errors["leave_date"].text() == LEAVE_DATE_NEEDED
    assert editor.isVisible() and editor.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert stored(workspace, person["email"])["status"] == "active"


def test_a_bad_manager_email_is_explained_beside_the_field(qtbot, workspace, person):
    editor = open_editor(qtbot, workspace, person["email"])
    editor.manager_box.setCurrentText("not-an-email")

    press_ok(qtbot, editor)

    assert editor.errors["manager_email"].isVisible()
    assert "not-an-email" in editor.errors["manager_email"].text()
    assert "not an e-mail address" in editor.errors["manager_email"].text()
    assert not editor.errors["leave_date"].isVisible()
    assert stored(workspace, person["email"])["manager_email"] == person["manager_email"]


def test_all_problems_show_at_once_and_clear_when_fixed(qtbot, workspace, person):
    editor = open_editor(qtbot, workspace, person["email"])
    choose(editor.status_box, "leaving")
    editor.manager_box.setCurrentText("nobody")
    press_ok(qtbot, editor)
    assert editor.errors["leave_date"].isVisible() and editor.errors["manager_email"].isVisible()

    editor.manager_box.setCurrentText("")
    editor.leave_check.setChecked(True)
    press_ok(qtbot, editor)

    assert editor.result() == QDialog.DialogCode.Accepted
    assert stored(workspace, person["email"])["manager_email"] is None


def test_a_new_person_is_created_and_undo_removes_them(qtbot, workspace):
    editor = open_editor(qtbot, workspace, None)
    assert not editor.email_edit.isReadOnly()
    qtbot.keyClicks(editor.email_edit, "New.Maker@Contoso.example")
    qtbot.keyClicks(editor.name_edit, "New Maker")
    choose(editor.role_box, "citizen_developer")
    assert editor.role_box.currentText() == "Citizen developer"  # words shown, value stored
    assert editor.certification_box.itemText(editor.certification_box.findData("none")) \
        == "Not trained"
    editor.platforms_edit.setText("Power Apps; Mendix")
    editor.capacity_box.setValue(4)

    press_ok(qtbot, editor)

    saved = stored(workspace, "new.maker@contoso.example")
    assert saved["name"] == "New Maker" and saved["status"] == "active"
    assert saved["certified_platforms"] == ("Power Apps", "Mendix")
    assert saved["capacity"] == 4 and saved["role"] == "citizen_developer"
    step(qtbot, workspace)
    with pytest.raises(NotFound):
        stored(workspace, "new.maker@contoso.example")


def test_a_new_person_needs_a_new_email(qtbot, workspace, person):
    editor = open_editor(qtbot, workspace, None)
    editor.email_edit.setText(person["email"].upper())

    press_ok(qtbot, editor)

    assert "already in the portfolio" in editor.errors["email"].text()
    assert editor.isVisible()


def test_unknown_capacity_and_blank_text_are_stored_as_unknown(qtbot, workspace, person):
    editor = open_editor(qtbot, workspace, person["email"])
    editor.capacity_box.setValue(editor.capacity_box.minimum())
    editor.name_edit.clear()
    assert editor.capacity_box.text() == "unknown"

    press_ok(qtbot, editor)

    saved = stored(workspace, person["email"])
    assert saved["capacity"] is None and saved["name"] is None
