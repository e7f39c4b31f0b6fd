"""Handover use cases: marking leavers, stored plans, accepting with undo, checklists."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fusiondesk.core.errors import NotFound, PortfolioError
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.models import App, ChangeLogEntry, HandoverPlanRecord
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.handover.planning import (
    accept_item,
    handed_over,
    mark_leaving,
    mark_left,
    overdue_items,
    plan_for,
    portfolio_ownership,
    refresh_plans_for,
    revert_handover,
    set_checklist,
    upcoming_leavers,
)
from fusiondesk.services.people.edits import create_person, load_person, save_person

TODAY = date(2026, 11, 1)  # conftest's FUSIONDESK_TODAY


def email(name: str) -> str:
    return f"{name}@contoso.example"


@pytest.fixture
def portfolio(empty_portfolio):
    """Ann builds three apps (one with Bob as co-owner); Kim has room for more."""
    people = [("ann", "citizen_developer", 5), ("bob", "citizen_developer", 5),
              ("kim", "citizen_developer", 6), ("pat", "pro_developer", 6)]
    apps = [AppFacts("A-SOLO", "Expense Tracker", department="Finance", platform="Power Apps",
                     last_used=date(2026, 10, 20), owners=(Owner("primary", email("ann")),)),
            AppFacts("A-PAIR", "Budget Sync", department="Finance", platform="Power Apps",
                     last_used=date(2026, 10, 20),
                     owners=(Owner("primary", email("ann")), Owner("co_owner", email("bob")))),
            AppFacts("A-BIG", "Payroll Bridge", department="Finance", users=900,
                     last_used=date(2026, 10, 30), owners=(Owner("primary", email("ann")),))]
    with empty_portfolio.transaction() as session:
        for name, role, capacity in people:
            create_person(session, {"email": email(name), "name": name.title(),
                                    "department": "Finance", "role": role,
                                    "certification": "trained", "capacity": capacity}, "tester")
        for facts in apps:
            app_edits.create_app(session, facts, "tester")
    return empty_portfolio


def _plan(portfolio, who="ann"):
    with portfolio.reading() as session:
        return plan_for(session, email(who))


def _item(plan, app_id):
    return next(i for i in plan.items if i.app_id == app_id)


def _flags(portfolio, app_id):
    with portfolio.reading() as session:
        return (session.scalar(select(App.flags).where(App.app_id == app_id)) or "").split(";")


def _owners(portfolio, app_id):
    with portfolio.reading() as session:
        return {(o.role, o.email) for o in app_edits.load_app(session, app_id).facts.owners}


def test_marking_leaving_logs_the_person_and_stores_a_plan(portfolio):
    with portfolio.transaction() as session:
        marked = mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    assert {(c.field, c.new) for c in marked.changes.changes} == {
        ("status", "leaving"), ("leave_date", date(2026, 11, 30))}
    plan = _plan(portfolio)
    assert plan == marked.plan
    assert (plan.status, plan.leave_date, len(plan.items)) == ("planned", date(2026, 11, 30), 3)
    assert _item(plan, "A-PAIR").covered_by == email("bob")
    assert _item(plan, "A-BIG").action == "migrate_to_prodev"
    assert _item(plan, "A-BIG").successor_email == email("pat")
    assert _item(plan, "A-SOLO").successor_email == email("kim")
    assert all(i.due == date(2026, 11, 25) for i in plan.items)
    with portfolio.reading() as session:
        logged = session.execute(select(ChangeLogEntry.entity, ChangeLogEntry.field)).all()
    assert ("person", "status") in logged and ("handover_plan", "(plan)") in logged


def test_accepting_an_item_changes_the_owner_logs_and_clears_builder_gone(portfolio):
    with portfolio.transaction() as session:
        mark_left(session, email("ann"), "tester")
    assert "builder_gone" in _flags(portfolio, "A-SOLO")
    item = _item(_plan(portfolio), "A-SOLO")
    assert item.triage == "urgent" and item.due == TODAY

    with portfolio.transaction() as session:
        done = accept_item(session, item.id, "tester")

    assert _owners(portfolio, "A-SOLO") == {("primary", email("kim"))}
    assert "builder_gone" not in _flags(portfolio, "A-SOLO")
    after = _item(_plan(portfolio), "A-SOLO")
    assert (after.accepted_on, after.status) == (TODAY, "in_progress")
    assert _plan(portfolio).status == "in_progress"
    with portfolio.reading() as session:
        rows = session.execute(select(ChangeLogEntry.field, ChangeLogEntry.old_value,
                                      ChangeLogEntry.new_value, ChangeLogEntry.source)
                               .where(ChangeLogEntry.source == "handover")).all()
    assert ("primary_owner", email("ann"), email("kim"), "handover") in rows
    assert any(field == "accepted_on" for field, *_ in rows)

    with portfolio.transaction() as session:
        undone = revert_handover(session, done, "tester")
    assert _owners(portfolio, "A-SOLO") == {("primary", email("ann"))}
    assert "builder_gone" in _flags(portfolio, "A-SOLO")
    again = _item(_plan(portfolio), "A-SOLO")
    assert (again.accepted_on, again.status) == (None, "planned")

    with portfolio.transaction() as session:
        revert_handover(session, undone, "tester")  # redo
    assert _owners(portfolio, "A-SOLO") == {("primary", email("kim"))}


def test_plain_app_edits_revert_undoes_the_ownership_change(portfolio):
    with portfolio.transaction() as session:
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    item = _item(_plan(portfolio), "A-PAIR")
    with portfolio.transaction() as session:
        done = accept_item(session, item.id, "tester")
    assert _owners(portfolio, "A-PAIR") == {("primary", email("bob"))}  # the co-owner promoted
    with portfolio.transaction() as session:
        app_edits.revert(session, done, "tester")
    assert _owners(portfolio, "A-PAIR") == {("primary", email("ann")), ("co_owner", email("bob"))}


def test_accepting_with_another_candidate_or_twice(portfolio):
    with portfolio.transaction() as session:
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    item = _item(_plan(portfolio), "A-SOLO")
    with pytest.raises(PortfolioError, match="not in the portfolio"):
        with portfolio.transaction() as session:
            accept_item(session, item.id, "tester", successor="zed@contoso.example")
    with portfolio.transaction() as session:
        accept_item(session, item.id, "tester", successor=email("bob"))
    assert _owners(portfolio, "A-SOLO") == {("primary", email("bob"))}
    with pytest.raises(PortfolioError, match="already accepted"):
        with portfolio.transaction() as session:
            accept_item(session, item.id, "tester")


def test_checklist_ticks_drive_item_and_plan_status_and_undo(portfolio):
    with portfolio.transaction() as session:
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    item = _item(_plan(portfolio), "A-PAIR")
    with portfolio.transaction() as session:
        accept_item(session, item.id, "tester")
    for key in item.checklist:
        with portfolio.transaction() as session:
            last = set_checklist(session, item.id, key, True, "tester")
    assert _item(_plan(portfolio), "A-PAIR").status == "done"
    with portfolio.transaction() as session:
        revert_handover(session, last, "tester")
    undone = _item(_plan(portfolio), "A-PAIR")
    assert undone.status == "in_progress" and not undone.checklist["business_owner_told"]
    with pytest.raises(ValueError, match="not a checklist item"):
        with portfolio.transaction() as session:
            set_checklist(session, item.id, "coffee", True)


def test_refreshing_keeps_progress_and_marking_active_closes_the_plan(portfolio):
    with portfolio.transaction() as session:
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    plan = _plan(portfolio)
    with portfolio.transaction() as session:
        accept_item(session, _item(plan, "A-SOLO").id, "tester")
        set_checklist(session, _item(plan, "A-BIG").id, "knowledge_transfer_held", True)
        refresh_plans_for(session, [email("ann")], "tester")
    refreshed = _plan(portfolio)
    assert {i.app_id for i in refreshed.items} == {"A-SOLO", "A-PAIR", "A-BIG"}
    assert _item(refreshed, "A-BIG").checklist["knowledge_transfer_held"]

    with portfolio.transaction() as session:
        marked = mark_leaving(session, email("ann"), date(2026, 12, 15), "tester")
        revert_handover(session, marked.changes, "tester")  # back to 2026-11-30
        _values, version = load_person(session, email("ann"))
        save_person(session, email("ann"), {"status": "active", "leave_date": None}, version, "tester")
        refresh_plans_for(session, [email("ann")], "tester")
    kept = _plan(portfolio)  # only the items with progress stay
    assert {i.app_id for i in kept.items} == {"A-SOLO", "A-BIG"}


def test_undoing_the_marking_removes_an_untouched_plan(portfolio):
    with portfolio.transaction() as session:
        marked = mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    with portfolio.transaction() as session:
        revert_handover(session, marked.changes, "tester")
    with portfolio.reading() as session:
        assert load_person(session, email("ann"))[0]["status"] == "active"
        assert session.scalar(select(HandoverPlanRecord.id)) is None
        with pytest.raises(NotFound, match="mark them leaving first"):
            plan_for(session, email("ann"))


def test_a_new_leaver_replans_the_plans_that_counted_on_them(portfolio):
    with portfolio.transaction() as session:
        mark_leaving(session, email("bob"), date(2026, 11, 30), "tester")
    assert _item(_plan(portfolio, "bob"), "A-PAIR").covered_by == email("ann")
    with portfolio.transaction() as session:
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
    bobs, anns = _item(_plan(portfolio, "bob"), "A-PAIR"), _item(_plan(portfolio, "ann"), "A-PAIR")
    assert anns.covered_by is None and anns.successor_email == email("kim")
    assert bobs.covered_by is None and bobs.successor_email == email("kim")  # one proposal for both


def test_open_plans_reserve_capacity_for_later_plans(portfolio):
    with portfolio.transaction() as session:
        for name in ("kim", "pat"):
            _values, version = load_person(session, email(name))
            save_person(session, email(name), {"capacity": 1}, version, "tester")
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
        app_edits.create_app(session, AppFacts("B-1", "Leave Tracker", department="Finance",
                                               owners=(Owner("primary", email("bob")),)), "tester")
        mark_leaving(session, email("bob"), date(2026, 12, 30), "tester")
    # each has one place: one app each (an app two leavers shared is one proposal)
    proposed = {(i.app_id, i.successor_email) for n in ("ann", "bob")
                for i in _plan(portfolio, n).items if not i.covered_by and i.successor_email}
    assert sorted(who for _app, who in proposed) == [email("kim"), email("pat")]
    assert _item(_plan(portfolio, "bob"), "B-1").uncovered_why


def test_overdue_items_upcoming_leavers_and_measures(portfolio, monkeypatch):
    with portfolio.transaction() as session:
        mark_leaving(session, email("ann"), date(2026, 11, 10), "tester")
    with portfolio.reading() as session:
        assert overdue_items(session) == []
        late = overdue_items(session, today=date(2026, 11, 6))
        leavers = upcoming_leavers(session, today=date(2026, 11, 6))
        measures = portfolio_ownership(session)
    assert {i.app_id for i in late} == {"A-SOLO", "A-PAIR", "A-BIG"}
    assert [(p.email, p.items, p.done, p.overdue) for p in leavers] == [(email("ann"), 3, 0, 3)]
    assert measures.apps_counted == 3
    assert {a.app_id for a in measures.single_person_dependency} == {"A-SOLO", "A-BIG"}
    # nobody has left: no departed builder's app, so nothing abandoned
    assert (measures.abandonment.numerator, measures.abandonment.denominator) == (0, 0)


def test_handed_over_columns():
    values = {"primary_owner": ("ann@x.io",), "co_owners": ("bob@x.io",), "business_owner": ("ann@x.io",),
              "prodev_partner": ()}
    assert handed_over(values, "ann@x.io", "bob@x.io", "primary") == {
        "primary_owner": ("bob@x.io",), "co_owners": (), "business_owner": (), "prodev_partner": ()}
    assert handed_over(values, "ann@x.io", "kim@x.io", "business_owner")["business_owner"] == ("kim@x.io",)


def test_an_app_two_leavers_shared_takes_one_place_of_its_successor(portfolio):
    with portfolio.transaction() as session:
        _values, version = load_person(session, email("kim"))
        save_person(session, email("kim"), {"capacity": 3}, version, "tester")
        mark_leaving(session, email("ann"), date(2026, 11, 30), "tester")
        mark_leaving(session, email("bob"), date(2026, 11, 30), "tester")  # replans Ann too
    anns, bobs = _plan(portfolio, "ann"), _plan(portfolio, "bob")
    kims = {i.app_id for p in (anns, bobs) for i in p.items if i.successor_email == email("kim")}
    assert _item(bobs, "A-PAIR").successor_email == email("kim") and len(kims) == 2
    with portfolio.transaction() as session:  # Kim has one place left, not none
        create_person(session, {"email": email("cat"), "name": "Cat", "department": "Finance",
                                "role": "citizen_developer", "certification": "trained",
                                "capacity": 5}, "tester")
        app_edits.create_app(session, AppFacts(
            "C-1", "Leave Tracker", department="Finance", platform="Power Apps",
            last_used=date(2026, 10, 20), owners=(Owner("primary", email("cat")),)), "tester")
        mark_leaving(session, email("cat"), date(2026, 12, 30), "tester")
    assert _item(_plan(portfolio, "cat"), "C-1").successor_email == email("kim")
