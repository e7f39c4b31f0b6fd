"""The People page: what it lists, searching, sorting, and deleting with undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from fusiondesk.core.errors import NotFound
from fusiondesk.gui import people_view
from fusiondesk.gui.people_view import COLUMNS, STATUS_COLOURS, PeopleView
from fusiondesk.services.people.edits import apps_owned_by, list_people, load_person


@pytest.fixture
def view(qtbot, workspace) -> PeopleView:
    page = PeopleView(workspace)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def people(workspace) -> list[dict]:
    with workspace.read() as session:
        return list_people(session)


def column(view: PeopleView, name: str) -> list[str]:
    """What the table shows in one column, top to bottom."""
    model, col = view.model, COLUMNS.index(name)
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


def click_header(qtbot, view: PeopleView, name: str) -> None:
    header = view.table.horizontalHeader()
    section = COLUMNS.index(name)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_lists_every_person_with_the_apps_they_own(view, workspace, people):
    assert view.model.rowCount() == len(people) > 0
    leaving = sum(p["status"] == "leaving" for p in people)
    left = sum(p["status"] == "left" for p in people)
    assert view.count_label.text() == f"{len(people)} people · {leaving} leaving · {left} left"
    with workspace.read() as session:
        expected = {p["email"]: str(len(apps_owned_by(session, p["email"]))) for p in people}
    assert dict(zip(column(view, "email"), column(view, "apps_owned"))) == expected
    assert any(int(n) > 0 for n in expected.values())


def test_leaving_and_left_people_are_marked(view, people):
    model = view.model
    for status in ("leaving", "left"):
        row = next(r for r in range(model.rowCount()) if model.person(r)["status"] == status)
        status_cell = model.index(row, COLUMNS.index("status"))
        assert model.data(status_cell) == status.capitalize()  # its label: "Leaving"
        assert model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole) == STATUS_COLOURS[status]
    active = next(r for r in range(model.rowCount()) if model.person(r)["status"] == "active")
    assert model.data(model.index(active, 0), Qt.ItemDataRole.ForegroundRole) is None


def test_roles_read_as_words_and_sort_by_them(view, people):
    roles = column(view, "role")
    assert "Citizen developer" in roles and not any("_" in r for r in roles)
    view.model.sort(COLUMNS.index("role"), Qt.SortOrder.AscendingOrder)
    shown = [r for r in column(view, "role") if r]
    assert shown == sorted(shown, key=str.casefold)


def test_search_filters_as_you_type(qtbot, view, people):
    target = people[0]
    first_name = target["name"].split()[0]
    qtbot.keyClicks(view.search_box, first_name.lower())

    shown = column(view, "email")
    assert target["email"] in shown
    assert 0 < len(shown) < len(people)
    assert all(first_name.lower() in (p["name"] + p["email"] + (p["department"] or "")).lower()
               for p in people if p["email"] in shown)
    assert f"showing {len(shown)}" in view.count_label.text()

    view.search_box.clear()
    assert view.model.rowCount() == len(people)


def test_status_filter_shows_only_that_status(view, people):
    view.status_filter.setCurrentIndex(view.status_filter.findData("leaving"))
    assert set(column(view, "status")) == {"Leaving"}
    assert view.status_filter.currentText() == "Leaving"
    assert view.model.rowCount() == sum(p["status"] == "leaving" for p in people)

    view.status_filter.setCurrentIndex(view.status_filter.findData(None))
    assert view.model.rowCount() == len(people)


def test_clicking_a_header_sorts_and_clicking_again_reverses(qtbot, view):
    names = column(view, "name")
    assert names == sorted(names, key=str.casefold)  # by name until a header is clicked

    click_header(qtbot, view, "apps_owned")
    ascending = [int(n) for n in column(view, "apps_owned")]
    assert ascending == sorted(ascending)

    click_header(qtbot, view, "apps_owned")
    descending = [int(n) for n in column(view, "apps_owned")]
    assert descending == sorted(ascending, reverse=True)

    click_header(qtbot, view, "email")
    emails = column(view, "email")
    assert emails == sorted(emails, key=str.casefold)


def test_sorting_keeps_the_selection_on_the_same_person(qtbot, view, people):
    view.select_person(people[3]["email"])
    click_header(qtbot, view, "apps_owned")
    assert view.selected_emails() == [people[3]["email"]]


def test_enter_opens_the_editor_for_the_selected_person(qtbot, view, people):
    view.select_person(people[2]["email"])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)

    assert view.editor is not None and view.editor.isVisible()
    assert view.editor.email_edit.text() == people[2]["email"]


def test_an_edit_in_the_editor_shows_in_the_table(qtbot, view, workspace, people, settle):
    view.select_person(people[2]["email"])
    view.edit_selected()
    view.editor.department_box.setCurrentText("Renamed Dept")
    view.editor.accept()
    settle(workspace)

    row = view.model.row_of(people[2]["email"])
    assert view.model.person(row)["department"] == "Renamed Dept"
    assert view.selected_emails() == [people[2]["email"]]


def test_delete_asks_with_the_apps_owned_and_undo_restores_ownerships(qtbot, view, workspace, people, monkeypatch,
                                                                     settle):
    owner = max(people, key=lambda p: p["apps_owned"])
    with workspace.read() as session:
        owned = sorted(apps_owned_by(session, owner["email"]))
    asked = []
    monkeypatch.setattr(people_view, "confirm", lambda parent, title, text: asked.append(text) or True)
    view.select_person(owner["email"])
    view.table.setFocus()

    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    settle(workspace)

    assert len(asked) == 1
    assert f"own {owner['apps_owned']} apps" in asked[0] and "ownerships will be removed" in asked[0]
    assert view.model.rowCount() == len(people) - 1
    assert view.model.row_of(owner["email"]) is None
    with workspace.read() as session, pytest.raises(NotFound):
        load_person(session, owner["email"])

    workspace.undo()
    settle(workspace)

    assert view.model.rowCount() == len(people)
    with workspace.read() as session:
        assert load_person(session, owner["email"])[0]["name"] == owner["name"]
        assert sorted(apps_owned_by(session, owner["email"])) == owned


def test_declining_the_confirmation_deletes_nothing(qtbot, view, workspace, people, monkeypatch):
    monkeypatch.setattr(people_view, "confirm", lambda parent, title, text: False)
    view.select_person(people[0]["email"])
    view.delete_selected()

    assert view.model.rowCount() == len(people)
    assert workspace.undo_stack.count() == 0


def test_ctrl_n_opens_an_empty_editor(qtbot, view):
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert view.editor is not None and view.editor.isVisible()
    assert view.editor.email_edit.text() == "" and not view.editor.email_edit.isReadOnly()


def test_edit_and_delete_need_a_selection(view):
    view.table.clearSelection()
    assert not view.edit_button.isEnabled() and not view.delete_button.isEnabled()
    assert view.new_button.isEnabled()


def test_reopening_another_portfolio_reloads(qtbot, view, workspace, empty_portfolio):
    workspace.set_portfolio(empty_portfolio)
    assert view.model.rowCount() == 0
    assert view.count_label.text().startswith("0 people")
