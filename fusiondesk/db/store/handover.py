"""Handover plans and their items in the database: writing a computed plan, reading a stored one.

A plan is refreshed whenever its leaver's apps or status change, so storing
merges: progress already made (an accepted item, ticked checklist boxes) is
kept, the planning (triage, action, candidates, due date) is brought up to date,
and an untouched item for an app the leaver no longer owns is dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, insert, or_, select
from sqlalchemy.orm import Session, selectinload

from fusiondesk.core.facts import PersonFacts
from fusiondesk.core.handover import (
    CHECKLIST,
    DONE,
    PLANNED,
    HandoverItem,
    HandoverPlan,
    plan_status,
)
from fusiondesk.core.successors import Candidate
from fusiondesk.core.terms import Triage
from fusiondesk.db.models import App, HandoverItemRecord, HandoverPlanRecord, Person
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import insert_rows
from fusiondesk.db.store.people import person_rows

_PLAN, _ITEM = HandoverPlanRecord, HandoverItemRecord
CHECKLIST_FIELD = "checklist."  # an item field 'checklist.KEY' is one box of its checklist


@dataclass(frozen=True)
class StoredItem:
    """One app of a stored plan, with its progress."""

    id: int
    leaver: str
    app_db_id: int
    app_id: str
    name: str
    tier: int | None
    role: str | None
    triage: str
    triage_why: str
    action: str
    action_why: str
    covered_by: str | None
    successor_email: str | None
    candidates: tuple[Candidate, ...]
    status: str
    due: date | None
    checklist: dict[str, bool]
    accepted_on: date | None
    uncovered_why: str | None

    @property
    def accepted(self) -> bool:
        """True once the ownership change was applied."""
        return self.accepted_on is not None

    @property
    def checklist_done(self) -> int:
        """How many checklist boxes are ticked."""
        return sum(self.checklist.values())

    def is_overdue(self, today: date) -> bool:
        """Not done, and the due date has passed."""
        return self.status != DONE and self.due is not None and self.due < today


@dataclass(frozen=True)
class StoredPlan:
    """A leaver's stored handover plan."""

    id: int
    person_email: str
    person_name: str | None
    person_status: str | None
    leave_date: date | None
    created: datetime
    status: str
    items: tuple[StoredItem, ...]

    @property
    def uncovered(self) -> tuple[StoredItem, ...]:
        """Items nobody could be proposed for, still waiting for someone."""
        return tuple(i for i in self.items if i.uncovered_why and not i.successor_email
                     and not i.accepted)

    @property
    def done(self) -> int:
        """How many items are done."""
        return sum(i.status == DONE for i in self.items)

    def overdue(self, today: date) -> tuple[StoredItem, ...]:
        """Items past their due date and not done."""
        return tuple(i for i in self.items if i.is_overdue(today))


# --- writing ----------------------------------------------------------------------------

def store_plans(session: Session, leavers: list[PersonFacts], planned: HandoverPlan,
                db_ids: dict[str, int]) -> list[str]:
    """Write each leaver's computed items over their stored plan (made when there is none).

    Returns the e-mails of the leavers whose plan was made now (for the change log).
    """
    stored = _newest_records(session, [p.email for p in leavers])
    fresh = [p for p in leavers if p.email.lower() not in stored]
    for leaver in leavers:
        plan = stored.get(leaver.email.lower())
        if plan is not None:
            _merge(plan, leaver, planned.items_of(plan.person_email), db_ids)
    session.flush()
    _insert_new(session, fresh, planned, db_ids)
    return [p.email.lower() for p in fresh]


def _insert_new(session: Session, leavers: list[PersonFacts], planned: HandoverPlan,
                db_ids: dict[str, int]) -> None:
    """Plans for leavers who had none, written as rows: an import may bring thousands."""
    if not leavers:
        return
    now = datetime.now()
    plans = [{"person_email": p.email.lower(), "leave_date": p.leave_date, "created": now,
              "status": plan_status([PLANNED] * len(planned.items_of(p.email.lower())))}
             for p in leavers]
    made = session.execute(insert(_PLAN).returning(
        _PLAN.id, _PLAN.person_email, sort_by_parameter_order=True), plans)
    items = []
    for plan_id, email in made:
        for item in sorted(planned.items_of(email), key=lambda i: i.app_id):
            items.append({"plan_id": plan_id, "app_id": db_ids[item.app_id], "status": PLANNED,
                          "checklist": json.dumps(item.checklist), **_item_columns(item)})
    insert_rows(session, _ITEM.__table__, items)


def _merge(plan: HandoverPlanRecord, leaver: PersonFacts, items: tuple[HandoverItem, ...],
           db_ids: dict[str, int]) -> None:
    plan.leave_date = leaver.leave_date
    computed = {db_ids[i.app_id]: i for i in items}
    for record in list(plan.items):
        if record.accepted_on is not None or record.status == DONE:
            computed.pop(record.app_id, None)  # progress made is never planned over
        elif record.app_id in computed:
            _write_item(record, computed.pop(record.app_id))
        else:  # the leaver no longer owns the app and nothing was done on it
            plan.items.remove(record)
    for db_id, item in sorted(computed.items(), key=lambda kv: kv[1].app_id):
        record = _ITEM(app_id=db_id, status=PLANNED, checklist=json.dumps(item.checklist))
        _write_item(record, item)
        plan.items.append(record)
    _update_status(plan)


def _write_item(record: HandoverItemRecord, item: HandoverItem) -> None:
    for name, value in _item_columns(item).items():
        setattr(record, name, value)


def _item_columns(item: HandoverItem) -> dict[str, object]:
    """The planning columns of an item record (its progress columns are left alone)."""
    return {
        "triage": item.triage, "action": item.action, "role": item.role,
        "covered_by": item.covered_by, "successor_email": item.successor, "due": item.due,
        "detail": json.dumps({
            "triage_why": item.triage_why, "action_why": item.action_why,
            "uncovered_why": item.uncovered_why,
            "candidates": [{"email": c.email, "score": c.score, "reasons": list(c.reasons)}
                           for c in item.candidates],
        }),
    }


def _update_status(plan: HandoverPlanRecord) -> None:
    plan.status = plan_status([i.status for i in plan.items])


def close_plan(session: Session, email: str) -> str | None:
    """A person is staying after all: drop what was only planned, keep what was done.

    Returns the plan's e-mail when nothing was left of it and it was removed.
    """
    plan = _newest_records(session, [email]).get(email.lower())
    if plan is None or plan.status == DONE:
        return None
    for record in [r for r in plan.items if r.accepted_on is None and r.status == PLANNED]:
        plan.items.remove(record)
    removed = None
    if plan.items:
        _update_status(plan)
    else:
        session.delete(plan)
        removed = plan.person_email
    session.flush()
    return removed


def set_item_fields(session: Session, fields: list[tuple[int, str, object]]) -> bool:
    """Write (item id, field, value) in order, a `checklist.KEY` field inside the item's
    checklist, and bring their plans' status in line; False when an item no longer exists."""
    plans = {}
    for item_id, name, value in fields:
        record = session.get(_ITEM, item_id)
        if record is None:
            return False
        if name.startswith(CHECKLIST_FIELD):
            checklist = json.loads(record.checklist)
            checklist[name.removeprefix(CHECKLIST_FIELD)] = value
            record.checklist = json.dumps(checklist)
        else:
            setattr(record, name, value)
        plans[record.plan_id] = record.plan
    for plan in plans.values():
        _update_status(plan)
    session.flush()
    return True


# --- reading ----------------------------------------------------------------------------

def _newest_records(session: Session, emails: list[str]) -> dict[str, HandoverPlanRecord]:
    """Many people's current plan records with their items, in a few queries."""
    found: dict[str, HandoverPlanRecord] = {}
    for group in chunks(sorted({e.lower() for e in emails})):
        query = (select(_PLAN).where(_PLAN.person_email.in_(group))
                 .options(selectinload(_PLAN.items)).order_by(_PLAN.id))
        for plan in session.scalars(query):
            found[plan.person_email] = plan  # ordered by id: the newest is kept
    return found


def newest_plans(session: Session, emails: list[str]) -> dict[str, StoredPlan]:
    """Many people's current (newest) plans with their items, by lower-case e-mail."""
    records = _newest_records(session, emails)
    return dict(zip(records, _read_plans(session, list(records.values()))))


def _read_plans(session: Session, plans: list[HandoverPlanRecord]) -> list[StoredPlan]:
    """Stored plans with their items (people and apps looked up together)."""
    people: dict[str, tuple] = {}
    for group in chunks(sorted({p.person_email for p in plans})):
        people.update((p.values["email"], (p.values["name"], p.values["status"]))
                      for p in person_rows(session, where=Person.email.in_(group), ordered=False))
    apps: dict[int, tuple] = {}
    for group in chunks(sorted({i.app_id for p in plans for i in p.items})):
        apps.update((row[0], row[1:]) for row in session.execute(
            select(App.id, App.app_id, App.name, App.tier).where(App.id.in_(group))))
    return [_stored(plan, people.get(plan.person_email, (None, None)), apps) for plan in plans]


def _stored(plan: HandoverPlanRecord, person: tuple, apps: dict[int, tuple]) -> StoredPlan:
    items = sorted((_read_item(record, plan.person_email, apps[record.app_id])
                    for record in plan.items), key=_work_order)
    return StoredPlan(plan.id, plan.person_email, person[0], person[1], plan.leave_date,
                      plan.created, plan.status, tuple(items))


def _read_item(record: HandoverItemRecord, leaver: str, app: tuple) -> StoredItem:
    """One item record as a StoredItem; `app` is (app_id, name, tier)."""
    detail = json.loads(record.detail or "{}")
    candidates = tuple(Candidate(c["email"], c["score"], tuple(c["reasons"]))
                       for c in detail.get("candidates", ()))
    checklist = json.loads(record.checklist or "{}")
    return StoredItem(
        record.id, leaver, record.app_id, app[0], app[1], app[2], record.role, record.triage,
        detail.get("triage_why", ""), record.action, detail.get("action_why", ""),
        record.covered_by, record.successor_email, candidates, record.status, record.due,
        {key: bool(checklist.get(key)) for key in CHECKLIST}, record.accepted_on,
        detail.get("uncovered_why"),
    )


_TRIAGE_ORDER = {triage: order for order, triage in enumerate(Triage)}


def _work_order(item: StoredItem) -> tuple:
    return (_TRIAGE_ORDER.get(item.triage, 9), -(item.tier or 0), item.name.casefold(), item.app_id)


def _items_with_apps():
    return (select(_ITEM, _PLAN.person_email, App.app_id, App.name, App.tier)
            .join(_PLAN, _ITEM.plan_id == _PLAN.id).join(App, App.id == _ITEM.app_id))


def read_item(session: Session, item_id: int) -> StoredItem | None:
    """One item with its leaver and app, or None when it no longer exists."""
    for record, leaver, app_id, name, tier in session.execute(
            _items_with_apps().where(_ITEM.id == item_id)):
        return _read_item(record, leaver, (app_id, name, tier))
    return None


def overdue_items(session: Session, today: date) -> list[StoredItem]:
    """Items past their due date and not done, earliest due first."""
    query = (_items_with_apps().where(_ITEM.status != DONE, _ITEM.due < today)
             .order_by(_ITEM.due, _PLAN.person_email, App.app_id))
    return [_read_item(record, leaver, (app_id, name, tier))
            for record, leaver, app_id, name, tier in session.execute(query)]


def plan_progress(session: Session, today: date) -> dict[str, tuple[str, int, int, int]]:
    """Per person, their newest plan's (status, items, done, overdue), counted in SQL."""
    done = func.coalesce(func.sum(case((_ITEM.status == DONE, 1), else_=0)), 0)
    late = func.coalesce(func.sum(case(((_ITEM.status != DONE) & (_ITEM.due < today), 1),
                                       else_=0)), 0)
    query = (select(_PLAN.person_email, _PLAN.status, func.count(_ITEM.id), done, late)
             .outerjoin(_ITEM, _ITEM.plan_id == _PLAN.id)
             .group_by(_PLAN.id).order_by(_PLAN.id))
    return {email: tuple(rest) for email, *rest in session.execute(query)}  # newest wins


def counting_on(session: Session, emails: list[str]) -> set[str]:
    """Leavers whose open plans propose one of `emails` to cover or take over an app."""
    found: set[str] = set()
    for group in chunks(emails):
        found.update(session.scalars(
            select(_PLAN.person_email).distinct()
            .join(_ITEM, _ITEM.plan_id == _PLAN.id)
            .where(_PLAN.status != DONE, _ITEM.accepted_on.is_(None),
                   or_(_ITEM.successor_email.in_(group), _ITEM.covered_by.in_(group)))))
    return found


def proposed_takeovers(session: Session) -> list[tuple[str, str, int]]:
    """(leaver, successor, app database id) for what open items propose and nobody accepted yet."""
    query = (
        select(_PLAN.person_email, _ITEM.successor_email, _ITEM.app_id)
        .join(_PLAN, _ITEM.plan_id == _PLAN.id)
        .where(_ITEM.accepted_on.is_(None), _ITEM.covered_by.is_(None),
               _ITEM.successor_email.is_not(None))
    )
    return [tuple(row) for row in session.execute(query)]
