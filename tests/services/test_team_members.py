"""Teams with members: a team-owned app has an active owner only while a member is active;
membership changes are logged, undoable, and move the warning signs and handover plans."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fusiondesk.core.errors import NotFound
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.core.validation import InvalidValues
from fusiondesk.db.models import App, ChangeLogEntry
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.handover.planning import (
    mark_leaving,
    mark_left,
    plan_for,
    portfolio_ownership,
)
from fusiondesk.services.people.edits import (
    create_person,
    delete_person,
    load_person,
    revert_person,
    save_person,
)
from fusiondesk.services.people.teams import (
    add_member,
    list_teams,
    remove_member,
    revert_team_change,
    set_member_role,
)


def email(name: str) -> str:
    return f"{name}@contoso.example"


@pytest.fixture
def portfolio(empty_portfolio):
    """The Ops team (Ann, lead, and Bob) owns OPS-1 alone; Kim has room to take apps over."""
    with empty_portfolio.transaction() as session:
        for name in ("ann", "bob", "kim"):
            create_person(session, {"email": email(name), "name": name.title(),
                                    "department": "Finance", "role": "citizen_developer",
                                    "certification": "trained", "capacity": 6}, "tester")
        app_edits.create_app(session, AppFacts("OPS-1", "Stock Sync", department="Finance",
                                               platform="Power Apps", last_used=date(2026, 10, 20),
                                               owners=(Owner("primary", team="Ops"),)), "tester")
        add_member(session, "Ops", email("ann"), "lead", "tester")
        add_member(session, "Ops", email("bob"), "member", "tester")
    return empty_portfolio


def _flags(portfolio, app_id="OPS-1") -> set[str]:
    with portfolio.reading() as session:
        stored = session.scalar(select(App.flags).where(App.app_id == app_id)) or ""
    return set(stored.split(";")) - {""}


def _team(portfolio, name="Ops"):
    with portfolio.reading() as session:
        return next(t for t in list_teams(session) if t.name == name)


def _leave(portfolio, name: str) -> None:
    with portfolio.transaction() as session:
        mark_left(session, email(name), "tester", left_on=date(2026, 9, 30))


def test_a_team_is_orphaned_when_its_last_active_member_leaves(portfolio):
    team = _team(portfolio)
    assert [(m.key, m.role) for m in team.members] == [(email("ann"), "lead"), (email("bob"), "member")]
    assert (team.active_members, team.apps_owned, team.standing) == (2, 1, "covered")
    assert not {"builder_gone", "single_owner"} & _flags(portfolio)

    _leave(portfolio, "bob")  # a member's status reclassifies the team's apps
    assert _team(portfolio).standing == "single_member"
    assert "single_owner" in _flags(portfolio) and "builder_gone" not in _flags(portfolio)

    _leave(portfolio, "ann")
    assert _team(portfolio).standing == "orphaned"
    assert "builder_gone" in _flags(portfolio)
    with portfolio.reading() as session:
        measures = portfolio_ownership(session)
    assert [a.app_id for a in measures.no_active_owner] == ["OPS-1"]
    # the abandonment rate counts the team's app among its departed builders' apps
    left = measures.abandonment
    assert (left.numerator, left.denominator, left.by_quarter) == (1, 1, (("2026-Q3", 1, 1),))


def test_membership_changes_are_logged_undoable_and_move_the_signs(portfolio):
    _leave(portfolio, "bob")
    with portfolio.transaction() as session:
        done = remove_member(session, "Ops", email("ann"), "lead.coe")
    assert "builder_gone" in _flags(portfolio)  # only Bob, who left, is still in it
    assert "OPS-1" in {c.key for c in done.changes if c.entity == "app"}  # views refresh it
    with portfolio.transaction() as session:
        revert_team_change(session, done, "lead.coe")
    assert [(m.key, m.role) for m in _team(portfolio).members][0] == (email("ann"), "lead")
    assert "single_owner" in _flags(portfolio)
    with portfolio.reading() as session:
        rows = session.execute(select(ChangeLogEntry.entity, ChangeLogEntry.entity_key,
                                      ChangeLogEntry.field, ChangeLogEntry.old_value,
                                      ChangeLogEntry.new_value, ChangeLogEntry.source)
                               .where(ChangeLogEntry.entity == "team")
                               .order_by(ChangeLogEntry.id)).all()
    assert rows[-2:] == [
        ("team", "Ops", "member", "ann@contoso.example (Team lead)", None, "edit"),
        ("team", "Ops", "member", None, "ann@contoso.example (Team lead)", "undo")]


def test_a_role_change_is_undone_to_the_role_before(portfolio):
    with portfolio.transaction() as session:
        done = set_member_role(session, "Ops", email("bob"), "lead", "tester")
    assert {m.key: m.role for m in _team(portfolio).members}[email("bob")] == "lead"
    with portfolio.transaction() as session:
        revert_team_change(session, done, "tester")
    assert {m.key: m.role for m in _team(portfolio).members}[email("bob")] == "member"


def test_refusals_leave_the_team_as_it_was(portfolio):
    with portfolio.transaction() as session, pytest.raises(InvalidValues, match="already a member"):
        add_member(session, "Ops", email("ann"), "member", "tester")
    with portfolio.transaction() as session, pytest.raises(NotFound, match="not a member"):
        remove_member(session, "Ops", email("kim"), "tester")
    with portfolio.transaction() as session, pytest.raises(NotFound, match="No team named"):
        add_member(session, "Nobody's Team", email("kim"), "member", "tester")
    with portfolio.transaction() as session, pytest.raises(InvalidValues, match="not a team role"):
        add_member(session, "Ops", email("kim"), "boss", "tester")
    assert len(_team(portfolio).members) == 2


def test_deleting_a_member_takes_them_out_and_undo_puts_them_back(portfolio):
    with portfolio.transaction() as session:
        done = delete_person(session, email("bob"), "tester")
    assert [m.key for m in _team(portfolio).members] == [email("ann")]
    assert "single_owner" in _flags(portfolio)
    with portfolio.transaction() as session:
        revert_person(session, done, "tester")
    assert [(m.key, m.role) for m in _team(portfolio).members][1] == (email("bob"), "member")
    assert "single_owner" not in _flags(portfolio)


def test_the_last_member_leaving_hands_the_teams_apps_over_and_a_new_member_takes_them_off(portfolio):
    _leave(portfolio, "bob")
    with portfolio.transaction() as session:
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    (item,) = _items(portfolio, "ann")
    assert item.app_id == "OPS-1" and item.covered_by is None
    assert item.successor_email == email("kim")  # proposed: staying, with room
    with portfolio.transaction() as session:
        add_member(session, "Ops", email("kim"), "member", "tester")
    # Kim stays, so the team covers its app again: Ann's plan has nothing left to hand over
    assert _items(portfolio, "ann") == ()
    assert "builder_gone" not in _flags(portfolio)


def _items(portfolio, who: str):
    with portfolio.reading() as session:
        return plan_for(session, email(who)).items


def test_a_person_staying_in_status_edits_keeps_their_team(portfolio):
    with portfolio.transaction() as session:
        _values, version = load_person(session, email("bob"))
        save_person(session, email("bob"), {"department": "HR"}, version, "tester")
    assert _team(portfolio).active_members == 2
