"""Use cases for reviews: request, complete, undo, and the reviews the rules require.

Every review change is logged (entity "review", key "APP_ID#REVIEW_ID") in the
caller's transaction, and the app is reclassified so its `review_overdue` flag
follows the schedule.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from fusiondesk.core import clock
from fusiondesk.core.errors import PortfolioError, StaleEdit
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.reviews import (
    PERIODIC,
    due_date,
    is_approval,
    next_periodic,
    review_outcome,
    review_type,
)
from fusiondesk.core.terms import Entity, Existence, Source
from fusiondesk.core.tiers import classify
from fusiondesk.core.validation import InvalidValues, is_email
from fusiondesk.db.store import Session
from fusiondesk.db.store import reviews as store
from fusiondesk.db.store.app_table import existing_db_ids
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.apps.edits import db_id_of, load_app, save_app
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.classification.reclassify import policy_in_force, reclassify
from fusiondesk.services.reviews.milestones import (
    MARKER,
    REVIEW,
    app_of,
    insert_reviews,
    missing_reviews,
    request_milestone_reviews,
    restore_review,
    review_id_of,
    withdraw_review,
)
from fusiondesk.services.reviews.queues import FIELDS, ReviewRow, load_review

# --- requesting -------------------------------------------------------------------

def request_review(session: Session, app_id: str, type: str, who: str,
                   reviewer: str | None = None, requested: date | None = None, *,
                   due: date | None = None, source: str = Source.REVIEW,
                   detail: str | None = None) -> ChangeSet:
    """Ask for a review of an app, due by the tier's SLA unless `due` is given."""
    done, _ = _request(session, app_id, type, who, reviewer, requested, due, source, detail)
    return done


def _request(session, app_id, type, who, reviewer, requested, due, source, detail):
    kind = review_type(type)
    db_id = db_id_of(session, app_id)
    requested = requested or clock.today()
    if due is None:
        due = due_date(requested, _computed_tier(session, db_id), policy_in_force(session))
    values = {"type": kind, "requested": requested, "due": due,
              "reviewer_email": _reviewer(reviewer)}
    done, ids = insert_reviews(session, [(db_id, app_id, values, detail)], who, source)
    reclassify(session, [db_id])
    return done, ids[0]


def _reviewer(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if not is_email(email):
        raise InvalidValues({"reviewer_email": f"Reviewer '{email}' is not an e-mail address"})
    return email


def _computed_tier(session: Session, db_id: int, facts: AppFacts | None = None) -> int:
    facts = facts or load_facts(session, [db_id])[db_id]
    return classify(facts, policy_in_force(session), clock.today()).tier


# --- completing -------------------------------------------------------------------

def complete_review(session: Session, review_id: int, outcome: str, who: str,
                    reviewer: str | None = None, notes: str | None = None,
                    approve_tier: bool = True, completed: date | None = None) -> ChangeSet:
    """Record a review's outcome; the app's last review (and, if approved, its tier) follow."""
    outcome = review_outcome(outcome)
    row = load_review(session, review_id)
    if not row.is_open:
        raise PortfolioError(
            f"The {row.type} review of {row.app_id} was already completed on "
            f"{row.completed.isoformat()} ({row.outcome}); request a new one to review it again.")
    completed = completed or clock.today()
    changes: dict[str, Any] = {"outcome": outcome, "completed": completed}
    if reviewer:
        changes["reviewer_email"] = _reviewer(reviewer)
    if notes:
        changes["notes"] = notes
    detail = f"{row.type} review #{row.id}: {outcome}"
    done = _update_review(session, row, changes, who, REVIEW, detail)
    on_app, tier = _record_on_app(session, row.app_id, outcome, completed, approve_tier, who,
                                  detail)
    done.extend(on_app)
    if row.type == PERIODIC:
        reviewer = changes.get("reviewer_email", row.reviewer_email)
        done.extend(_schedule_next(session, row, completed, tier, reviewer, who))
    reclassify(session, [db_id_of(session, row.app_id)])
    return done


def _record_on_app(session, app_id, outcome, completed, approve_tier, who, detail):
    """Set last review, users then and (if approved) the approved tier; the computed tier too."""
    stored = load_app(session, app_id)
    tier = _computed_tier(session, stored.db_id, stored.facts)
    changes: dict[str, Any] = {"last_review": completed,
                               "users_at_last_review": stored.facts.users}
    if approve_tier and is_approval(outcome):
        changes["approved_tier"] = tier
    return save_app(session, app_id, changes, stored.version, who, REVIEW, detail), tier


def _schedule_next(session, row: ReviewRow, completed: date, tier: int, reviewer,
                   who: str) -> ChangeSet:
    """The next periodic review, unless the tier has none or one is already open."""
    due = next_periodic(completed, tier, policy_in_force(session))
    if due is None or store.has_open_review(session, db_id_of(session, row.app_id), PERIODIC):
        return ChangeSet()
    values = {"type": PERIODIC, "requested": completed, "due": due, "reviewer_email": reviewer}
    item = (db_id_of(session, row.app_id), row.app_id, values, f"after periodic review #{row.id}")
    return insert_reviews(session, [item], who, Source.RULE)[0]


def record_review(session: Session, app_id: str, type: str, outcome: str, who: str,
                  reviewer: str | None = None, notes: str | None = None) -> ChangeSet:
    """Complete the app's open review of `type` (the earliest due), or record one done today."""
    kind = review_type(type)
    db_id = db_id_of(session, app_id)
    open_id = store.first_open_review(session, db_id, kind)
    done = ChangeSet()
    if open_id is None:
        done, open_id = _request(session, app_id, kind, who, reviewer, None, None, REVIEW, None)
    done.extend(complete_review(session, open_id, outcome, who, reviewer, notes))
    return done


def _update_review(session: Session, row: ReviewRow, changes: dict, who: str, source: str,
                   detail: str | None = None) -> ChangeSet:
    before = {name: getattr(row, name) for name in FIELDS}
    diff = {k: v for k, v in changes.items() if before[k] != v}
    if not diff:
        return ChangeSet()
    store.update_review(session, row.id, diff)
    result = [FieldChange(REVIEW, row.key, k, before[k], v) for k, v in diff.items()]
    log_changes(session, result, who, source, detail)
    return ChangeSet(result)


# --- undo -------------------------------------------------------------------------

def revert_review(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a review change set (a revert of a revert is a redo); logged as source 'undo'."""
    result = ChangeSet()
    apps = set()
    for key in done.keys(REVIEW):
        apps.add(app_of(key))
        result.extend(_revert_one(session, done, key, who))
    for app_id in done.keys(Entity.APP):
        old = {c.field: c.old for c in done.changes if c.entity == Entity.APP and c.key == app_id}
        version = done.versions[(Entity.APP, app_id)]
        result.extend(save_app(session, app_id, old, version, who, Source.UNDO))
        apps.add(app_id)
    reclassify(session, existing_db_ids(session, apps))
    return result


def _revert_one(session: Session, done: ChangeSet, key: str, who: str) -> ChangeSet:
    changes = [c for c in done.changes if c.entity == REVIEW and c.key == key]
    marker = next((c for c in changes if c.field == MARKER), None)
    if marker is not None and marker.new == Existence.CREATED:
        return withdraw_review(session, key, who)
    if marker is not None and marker.new == Existence.DELETED:
        return restore_review(session, key, done.snapshots[key], who)
    row = load_review(session, review_id_of(key))
    # Undo only what is still as this change left it; anything else was changed since.
    stale = [(c.field, getattr(row, c.field), c.old) for c in changes
             if getattr(row, c.field) != c.new]
    if stale:
        raise _stale_review(row, stale)
    return _update_review(session, row, {c.field: c.old for c in changes}, who, Source.UNDO)


def _stale_review(row: ReviewRow, stale: list) -> StaleEdit:
    fields = ", ".join(name for name, _, _ in stale)
    return StaleEdit(f"The {row.type} review of {row.app_id} was changed since ({fields}); "
                     "it was left as it is now.", stale)


# --- what the rules require -------------------------------------------------------

def ensure_required_reviews(session: Session, app_ids: list[str] | None, who: str,
                            today: date | None = None) -> ChangeSet:
    """Request every review the apps need and lack (all apps when None); source 'rule'."""
    ids = None if app_ids is None else [db_id_of(session, app_id) for app_id in app_ids]
    return request_milestone_reviews(session, ids, who, today)


def count_required_reviews(session: Session, app_ids: list[str] | None,
                           today: date | None = None) -> tuple[Counter, int]:
    """What `ensure_required_reviews` would request, unwritten: reviews by type, and of how
    many apps (so a person can be asked first)."""
    ids = None if app_ids is None else [db_id_of(session, app_id) for app_id in app_ids]
    items = missing_reviews(session, ids, today or clock.today())
    return Counter(values["type"] for _, _, values, _ in items), len({i[0] for i in items})
