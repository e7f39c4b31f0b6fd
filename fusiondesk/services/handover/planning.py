"""Use cases of the ownership handover: mark someone leaving, plan, accept, tick, measure.

Marking a person leaving or left (from the People view, the CLI or an import)
stores a handover plan for every app they own. Accepting an item changes the
app's owners through `app_edits`, so it is logged, reclassified at once (the
builder-gone flag clears) and undoable; `revert_handover` undoes any change set
these use cases return.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable

from fusiondesk.core import clock
from fusiondesk.core.errors import NotFound, PortfolioError
from fusiondesk.core.facts import PersonFacts
from fusiondesk.core.fields import OWNER_COLUMNS
from fusiondesk.core.handover import CHECKLIST, item_status, plan_handover
from fusiondesk.core.measures import is_upcoming_leaver
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
from fusiondesk.db.store import Session
from fusiondesk.db.store import handover as handover_store
from fusiondesk.db.store.apps import load_facts, ownership_facts
from fusiondesk.db.store.certifications import certificates_by_person
from fusiondesk.db.store.handover import CHECKLIST_FIELD, StoredItem, StoredPlan
from fusiondesk.db.store.ownership import apps_owned_by_any, apps_owned_counts
from fusiondesk.db.store.people import people_with_status, read_people_by_id, read_person
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.handover.abandonment import portfolio_abandonment
from fusiondesk.services.handover.plans import close_plan, newest_plan, newest_plans, store_plans
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


def recorded_leave_date(session: Session, email: str) -> date | None:
    """The person's leave date on record, if any (what planning their handover starts from)."""
    values, _ = load_person(session, email)
    return values.get("leave_date")


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
    return [stored[e] for e in wanted if e in stored]


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
    involved = sorted(set(wanted) | handover_store.counting_on(session, wanted))
    leavers = [by_email[e] for e in involved if e in by_email
               and by_email[e].status in LEAVER_STATUSES]
    if not leavers:
        return set()
    leaving = {p.email for p in leavers}
    facts = load_facts(session, apps_owned_by_any(session, sorted(leaving)))
    policy, today = policy_in_force(session), clock.today()
    classes = {f.app_id: classify(f, policy, today) for f in facts.values()}
    plan = plan_handover(leavers, list(facts.values()), people, policy, today, classes,
                         apps_owned=_load(session, leaving, email_of),
                         certificates=certificates_by_person(session))
    db_ids = {f.app_id: db_id for db_id, f in facts.items()}
    store_plans(session, leavers, plan, db_ids, who)
    return leaving


def _people(session: Session) -> tuple[list[PersonFacts], dict[int, str]]:
    """Everyone as facts, and e-mails by person id."""
    by_id = read_people_by_id(session)
    return list(by_id.values()), {person_id: p.email for person_id, p in by_id.items()}


def _load(session: Session, leaving: set[str], email_of: dict[int, str]) -> dict[str, int]:
    """Apps each person owns, plus those other leavers' open plans already propose to them."""
    load = {email_of[person_id]: count for person_id, count in apps_owned_counts(session).items()}
    # An app two leavers shared is proposed to the same successor in both their plans:
    # it takes one place, so each (successor, app) counts once.
    proposed = {(email, app) for leaver, email, app in handover_store.proposed_takeovers(session)
                if leaver not in leaving}  # those being planned again now are redone
    for email, _ in proposed:
        load[email] = load.get(email, 0) + 1
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
    plan = newest_plan(session, email)
    if plan is None:
        load_person(session, email)  # an unknown e-mail is told as such, not as "no plan"
        raise NotFound(f"{email} has no handover plan; mark them leaving first "
                       f"(fusiondesk handover {email} --leaving YYYY-MM-DD).")
    return plan


def overdue_items(session: Session, today: date | None = None) -> list[StoredItem]:
    """Items past their due date and not done, earliest due first."""
    return handover_store.overdue_items(session, today or clock.today())


def upcoming_leavers(session: Session, today: date | None = None) -> list[LeaverProgress]:
    """The upcoming leavers (core.measures: marked leaving, leave date in the window), with
    their plan's progress; people already gone are not upcoming."""
    today = today or clock.today()
    progress = handover_store.plan_progress(session, today)
    found = []
    for person in people_with_status(session, (PersonStatus.LEAVING,)):
        if not is_upcoming_leaver(person.status, person.leave_date, today):
            continue
        plan_status, items, done, late = progress.get(person.email, (None, 0, 0, 0))
        found.append(LeaverProgress(person.email, person.name, person.department, person.status,
                                    person.leave_date, plan_status, items, done, late))
    return sorted(found, key=lambda p: (p.leave_date is None, p.leave_date or today, p.email))


# --- accepting and ticking ---------------------------------------------------------------

def accept_item(session: Session, item_id: int, who: str, successor: str | None = None) -> ChangeSet:
    """Apply an item's ownership change (to `successor` when given): logged, undoable."""
    item = _item(session, item_id)
    if item.accepted:
        raise PortfolioError("This handover item was already accepted; undo it to choose again.")
    chosen = _successor(session, item, successor)
    stored = app_edits.load_app(session, item.app_id)
    owners = handed_over(stored.values, item.leaver, chosen, item.role or OwnerRole.PRIMARY)
    done = app_edits.save_app(session, item.app_id, owners, stored.version, who,
                              source=Source.HANDOVER,
                              detail=f"handover from {item.leaver}")
    changes = [FieldChange(ITEM, str(item_id), "accepted_on", None, clock.today()),
               FieldChange(ITEM, str(item_id), "successor_email", item.successor_email, chosen),
               FieldChange(ITEM, str(item_id), "status", item.status,
                           item_status(True, item.checklist))]
    done.extend(_set_item_fields(session, changes, who, Source.HANDOVER))
    return done


def set_checklist(session: Session, item_id: int, key: str, done: bool,
                  who: str = "fusiondesk") -> ChangeSet:
    """Tick or untick one checklist box of an item (logged, undoable)."""
    if key not in CHECKLIST:
        raise ValueError(f"'{key}' is not a checklist item; use one of {', '.join(CHECKLIST)}.")
    item = _item(session, item_id)
    before = item.checklist[key]
    if before == done:
        return ChangeSet()
    status = item_status(item.accepted, {**item.checklist, key: done})
    changes = [FieldChange(ITEM, str(item_id), f"{CHECKLIST_FIELD}{key}", before, done)]
    if status != item.status:
        changes.append(FieldChange(ITEM, str(item_id), "status", item.status, status))
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


def _item(session: Session, item_id: int) -> StoredItem:
    item = handover_store.read_item(session, item_id)
    if item is None:
        raise _item_gone()
    return item


def _item_gone() -> NotFound:
    return NotFound("That handover item no longer exists; the plan was refreshed. Reopen it.")


def _successor(session: Session, item: StoredItem, successor: str | None) -> str | None:
    chosen = (successor or item.successor_email or "").strip().lower() or None
    if chosen is None:
        if item.covered_by:  # an owning team covers: the leaver only steps down
            return None
        raise PortfolioError("Nobody could be proposed for this app; choose a successor "
                             "(or add an owner in the app editor) and accept again.")
    found = read_person(session, chosen) if "@" in chosen else None
    if found is None:
        raise PortfolioError(f"{chosen} is not in the portfolio; add them on the People page first.")
    status = found.values["status"]
    if not is_staying(status):
        raise PortfolioError(f"{chosen} is {status}; choose a successor who is staying.")
    return chosen


def _set_item_fields(session: Session, changes: list[FieldChange], who: str,
                     source: str) -> ChangeSet:
    """Write item fields (`checklist.KEY` inside the JSON), log them, update the plans."""
    if not handover_store.set_item_fields(session, [(int(c.key), c.field, c.new) for c in changes]):
        raise _item_gone()
    log_changes(session, changes, who, source)
    return ChangeSet(list(changes))


# --- the portfolio's ownership figures -----------------------------------------------------

def portfolio_ownership(session: Session) -> OwnershipMeasures:
    """Single-person dependencies, abandonment, load against capacity, ratios per department."""
    # only what the measures read: a 100k-app portfolio loads in a fraction of full facts' time
    measures = ownership_measures(ownership_facts(session), _people(session)[0])
    return replace(measures, abandonment=portfolio_abandonment(session))
