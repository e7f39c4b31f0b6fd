"""The Ownership page and the handover dialog, as a CoE lead uses them."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.gui import handover_dialog
from fusiondesk.gui.handover_dialog import (
    CHECK_COLUMNS,
    COLUMNS,
    OVERDUE,
    SUCCESSOR,
    HandoverDialog,
)
from fusiondesk.gui.ownership_view import (
    LEAVERS,
    LOAD,
    MAX_COLUMN_WIDTH,
    ORPHANED,
    RATIOS,
    SINGLE,
    OwnershipView,
)
from fusiondesk.gui.people_view import PeopleView
from fusiondesk.gui.tasks import wait_for_background
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.handover.planning import mark_leaving, plan_for, portfolio_ownership
from fusiondesk.services.people.edits import create_person, load_person, save_person


def email(name: str) -> str:
    return f"{name}@contoso.example"


@pytest.fixture
def workspace(empty_portfolio):
    """Ann (leaving) built two apps; Kim can take one over; Lee left an app behind."""
    with empty_portfolio.transaction() as session:
        for name, capacity in (("ann", 5), ("kim", 6), ("lee", 3)):
            create_person(session, {"email": email(name), "name": name.title(),
                                    "department": "Finance", "role": "citizen_developer",
                                    "certification": "trained", "capacity": capacity}, "tester")
        for app_id, name, owner in (("A-1", "Expense Tracker", "ann"), ("A-2", "Trip Planner", "ann"),
                                    ("L-1", "Old Ledger", "lee")):
            app_edits.create_app(session, AppFacts(app_id, name, department="Finance",
                                                   last_used=date(2026, 10, 20),
                                                   owners=(Owner("primary", email(owner)),)), "tester")
        _values, version = load_person(session, email("lee"))
        save_person(session, email("lee"), {"status": "left"}, version, "tester")
        mark_leaving(session, email("ann"), date(2026, 11, 20), "tester")
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


@pytest.fixture
def page(qtbot, workspace):
    view = OwnershipView(workspace)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show()
    return view


def _dialog(qtbot, workspace, who="ann") -> HandoverDialog:
    dialog = HandoverDialog(workspace, email(who))
    qtbot.addWidget(dialog)
    return dialog


def _column(dialog: HandoverDialog, name: str) -> list[str]:
    col = COLUMNS.index(name)
    return [dialog.table.item(row, col).text() for row in range(dialog.table.rowCount())]


def test_the_page_shows_the_portfolio_figures(page, workspace):
    with workspace.read() as session:
        measures = portfolio_ownership(session)
    assert page.models[SINGLE].column(0) == ["A-1", "A-2"]  # ann leaving still maintains them
    assert page.models[ORPHANED].column(0) == ["L-1"]
    assert "1</b> apps have no active owner" in page.figures["orphaned"].text()
    # DOMAIN's rate: of the apps of builders who left (Lee's one), those with no active owner
    left = measures.abandonment
    assert (left.numerator, left.denominator) == (1, 1)
    assert "100.0%</b> (1 of 1 leavers' apps" in page.figures["orphaned"].text()
    assert "under 10%" in page.figures["orphaned"].text()
    hover = page.figures["orphaned"].toolTip()  # Lee left with no date recorded
    assert "1 of 1 apps of builders who left have no active owner" in hover and "undated: 1 of 1" in hover
    assert page.models[LOAD].column(0)[0] == email("ann")  # 2 apps of 5: the fullest
    assert page.models[RATIOS].column(0) == ["Finance"]
    assert page.models[RATIOS].column(4) == ["no pro-developer to partner with"]
    assert page.models[LEAVERS].column(0) == [email("ann")]
    assert page.models[LEAVERS].column(5) == ["Planned"]  # the label, not the stored value


def test_the_page_follows_changes_and_opens_a_plan(qtbot, page, workspace):
    page.tables[LEAVERS].selectRow(0)
    with qtbot.waitSignal(page.plan_opened) as opened:
        page.open_selected_plan()
    dialog = opened.args[0]
    assert dialog.email == email("ann") and dialog.table.rowCount() == 2
    row = [i.app_id for i in dialog.plan.items].index("A-1")
    dialog.table.selectRow(row)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        dialog.accept_selected()
    assert page.models[LEAVERS].column(5) == ["In progress"]


def test_accepting_an_item_in_the_dialog_changes_the_owner_and_undo_restores(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    row = [i.app_id for i in dialog.plan.items].index("A-1")
    box = dialog.table.cellWidget(row, SUCCESSOR)
    assert isinstance(box, QComboBox) and box.currentData() == email("kim")
    dialog.table.selectRow(row)
    dialog.accept_selected()
    qtbot.waitUntil(lambda: dialog.plan.items[row].accepted)

    with workspace.read() as session:
        owners = app_edits.load_app(session, "A-1").facts.owners
    assert [(o.role, o.email) for o in owners] == [("primary", email("kim"))]
    assert dialog.table.item(row, SUCCESSOR).text() == email("kim")
    assert not dialog.accept_button.isEnabled()

    workspace.undo()
    qtbot.waitUntil(lambda: not dialog.plan.items[row].accepted)
    with workspace.read() as session:
        owners = app_edits.load_app(session, "A-1").facts.owners
    assert [(o.role, o.email) for o in owners] == [("primary", email("ann"))]
    assert isinstance(dialog.table.cellWidget(row, SUCCESSOR), QComboBox)


def test_ticking_a_checklist_box_is_saved_and_undoable(qtbot, workspace):
    dialog = _dialog(qtbot, workspace)
    cell = dialog.table.item(0, CHECK_COLUMNS["knowledge_transfer_held"])
    cell.setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.plan.items[0].checklist["knowledge_transfer_held"])
    with workspace.read() as session:
        assert plan_for(session, email("ann")).items[0].status == "in_progress"
    workspace.undo()
    qtbot.waitUntil(lambda: not dialog.plan.items[0].checklist["knowledge_transfer_held"])


def test_overdue_items_are_red(qtbot, workspace, monkeypatch):
    monkeypatch.setenv("FUSIONDESK_TODAY", "2026-11-18")  # past the due date of 2026-11-15
    dialog = _dialog(qtbot, workspace)
    assert _column(dialog, "Due") == ["2026-11-15", "2026-11-15"]
    assert dialog.table.item(0, 0).foreground().color() == OVERDUE
    assert "2 overdue" in dialog.summary.text()


def test_export_runs_in_the_background_and_reads_back(qtbot, workspace, tmp_path):
    dialog = _dialog(qtbot, workspace)
    target = tmp_path / "ann.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=10000):
        dialog.export_to(str(target))
    wait_for_background()
    rows = list(load_workbook(target)["Handover"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == ["A-1", "A-2"]


def test_plan_handover_from_the_people_page(qtbot, workspace, monkeypatch):
    monkeypatch.setattr(handover_dialog, "ask_leave_date", lambda parent, who, recorded: (False, date(2026, 12, 4)))
    people = PeopleView(workspace)
    qtbot.addWidget(people)
    people.select_person(email("kim"))
    assert people.handover_action.isEnabled()
    people.handover_action.trigger()
    qtbot.waitUntil(lambda: people.findChild(HandoverDialog) is not None, timeout=10000)
    shown = people.findChild(HandoverDialog)
    assert shown.email == email("kim") and shown.plan.items == () and shown.plan.status == "done"
    with workspace.read() as session:
        assert load_person(session, email("kim"))[0]["status"] == "leaving"
    workspace.undo()
    qtbot.waitUntil(lambda: not workspace.busy)
    with workspace.read() as session:
        assert load_person(session, email("kim"))[0]["status"] == "active"


def test_a_leaver_without_a_plan_is_planned_when_opened(qtbot, page, workspace):
    with workspace.portfolio.transaction() as session:
        _values, version = load_person(session, email("kim"))
        save_person(session, email("kim"), {"status": "leaving", "leave_date": date(2026, 12, 1)},
                    version, "import")  # as an import would, without a plan
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.refresh()
    assert page.models[LEAVERS].column(5) == ["Planned", "No plan yet"]
    page.tables[LEAVERS].selectRow(1)
    with qtbot.waitSignal(page.plan_opened, timeout=10000) as opened:
        page.open_selected_plan()
    assert opened.args[0].email == email("kim") and opened.args[0].plan is not None


def test_roles_and_statuses_read_as_words_on_the_load_tab(page):
    assert set(page.models[LOAD].column(3)) == {"Citizen developer"}
    assert set(page.models[LOAD].column(4)) == {"Active", "Leaving", "Left"}
    assert page.models[LEAVERS].column(3) == ["Leaving"]


def test_columns_fit_their_contents_and_the_name_takes_the_room_left(page):
    page.resize(1024, 640)
    page.tabs.setCurrentIndex(LOAD)
    table = page.tables[LOAD]
    header = table.horizontalHeader()
    widths = [header.sectionSize(n) for n in range(header.count())]
    name = widths[1]
    assert name == max(widths[1:])  # the name column stretches, not "Capacity"
    assert widths[-1] < 150  # a count is as wide as its header, not the rest of the window
    email_width = table.fontMetrics().horizontalAdvance(email("kim"))
    assert widths[0] >= email_width  # a short e-mail is not cut short


def test_a_long_e_mail_gives_way_only_when_the_window_is_narrow(page):
    table = page.tables[LOAD]
    page.tabs.setCurrentIndex(LOAD)
    long_one = "a.very.long.name.for.a.person@a-long-subsidiary.contoso.example"
    page.models[LOAD].set_rows([(long_one, "Ann", "Finance", "Citizen developer", "Active", 2, 5)])
    page.resize(1600, 900)
    header = table.horizontalHeader()
    assert header.sectionSize(0) >= table.fontMetrics().horizontalAdvance(long_one)
    page.resize(700, 500)
    assert header.sectionSize(0) <= MAX_COLUMN_WIDTH < table.fontMetrics().horizontalAdvance(long_one)
