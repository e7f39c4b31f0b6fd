"""The Teams page: which teams are orphaned, and members added and removed as undoable steps."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.gui import teams_view
from fusiondesk.gui.teams_view import TEAM_HEADERS, TeamsView
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.handover.planning import mark_left
from fusiondesk.services.people.edits import create_person
from fusiondesk.services.people.teams import add_member


def email(name: str) -> str:
    return f"{name}@contoso.example"


@pytest.fixture
def workspace(empty_portfolio):
    """Ops (Ann, who left) owns two apps: orphaned. Sales (Bob, Cy) owns one: covered."""
    with empty_portfolio.transaction() as session:
        for name in ("ann", "bob", "cy", "kim"):
            create_person(session, {"email": email(name), "name": name.title(),
                                    "department": "Finance", "role": "citizen_developer"}, "tester")
        for app_id, team in (("O-1", "Ops"), ("O-2", "Ops"), ("S-1", "Sales")):
            app_edits.create_app(session, AppFacts(app_id, f"App {app_id}", last_used=date(2026, 10, 1),
                                                   owners=(Owner("primary", team=team),)), "tester")
        add_member(session, "Ops", email("ann"), "lead", "tester")
        add_member(session, "Sales", email("bob"), "lead", "tester")
        add_member(session, "Sales", email("cy"), "member", "tester")
        mark_left(session, email("ann"), "tester", left_on=date(2026, 10, 15))
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


@pytest.fixture
def page(qtbot, workspace):
    view = TeamsView(workspace)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show()
    return view


def _column(page, header: str) -> list[str]:
    return page.teams_model.column(TEAM_HEADERS.index(header))


def test_the_orphaned_team_heads_the_list_in_red(page):
    assert _column(page, "Team") == ["Ops", "Sales"]  # fewest active members first
    assert _column(page, "Active") == ["0", "2"] and _column(page, "Apps owned") == ["2", "1"]
    assert _column(page, "Standing") == ["Orphaned: no active member", "Covered"]
    assert page.teams_model.data(page.teams_model.index(0, 0), 9) == teams_view.WARNING  # foreground
    assert "1</b> orphaned (no active member; 2 apps)" in page.summary.text()
    assert page.selected_team() == "Ops"
    assert page.members_model.column(0) == [email("ann")] and page.members_model.column(3) == ["Left"]


def test_adding_a_member_covers_the_team_and_undo_orphans_it_again(qtbot, page, workspace, monkeypatch):
    chosen = {}

    def pick_kim(dialog):
        keys = [dialog.people.itemData(i) for i in range(dialog.people.count())]
        chosen["offered"] = keys
        dialog.people.setCurrentIndex(keys.index(email("kim")))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(teams_view.AddMemberDialog, "exec", pick_kim)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.add_member()
    # only people who stay are offered, and nobody already in the team
    assert email("ann") not in chosen["offered"] and email("kim") in chosen["offered"]
    assert _column(page, "Standing") == ["One active member: a single point of failure", "Covered"]
    assert page.members_model.column(0) == [email("ann"), email("kim")]

    with qtbot.waitSignal(page.loaded, timeout=10000):
        workspace.undo()
    assert _column(page, "Standing")[0] == "Orphaned: no active member"


def test_removing_a_member_and_making_a_lead(qtbot, page, workspace):
    page.teams_table.selectRow(1)  # Sales
    assert page.members_model.column(0) == [email("bob"), email("cy")]
    page.members_table.selectRow(1)
    assert page.role_button.text() == "Make lead"
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.toggle_role()
    assert page.members_model.column(2) == ["Team lead", "Team lead"]
    page.members_table.selectRow(0)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.remove_selected()
    assert page.members_model.column(0) == [email("cy")]
    assert "One active member" in _column(page, "Standing")[-1]


def test_importing_a_group_download_covers_the_orphaned_team_in_one_undo_step(qtbot, page, workspace,
                                                                               tmp_path):
    download = tmp_path / "ops-members.csv"  # Entra ID's "Download members" of the Ops group
    download.write_text("id,userPrincipalName,displayName\n"
                        f"1,{email('kim')},Kim\n2,{email('bob')},Bob\n3,zed@elsewhere.example,Zed\n",
                        encoding="utf-8")
    page.quiet_reports = True
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.import_members(str(download), "Ops")
    assert _column(page, "Team") == ["Ops", "Sales"] and _column(page, "Active") == ["2", "2"]
    assert _column(page, "Standing")[0] == "Covered"
    assert page.last_import_report.splitlines() == [
        "2 memberships added, 0 roles changed, 0 already there.",
        "Row 4: zed@elsewhere.example is not in the portfolio (import the directory first)."]

    with qtbot.waitSignal(page.loaded, timeout=10000):
        workspace.undo()  # both memberships go in one step
    assert _column(page, "Standing")[0] == "Orphaned: no active member"


def test_importing_an_app_inventory_as_members_shows_one_warning_and_changes_nothing(
        qtbot, page, workspace, monkeypatch, tmp_path):
    from fusiondesk.gui import errors

    shown = []
    monkeypatch.setattr(errors.QMessageBox, "exec", lambda box: shown.append(
        (box.icon(), box.text())) or 0)
    monkeypatch.setattr(errors.QMessageBox, "open", lambda box: shown.append((box.icon(), box.text())))
    inventory = tmp_path / "apps.csv"
    inventory.write_text("App ID,Name,Platform,Lifecycle,Owner team\nA-1,Stock Sync,Power Apps,"
                         "production,Ops\n", encoding="utf-8")
    before = _column(page, "Active")
    page.import_members(str(inventory))
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    icon, text = shown[0]
    assert icon == errors.QMessageBox.Icon.Warning  # expected bad input, not a crash
    assert text.startswith("apps.csv: this is an app inventory")
    assert _column(page, "Active") == before and workspace.undo_stack.count() == 0
