"""Importing team memberships: a register (Team, Member, Role) or one directory group's
member download named with --team; people matched, never invented; twice changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.models import App, ChangeLogEntry
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.handover.planning import mark_left
from fusiondesk.services.people.edits import create_person
from fusiondesk.services.people.team_import import import_team_members, read_members_file
from fusiondesk.services.people.teams import list_teams
from fusiondesk.sheets.problems import SheetError

REGISTER = (
    "Team,Member,Role in team\n"
    "Ops Team,ann@contoso.example,Owner\n"
    "ops team,bob  STONE,Member\n"  # a display name, and the team written in another case
    "Billing,cy@contoso.example,\n"
    "Billing,zoe@elsewhere.example,member\n"  # not in the portfolio: reported, not invented
    "Billing,,member\n"  # names nobody: skipped with its row
)
# Microsoft Entra ID: a group's "Download members" CSV (one group, no group column)
ENTRA_MEMBERS = (
    "id,userPrincipalName,displayName,userType,mail\n"
    "5f0c1e2a-0000-4000-8000-000000000001,ann@contoso.example,Ann Lee,Member,ann@contoso.example\n"
    "5f0c1e2a-0000-4000-8000-000000000002,cy@contoso.example,Cy Park,Member,cy@contoso.example\n"
)


@pytest.fixture
def portfolio(empty_portfolio):
    with empty_portfolio.transaction() as session:
        create_person(session, {"email": "ann@contoso.example", "name": "Ann Lee"}, "tester")
        create_person(session, {"email": "bob@contoso.example", "name": "Bob Stone"}, "tester")
        create_person(session, {"email": "cy@contoso.example", "name": "Cy Park"}, "tester")
        app_edits.create_app(session, AppFacts("OPS-1", "Stock Sync",
                                               owners=(Owner("primary", team="Ops Team"),)), "tester")
    return empty_portfolio


def _import(portfolio, tmp_path, text, team=None, name="members.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    read = read_members_file(path, team)
    with portfolio.transaction() as session:
        return import_team_members(session, read, "lead.coe")


def _members(portfolio) -> dict[str, list[tuple[str, str]]]:
    with portfolio.reading() as session:
        return {t.name: [(m.key, m.role) for m in t.members] for t in list_teams(session)}


def test_a_register_adds_members_to_known_and_new_teams_and_reports_the_rest(portfolio, tmp_path):
    done = _import(portfolio, tmp_path, REGISTER)
    assert _members(portfolio) == {"Billing": [("cy@contoso.example", "member")],
                                   "Ops Team": [("ann@contoso.example", "lead"),
                                                ("bob@contoso.example", "member")]}
    assert (done.added, done.teams_added) == (3, ["Billing"])
    assert done.unknown_people == [(5, "zoe@elsewhere.example")]
    assert done.skipped == [(6, "names nobody (no e-mail or name)")]
    with portfolio.reading() as session:
        sources = session.scalars(select(ChangeLogEntry.source)
                                  .where(ChangeLogEntry.entity == "team")).all()
    assert sources == ["import"] * 3

    again = _import(portfolio, tmp_path, REGISTER)
    assert (again.added, again.roles_changed, again.already_there) == (0, 0, 3)


def test_members_make_a_team_owned_app_keep_an_active_owner_until_they_leave(portfolio, tmp_path):
    def flags():
        with portfolio.reading() as session:
            return session.scalar(select(App.flags).where(App.app_id == "OPS-1")) or ""

    assert "builder_gone" in flags()  # a team with no members recorded keeps nothing
    _import(portfolio, tmp_path, "Team,Email\nOps Team,ann@contoso.example\n")
    assert "builder_gone" not in flags() and "single_owner" in flags()
    with portfolio.transaction() as session:
        mark_left(session, "ann@contoso.example", "tester", left_on=date(2026, 9, 30))
    assert "builder_gone" in flags()


def test_a_directory_group_download_is_one_team_named_on_import(portfolio, tmp_path):
    done = _import(portfolio, tmp_path, ENTRA_MEMBERS, team="Ops Team")
    assert done.added == 2 and done.teams_added == []
    assert _members(portfolio)["Ops Team"] == [("ann@contoso.example", "member"),
                                               ("cy@contoso.example", "member")]
    # the group's owners download names the leads: the role changes, nothing is added twice
    owners = ENTRA_MEMBERS.replace("userType", "Membership").replace(",Member,", ",Owner,")
    changed = _import(portfolio, tmp_path, owners, team="Ops Team", name="owners.csv")
    assert (changed.added, changed.roles_changed) == (0, 2)


def test_a_list_without_a_team_or_a_member_column_says_what_to_add(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(ENTRA_MEMBERS, encoding="utf-8")
    with pytest.raises(SheetError, match="no column names the team.*--team NAME"):
        read_members_file(path)
    path.write_text("Team,Department\nOps,Finance\n", encoding="utf-8")
    with pytest.raises(SheetError, match="no column names the member"):
        read_members_file(path, "Ops")


def test_an_app_inventory_is_refused_as_a_membership_list(tmp_path):
    # its Name and Owner team columns would otherwise read as people in teams
    path = tmp_path / "inventory.csv"
    path.write_text("App ID,Name,Platform,Lifecycle,Owner team,Users,Primary owner\n"
                    "A-1,Stock Sync,Power Apps,production,Ops Team,40,ann@contoso.example\n",
                    encoding="utf-8")
    with pytest.raises(SheetError, match="inventory.csv: this is an app inventory.*not a "
                                         "team-membership list"):
        read_members_file(path)


def test_a_list_naming_nobody_in_the_portfolio_is_refused_before_anything_is_written(
        portfolio, tmp_path):
    strangers = "Team,Member,Role\nNew Team,zoe@elsewhere.example,lead\nNew Team,Al Nobody,\n"
    before = _members(portfolio)
    with pytest.raises(SheetError, match="strangers.csv: none of the 2 people it lists is in "
                                         "the portfolio.*import the directory first"):
        _import(portfolio, tmp_path, strangers, name="strangers.csv")
    assert _members(portfolio) == before  # "New Team" was not added for a list adding no one
