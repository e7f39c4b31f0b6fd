"""Use cases of the ownership handover: mark someone leaving, plan, accept, tick, measure.

Marking a person leaving or left (from the People view, the CLI or an import)
stores a handover plan for every app they own. Accepting an item changes the
app's owners through `app_edits`, so it is logged, reclassified at once (the
builder-gone flag clears) and undoable; `revert_handover` undoes any change set
these use cases return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.errors import NotFound, PortfolioError
from fusiondesk.core.facts import AppFacts, PersonFacts
from fusiondesk.core.fields import OWNER_COLUMNS
from fusiondesk.core.handover import CHECKLIST, DONE, plan_handover
from fusiondesk.core.memory import paused_gc
from fusiondesk.core.ownership import OwnershipMeasures, ownership_measures
from fusiondesk.core.terms import (
    LEAVER_STATUSES,
    Entity,
    OwnerRole,
    PersonStatus,
    Source,
    is_staying,
)
from fusiondesk.core.tiers import classify
from fusiondesk.db.models import (
    App,
    HandoverItemRecord,
    HandoverPlanRecord,
    Ownership,
    Person,
)
from fusiondesk.db.store.apps import load_facts
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import raw_rows
from fusiondesk.db.store.ownership import read_owners
from fusiondesk.db.store.people import read_people_by_id
from fusiondesk.services import clock
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.handover.plans import (
    StoredItem,
    StoredPlan,
    close_plan,
    item_status,
    newest_plan,
    newest_plans,
    read_item,
    read_plan,
    read_plans,
    store_plans,
    update_plan_status,
)
from fusiondesk.services.people.edits import load_person, revert_person, save_person

ITEM = Entity.HANDOVER_ITEM  # change-log entity of plan items
_COLUMN_OF_ROLE = {role: column for column, role in OWNER_COLUMNS.items()}
_BUILDER_COLUMNS = ("primary_owner", "co_owners", "prodev_partner")


@dataclass(frozen=True)
class Marked:
    """What marking a person leaving or left changed, and the plan it produced."""

    changes: ChangeSet
    plan: StoredPlan


@dataclass(frozen=True)
class LeaverProgress:
    """A person leaving (or gone with work open), and how far their handover has got."""

    email: str
    name: str | None
    department: str | None
    status: str
    leave_date: date | None
    plan_status: str | None
    items: int
    done: int
    overdue: int


# --- marking people leaving ------------------------------------------------------------

def mark_leaving(session: Session, email: str, leave_date: date, who: str) -> Marked:
    """Mark a person leaving on `leave_date` (logged, undoable) and plan their apps."""
    return _mark(session, email, {"status": PersonStatus.LEAVING, "leave_date": leave_date}, who)


def mark_left(session: Session, email: str, who: str, left_on: date | None = None) -> Marked:
    """Mark a person gone (their leave date kept, else today) and plan their apps, due today."""
    values, _ = load_person(session, email)
    today, recorded = clock.today(), values.get("leave_date")
    # a leave date still ahead is no longer true of someone who has gone
    when = left_on or (recorded if recorded and recorded <= today else today)
    return _mark(session, email, {"status": PersonStatus.LEFT, "leave_date": when}, who)


def _mark(session: Session, email: str, changes: dict, who: str) -> Marked:
    values, version = load_person(session, email)
    done = save_person(session, values["email"], changes, version, who,
                       detail="marked for handover")
    plan = refresh_plans_for(session, [values["email"]], who)[0]
    return Marked(done, plan)


def refresh_plans_for(session: Session, emails: Iterable[str], who: str,
                      read_back: bool = True) -> list[StoredPlan]:
    """(Re)plan everyone named who is leaving or left, together; close the plans of those staying.

    For the import service: call it with the e-mails whose status changed. Open plans
    that counted on any of these people to take over are planned again with them.
    The stored plans of the people named are returned unless `read_back` is False.
    """
    wanted = sorted({e.strip().lower() for e in emails})
    leaving = replan(session, wanted, who)
    if not read_back or not leaving:  # an import only stores them; reading 4,000 back costs seconds
        return []
    stored = newest_plans(session, [e for e in wanted if e in leaving])
    return read_plans(session, [stored[e] for e in wanted if e in stored])


def replan(session: Session, emails: Iterable[str], who: str) -> set[str]:
    """Store the plans `refresh_plans_for` describes; the e-mails of the leavers planned."""
    # After a 100,000-row import the heap is large (the import's plan is still held), and
    # the facts, items and rows built here would trigger full collections of all of it:
    # 1.4 of 5.6 s for 4,200 leavers. Reference counting frees what they leave.
    with paused_gc():
        return _replan(session, emails, who)


def _replan(session: Session, emails: Iterable[str], who: str) -> set[str]:
    wanted = sorted({e.strip().lower() for e in emails})
    people, email_of = _people(session)
    by_email = {p.email: p for p in people}
    for email in wanted:
        if email in by_email and by_email[email].status not in LEAVER_STATUSES:
            close_plan(session, email, who)
    involved = sorted(set(wanted) | _counting_on(session, wanted))
    leavers = [by_email[e] for e in involved if e in by_email
               and by_email[e].status in LEAVER_STATUSES]
    if not leavers:
        return set()
    leaving = {p.email for p in leavers}
    facts = load_facts(session, _apps_of(session, sorted(leaving)))
    policy, today = policy_in_force(session), clock.today()
    classes = {f.app_id: classify(f, policy, today) for f in facts.values()}
    plan = plan_handover(leavers, list(facts.values()), people, policy, today, classes,
                         apps_owned=_load(session, leaving, email_of))
    db_ids = {f.app_id: db_id for db_id, f in facts.items()}
    store_plans(session, leavers, plan, db_ids, who)
    return leaving


def _people(session: Session) -> tuple[list[PersonFacts], dict[int, str]]:
    """Everyone as facts, and e-mails by person id."""
    by_id = read_people_by_id(session)
    return list(by_id.values()), {person_id: p.email for person_id, p in by_id.items()}


def _apps_of(session: Session, emails: list[str]) -> list[int]:
    """Database ids of every app any of these people owns, in any role."""
    found: set[int] = set()
    for group in chunks(emails):
        found.update(session.scalars(select(Ownership.app_id).join(
            Person, Ownership.person_id == Person.id).where(Person.email.in_(group))))
    return sorted(found)


def _counting_on(session: Session, emails: list[str]) -> set[str]:
    """Leavers whose open plans propose one of `emails` to cover or take over an app."""
    found: set[str] = set()
    for group in chunks(emails):
        found.update(session.scalars(
            select(HandoverPlanRecord.person_email).distinct()
            .join(HandoverItemRecord, HandoverItemRecord.plan_id == HandoverPlanRecord.id)
            .where(HandoverPlanRecord.status != DONE, HandoverItemRecord.accepted_on.is_(None),
                   or_(HandoverItemRecord.successor_email.in_(group),
                       HandoverItemRecord.covered_by.in_(group)))))
    return found


def _load(session: Session, leaving: set[str], email_of: dict[int, str]) -> dict[str, int]:
    """Apps each person owns, plus those other leavers' open plans already propose to them."""
    owned = (select(Ownership.person_id, func.count(func.distinct(Ownership.app_id)))
             .where(Ownership.person_id.is_not(None)).group_by(Ownership.person_id))
    load = {email_of[person_id]: count for person_id, count in session.execute(owned)}
    proposed = (
        select(HandoverPlanRecord.person_email, HandoverItemRecord.successor_email, func.count())
        .join(HandoverPlanRecord, HandoverItemRecord.plan_id == HandoverPlanRecord.id)
        .where(HandoverItemRecord.accepted_on.is_(None), HandoverItemRecord.covered_by.is_(None),
               HandoverItemRecord.successor_email.is_not(None))
        .group_by(HandoverPlanRecord.person_email, HandoverItemRecord.successor_email)
    )
    for leaver, email, count in session.execute(proposed):
        if leaver not in leaving:  # being planned again now: their proposals are redone
            load[email] = load.get(email, 0) + count
    return load


def revert_handover(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo what a handover use case did (marking, accepting, ticking); a revert of a revert redoes."""
    again = ChangeSet()
    people = done.keys(Entity.PERSON)
    if people:
        again.extend(revert_person(session, done, who))
        refresh_plans_for(session, people, who)
    app_part = [c for c in done.changes if c.entity == Entity.APP]
    if app_part:
        again.extend(app_edits.revert(session, ChangeSet(app_part, done.versions), who))
    item_part = [c for c in done.changes if c.entity == ITEM]
    if item_part:
        again.extend(_set_item_fields(session, [FieldChange(c.entity, c.key, c.field, c.new, c.old)
                                                for c in reversed(item_part)], who, Source.UNDO))
    return again


# --- reading plans -----------------------------------------------------------------------

def plan_for(session: Session, email: str) -> StoredPlan:
    """A person's stored handover plan with its items."""
    plan = newest_plan(session, email.strip().lower())
    if plan is None:
        load_person(session, email)  # an unknown e-mail is told as such, not as "no plan"
        raise NotFound(f"{email} has no handover plan; mark them leaving first "
                       f"(fusiondesk handover {email} --leaving YYYY-MM-DD).")
    return read_plan(session, plan)


def overdue_items(session: Session, today: date | None = None) -> list[StoredItem]:
    """Items past their due date and not done, earliest due first."""
    today = today or clock.today()
    item = HandoverItemRecord
    query = (select(item, HandoverPlanRecord.person_email, App.app_id, App.name, App.tier)
             .join(HandoverPlanRecord, item.plan_id == HandoverPlanRecord.id)
             .join(App, App.id == item.app_id)
             .where(item.status != DONE, item.due < today)
             .order_by(item.due, HandoverPlanRecord.person_email, App.app_id))
    return [read_item(record, leaver, (app_id, name, tier))
            for record, leaver, app_id, name, tier in session.execute(query)]


def upcoming_leavers(session: Session, today: date | None = None) -> list[LeaverProgress]:
    """People leaving, and people gone whose plan is still open, with their plan's progress."""
    today = today or clock.today()
    progress = _plan_progress(session, today)
    people = session.execute(select(Person.email, Person.name, Person.department, Person.status,
                                    Person.leave_date)
                             .where(Person.status.in_(LEAVER_STATUSES))).all()
    found = []
    for email, name, department, status, leave_date in people:
        plan_status, items, done, late = progress.get(email, (None, 0, 0, 0))
        if status == PersonStatus.LEFT and plan_status in (None, DONE):
            continue  # gone and handed over: no longer upcoming
        found.append(LeaverProgress(email, name, department, status, leave_date, plan_status,
                                    items, done, late))
    return sorted(found, key=lambda p: (p.leave_date is None, p.leave_date or today, p.email))


def _plan_progress(session: Session, today: date) -> dict[str, tuple[str, int, int, int]]:
    """Per person, their newest plan's (status, items, done, overdue), counted in SQL."""
    item = HandoverItemRecord
    done = func.coalesce(func.sum(case((item.status == DONE, 1), else_=0)), 0)
    late = func.coalesce(func.sum(case(((item.status != DONE) & (item.due < today), 1), else_=0)), 0)
    query = (select(HandoverPlanRecord.person_email, HandoverPlanRecord.status, func.count(item.id),
                    done, late)
             .outerjoin(item, item.plan_id == HandoverPlanRecord.id)
             .group_by(HandoverPlanRecord.id).order_by(HandoverPlanRecord.id))
    return {email: tuple(rest) for email, *rest in session.execute(query)}  # newest wins


# --- accepting and ticking ---------------------------------------------------------------

def accept_item(session: Session, item_id: int, who: str, successor: str | None = None) -> ChangeSet:
    """Apply an item's ownership change (to `successor` when given): logged, undoable."""
    record = _item(session, item_id)
    if record.accepted_on is not None:
        raise PortfolioError("This handover item was already accepted; undo it to choose again.")
    leaver = record.plan.person_email
    chosen = _successor(session, record, successor)
    app_id = session.scalar(select(App.app_id).where(App.id == record.app_id))
    stored = app_edits.load_app(session, app_id)
    owners = handed_over(stored.values, leaver, chosen, record.role or OwnerRole.PRIMARY)
    done = app_edits.save_app(session, app_id, owners, stored.version, who,
                              source=Source.HANDOVER,
                              detail=f"handover from {leaver}")
    checklist = json.loads(record.checklist)
    changes = [FieldChange(ITEM, str(item_id), "accepted_on", None, clock.today()),
               FieldChange(ITEM, str(item_id), "successor_email", record.successor_email, chosen),
               FieldChange(ITEM, str(item_id), "status", record.status,
                           item_status(True, checklist))]
    done.extend(_set_item_fields(session, changes, who, Source.HANDOVER))
    return done


def set_checklist(session: Session, item_id: int, key: str, done: bool,
                  who: str = "fusiondesk") -> ChangeSet:
    """Tick or untick one checklist box of an item (logged, undoable)."""
    if key not in CHECKLIST:
        raise ValueError(f"'{key}' is not a checklist item; use one of {', '.join(CHECKLIST)}.")
    record = _item(session, item_id)
    checklist = json.loads(record.checklist)
    before = bool(checklist.get(key))
    if before == done:
        return ChangeSet()
    checklist[key] = done
    status = item_status(record.accepted_on is not None, checklist)
    changes = [FieldChange(ITEM, str(item_id), f"checklist.{key}", before, done)]
    if status != record.status:
        changes.append(FieldChange(ITEM, str(item_id), "status", record.status, status))
    return _set_item_fields(session, changes, who, Source.HANDOVER)


def handed_over(values: dict, leaver: str, successor: str | None, role: str) -> dict:
    """The owner columns once `leaver` hands an app to `successor`, who takes `role`."""
    columns = {c: [e for e in values.get(c) or () if e != leaver] for c in OWNER_COLUMNS}
    if successor:
        target = _COLUMN_OF_ROLE[role]
        builds = any(successor in columns[c] for c in _BUILDER_COLUMNS)
        if target == "primary_owner":  # promoted: no longer listed as a co-owner or partner
            for column in _BUILDER_COLUMNS:
                columns[column] = [e for e in columns[column] if e != successor]
            columns[target].insert(0, successor)
        elif successor not in columns[target] and not (builds and target in _BUILDER_COLUMNS):
            columns[target].append(successor)
    return {c: tuple(names) for c, names in columns.items()}


def _item(session: Session, item_id: int) -> HandoverItemRecord:
    record = session.get(HandoverItemRecord, item_id)
    if record is None:
        raise NotFound("That handover item no longer exists; the plan was refreshed. Reopen it.")
    return record


def _successor(session: Session, record: HandoverItemRecord, successor: str | None) -> str | None:
    chosen = (successor or record.successor_email or "").strip().lower() or None
    if chosen is None:
        if record.covered_by:  # an owning team covers: the leaver only steps down
            return None
        raise PortfolioError("Nobody could be proposed for this app; choose a successor "
                             "(or add an owner in the app editor) and accept again.")
    status = session.scalar(select(Person.status).where(Person.email == chosen))
    if status is None:
        raise PortfolioError(f"{chosen} is not in the portfolio; add them on the People page first.")
    if not is_staying(status):
        raise PortfolioError(f"{chosen} is {status}; choose a successor who is staying.")
    return chosen


def _set_item_fields(session: Session, changes: list[FieldChange], who: str,
                     source: str) -> ChangeSet:
    """Write item fields (`checklist.KEY` inside the JSON), log them, update the plans."""
    plans = {}
    for change in changes:
        record = _item(session, int(change.key))
        if change.field.startswith("checklist."):
            checklist = json.loads(record.checklist)
            checklist[change.field.removeprefix("checklist.")] = change.new
            record.checklist = json.dumps(checklist)
        else:
            setattr(record, change.field, change.new)
        plans[record.plan_id] = record.plan
    for plan in plans.values():
        update_plan_status(plan)
    session.flush()
    log_changes(session, changes, who, source)
    return ChangeSet(list(changes))


# --- the portfolio's ownership figures -----------------------------------------------------

def portfolio_ownership(session: Session) -> OwnershipMeasures:
    """Single-person dependencies, abandonment, load against capacity, ratios per department."""
    return ownership_measures(_ownership_facts(session), _people(session)[0])


def _ownership_facts(session: Session) -> list[AppFacts]:
    # Only what the measures read: a 100k-app portfolio loads in a fraction of full facts' time.
    owners = read_owners(session)
    rows = raw_rows(session, select(App.id, App.app_id, App.name, App.department, App.lifecycle))
    return [AppFacts(app_id=app_id, name=name, department=department, lifecycle=lifecycle,
                     owners=tuple(owners.get(db_id, ())))
            for db_id, app_id, name, department, lifecycle in rows]
