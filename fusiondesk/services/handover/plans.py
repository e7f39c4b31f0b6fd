"""Handover plans in the database: writing a computed plan, reading a stored one.

A plan is refreshed whenever its leaver's apps or status change, so storing
merges: progress already made (an accepted item, ticked checklist boxes) is
kept, the planning (triage, action, candidates, due date) is brought up to date,
and an untouched item for an app the leaver no longer owns is dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from fusiondesk.core.facts import PersonFacts
from fusiondesk.core.handover import (
    CHECKLIST,
    DONE,
    IN_PROGRESS,
    PLANNED,
    HandoverItem,
    HandoverPlan,
)
from fusiondesk.core.successors import Candidate
from fusiondesk.core.terms import Entity, Existence, Source, Triage
from fusiondesk.db.models import App, HandoverItemRecord, HandoverPlanRecord, Person
from fusiondesk.db.store.chunks import chunks
from fusiondesk.services.changes import FieldChange, executemany, log_changes


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


def item_status(accepted: bool, checklist: dict[str, bool]) -> str:
    """Done when accepted with every box ticked; in progress once anything happened."""
    if accepted and all(checklist.get(key) for key in CHECKLIST):
        return DONE
    return IN_PROGRESS if accepted or any(checklist.values()) else PLANNED


def plan_status(statuses: list[str]) -> str:
    """A plan is done when every item is (or it has none), in progress once any item moved."""
    if all(s == DONE for s in statuses):
        return DONE
    return IN_PROGRESS if any(s != PLANNED for s in statuses) else PLANNED


def newest_plan(session: Session, email: str) -> HandoverPlanRecord | None:
    """A person's current plan record (the newest), if any."""
    return newest_plans(session, [email]).get(email.lower())


def newest_plans(session: Session, emails: list[str]) -> dict[str, HandoverPlanRecord]:
    """Many people's current plan records with their items, in a few queries."""
    found: dict[str, HandoverPlanRecord] = {}
    for group in chunks(sorted({e.lower() for e in emails})):
        query = (select(HandoverPlanRecord).where(HandoverPlanRecord.person_email.in_(group))
                 .options(selectinload(HandoverPlanRecord.items)).order_by(HandoverPlanRecord.id))
        for plan in session.scalars(query):
            found[plan.person_email] = plan  # ordered by id: the newest is kept
    return found


def update_plan_status(plan: HandoverPlanRecord) -> None:
    """Bring a plan's status in line with its items."""
    plan.status = plan_status([i.status for i in plan.items])


# --- writing ----------------------------------------------------------------------------

def store_plans(session: Session, leavers: list[PersonFacts], planned: HandoverPlan,
                db_ids: dict[str, int], who: str) -> None:
    """Write each leaver's computed items over their stored plan (made when there is none)."""
    stored = newest_plans(session, [p.email for p in leavers])
    fresh = [p for p in leavers if p.email.lower() not in stored]
    for leaver in leavers:
        plan = stored.get(leaver.email.lower())
        if plan is not None:
            _merge(plan, leaver, planned.items_of(plan.person_email), db_ids)
    session.flush()
    _insert_new(session, fresh, planned, db_ids)
    log_changes(session, [FieldChange(Entity.HANDOVER_PLAN, p.email.lower(), "(plan)", None,
                                      Existence.CREATED) for p in fresh], who, Source.HANDOVER)


def _insert_new(session: Session, leavers: list[PersonFacts], planned: HandoverPlan,
                db_ids: dict[str, int]) -> None:
    """Plans for leavers who had none, written as rows: an import may bring thousands."""
    if not leavers:
        return
    now = datetime.now()
    plans = [{"person_email": p.email.lower(), "leave_date": p.leave_date, "created": now,
              "status": plan_status([PLANNED] * len(planned.items_of(p.email.lower())))}
             for p in leavers]
    made = session.execute(insert(HandoverPlanRecord).returning(
        HandoverPlanRecord.id, HandoverPlanRecord.person_email, sort_by_parameter_order=True),
        plans)
    items = []
    for plan_id, email in made:
        for item in sorted(planned.items_of(email), key=lambda i: i.app_id):
            items.append({"plan_id": plan_id, "app_id": db_ids[item.app_id], "status": PLANNED,
                          "checklist": json.dumps(item.checklist), **_item_columns(item)})
    executemany(session, HandoverItemRecord, items)


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
        record = HandoverItemRecord(app_id=db_id, status=PLANNED,
                                    checklist=json.dumps(item.checklist))
        _write_item(record, item)
        plan.items.append(record)
    update_plan_status(plan)


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


def close_plan(session: Session, email: str, who: str) -> None:
    """A person is staying after all: drop what was only planned, keep what was done."""
    plan = newest_plan(session, email)
    if plan is None or plan.status == DONE:
        return
    for record in [r for r in plan.items if r.accepted_on is None and r.status == PLANNED]:
        plan.items.remove(record)
    if plan.items:
        update_plan_status(plan)
    else:
        session.delete(plan)
        log_changes(session, [FieldChange(Entity.HANDOVER_PLAN, plan.person_email, "(plan)",
                                          Existence.EXISTS, Existence.DELETED)],
                    who, Source.HANDOVER, "no longer leaving")
    session.flush()


# --- reading ----------------------------------------------------------------------------

def read_plan(session: Session, plan: HandoverPlanRecord) -> StoredPlan:
    """A stored plan with its items, in the order a person works through them."""
    return read_plans(session, [plan])[0]


def read_plans(session: Session, plans: list[HandoverPlanRecord]) -> list[StoredPlan]:
    """Stored plans with their items (people and apps looked up together)."""
    people: dict[str, tuple] = {}
    for group in chunks(sorted({p.person_email for p in plans})):
        people.update((row[0], row[1:]) for row in session.execute(
            select(Person.email, Person.name, Person.status).where(Person.email.in_(group))))
    apps: dict[int, tuple] = {}
    for group in chunks(sorted({i.app_id for p in plans for i in p.items})):
        apps.update((row[0], row[1:]) for row in session.execute(
            select(App.id, App.app_id, App.name, App.tier).where(App.id.in_(group))))
    return [_stored(plan, people.get(plan.person_email, (None, None)), apps) for plan in plans]


def _stored(plan: HandoverPlanRecord, person: tuple, apps: dict[int, tuple]) -> StoredPlan:
    items = sorted((read_item(record, plan.person_email, apps[record.app_id])
                    for record in plan.items), key=_work_order)
    return StoredPlan(plan.id, plan.person_email, person[0], person[1], plan.leave_date,
                      plan.created, plan.status, tuple(items))


def read_item(record: HandoverItemRecord, leaver: str, app: tuple) -> StoredItem:
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
