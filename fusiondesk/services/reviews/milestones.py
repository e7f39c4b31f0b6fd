"""Milestone reviews that appear on their own, when an app reaches what a review guards.

Every use case that can change what an app needs (an edit, a bulk edit, a new app,
an import, a policy change) ends by calling `request_milestone_reviews` on the apps it
touched, in its own transaction: each app gets the reviews it needs and lacks (never
a second open one of a type; an approval still covers a milestone type), due by its
tier's SLA, logged with source "rule" and the reason. `ensure_required_reviews` (the
Reviews page button, `reviews --add-required`) is the same request over any apps.

This module sits below the app edits (which call it), so it reads apps through the
store directly, never through `services.apps`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from itertools import groupby
from types import MappingProxyType

from fusiondesk.core import clock
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.policy import Policy
from fusiondesk.core.reviews import (
    PERIODIC,
    REVIEW_LABELS,
    RequiredReviewsMemo,
    due_date,
    is_approval,
    next_periodic,
    required_reviews,
)
from fusiondesk.core.terms import Entity, Existence, Source, Whole
from fusiondesk.core.tiers import Classification, classify
from fusiondesk.db.store import Session
from fusiondesk.db.store import reviews as store
from fusiondesk.db.store.apps import app_db_id, load_facts
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.classification.reclassify import policy_in_force, reclassify

REVIEW = Entity.REVIEW
MARKER = Whole.REVIEW  # the field of the log row that says a review came or went
FIELDS = store.REVIEW_FIELDS

# A review to insert: (app db id, app_id, column values, the log's detail). The values
# are read-only: items of alike reviews share them (ReviewPlanner).
Item = tuple[int, str, Mapping, "str | None"]


def review_key(app_id: str, review_id: int) -> str:
    """How the change log names a review: 'APP_ID#REVIEW_ID'."""
    return f"{app_id}#{review_id}"


# --- requesting what the rules require ------------------------------------------------

def request_milestone_reviews(session: Session, db_ids: list[int] | None, who: str,
                              today: date | None = None, policy: Policy | None = None,
                              facts: dict[int, AppFacts] | None = None) -> ChangeSet:
    """Request every review these apps (all when None) need and lack; source 'rule'.

    `facts` (by db id) spares reading apps an edit has just written.
    """
    if db_ids is not None and not db_ids:
        return ChangeSet()
    today = today or clock.today()
    policy = policy or policy_in_force(session)
    items = missing_reviews(session, db_ids, today, policy, facts)
    return insert_required(session, items, who, policy, today)


def missing_reviews(session: Session, db_ids: list[int] | None, today: date,
                    policy: Policy | None = None,
                    facts: dict[int, AppFacts] | None = None) -> list[Item]:
    """The reviews these apps (all when None) need and lack, unwritten."""
    policy = policy or policy_in_force(session)
    facts = facts if facts is not None else load_facts(session, db_ids)
    covered, last_periodic = _covered(session, db_ids)
    planner = ReviewPlanner(policy, today)
    return [item for db_id, app in facts.items()
            for item in planner.needed(db_id, app, classify(app, policy, today).tier,
                                       covered, last_periodic)]


def insert_required(session: Session, items: list[Item], who: str, policy: Policy,
                    today: date) -> ChangeSet:
    """Insert the reviews the rules require (source 'rule'); reclassify the apps now late."""
    done, _ = insert_reviews(session, items, who, Source.RULE)
    reclassify_late(session, items, policy, today)
    return done


def reclassify_late(session: Session, items: list[Item], policy: Policy, today: date) -> None:
    """Reclassify the apps of reviews already late when requested.

    A review due in the future leaves every flag as it was; a schedule already missed
    is overdue at once, and the app's review-overdue flag follows.
    """
    late = sorted({db_id for db_id, _, values, _ in items if _is_late(values, today)})
    if late:
        reclassify(session, late, policy, today)


def insert_new_app_reviews(session: Session, items: list[Item], log) -> int:
    """The bulk path of an import: the reviews of apps it just added, logged a row an app.

    `log(rows)` appends (key, field, new value, detail) rows; the values themselves are
    the review's, as an imported app's are (its log says "(app) created", not each field).
    Returns how many reviews.
    """
    if not items:
        return 0
    store.insert_review_rows(session, [(db_id, values["type"], values["requested"], values["due"])
                                       for db_id, _, values, _ in items])
    ids = store.review_ids_by_app(session, min(item[0] for item in items),
                                  max(item[0] for item in items))
    log(creation_rows(items, [ids[db_id, values["type"]] for db_id, _, values, _ in items]))
    return len(items)


def numbered_reviews(items: list[Item], first_id: int) -> tuple[list[tuple], list[tuple]]:
    """New apps' reviews with the ids they will have: (id, app db id, type, requested, due)
    rows, and their log rows as `creation_rows` gives them. For a writer holding the
    database's write lock (SQLite), which can give ids rather than read them back."""
    ids = range(first_id, first_id + len(items))
    rows = [(review_id, db_id, values["type"], values["requested"], values["due"])
            for review_id, (db_id, _, values, _) in zip(ids, items)]
    return rows, creation_rows(items, ids)


def creation_rows(items: list[Item], ids) -> list[tuple]:
    """A bulk path's log of new reviews: one (key, field, new value, detail) row per app.

    An import of 100,000 apps requests ~245,000 reviews; a row each was most of what
    requesting them added to the import. The row names every review of the app
    (`reviews_key`) and says why each was required, so the log still tells which
    reviews came, to which app, when, from whom and why.
    """
    marker, created = MARKER.value, Existence.CREATED.value
    rows = []
    numbered = zip(ids, items)
    for (_, app_id), reviews in groupby(numbered, key=_app_of_item):
        reviews = list(reviews)
        if len(reviews) == 1:
            review_id, (_, _, _, detail) = reviews[0]
            rows.append((review_key(app_id, review_id), marker, created, detail))
            continue
        rows.append((reviews_key(app_id, [review_id for review_id, _ in reviews]), marker,
                     created, _reasons([item for _, item in reviews])))
    return rows


def reviews_key(app_id: str, review_ids: list[int]) -> str:
    """How the change log names reviews of one app requested together: 'APP_ID#7+8+9'."""
    return f"{app_id}#{'+'.join(map(str, review_ids))}"


def _app_of_item(numbered: tuple[int, Item]) -> tuple[int, str]:
    return numbered[1][0], numbered[1][1]


def _reasons(items: list[Item]) -> str:
    """'required: Architecture (Tier 4: …); Security (categories: pii)'."""
    prefix = "required: "
    return prefix + "; ".join(
        f"{REVIEW_LABELS.get(values['type'], values['type'])} ({(detail or '').removeprefix(prefix)})"
        for _, _, values, detail in items)


def _is_late(values: dict, today: date) -> bool:
    return values["due"] is not None and values["due"] < today


def new_apps_reviews(apps: Iterable[tuple[int, AppFacts, Classification]], policy: Policy,
                     today: date) -> list[Item]:
    """The reviews of apps just added, given as (db id, facts, classification), as items."""
    planner = ReviewPlanner(policy, today)
    return [item for db_id, facts, result in apps
            for item in planner.needed(db_id, facts, result.tier)]


def gains_a_milestone(before: AppFacts, after: AppFacts, policy: Policy, today: date) -> bool:
    """True when `after` calls for a review type `before` did not: the edit reached a milestone.

    Pure computation, so an edit that reaches none costs no statement for reviews.
    """
    def types(facts: AppFacts) -> set[str]:
        return {need.type for need in required_reviews(facts, classify(facts, policy, today), policy)}
    return not types(after) <= types(before)


class ReviewPlanner:
    """The reviews apps need and lack, as items to insert, under one policy on one day.

    Requesting the reviews of 100,000 apps asks the same few questions again and again:
    which reviews a combination of facts calls for (`RequiredReviewsMemo`), and, for each
    of those at a tier, its reason and its dates. Each answer is worked out once and
    shared, read-only, by every item that needs it.
    """

    def __init__(self, policy: Policy, today: date) -> None:
        self.policy, self.today = policy, today
        self.required = RequiredReviewsMemo(policy)
        # (type, why, tier, last review for a periodic one) -> (values, the log's detail)
        self._planned: dict[tuple, tuple[Mapping, str]] = {}

    def needed(self, db_id: int, facts: AppFacts, tier: int, covered=frozenset(),
               last_periodic: Mapping[int, date] | None = None) -> list[Item]:
        """The reviews the app needs at `tier` and lacks: not in `covered` ((app, type) pairs).

        A periodic review falls a cadence after the app's last one (`last_periodic`, else
        its `last_review`).
        """
        items = []
        for need in self.required(facts, tier):
            if (db_id, need.type) in covered:
                continue
            last = None
            if need.type == PERIODIC:
                last = (last_periodic or {}).get(db_id) or facts.last_review
            # by the review's words, not the review: strings hash and compare in C
            key = (need.type, need.why, tier, last)
            values, detail = self._planned.get(key) or self._plan(key)
            items.append((db_id, facts.app_id, values, detail))
        return items

    def _plan(self, key: tuple) -> tuple[Mapping, str]:
        kind, why, tier, last = key
        values = MappingProxyType({"type": kind, "requested": self.today,
                                   "due": _first_due(kind, last, tier, self.today, self.policy)})
        planned = self._planned[key] = (values, f"required: {why}")
        return planned


def _first_due(kind: str, last: date | None, tier: int, today: date, policy: Policy) -> date | None:
    # A periodic review falls a cadence after the last review; one never reviewed is
    # due by the SLA, like any other. A schedule already missed is overdue at once.
    if kind == PERIODIC and last is not None:
        return next_periodic(last, tier, policy)
    return due_date(today, tier, policy)


def _covered(session: Session, ids: list[int] | None) -> tuple[set, dict[int, date]]:
    """(app, type) pairs already open or approved, and each app's last periodic review."""
    covered, last_periodic = set(), {}
    for db_id, kind, outcome, completed in store.review_states(session, ids):
        # A completed periodic review never covers the next one; a rejection covers nothing.
        if completed is None or (is_approval(outcome) and kind != PERIODIC):
            covered.add((db_id, kind))
        if kind == PERIODIC and completed is not None:
            last_periodic[db_id] = max(completed, last_periodic.get(db_id, completed))
    return covered, last_periodic


# --- writing and logging ----------------------------------------------------------------

def insert_reviews(session: Session, items: list[Item], who: str,
                   source: str) -> tuple[ChangeSet, list[int]]:
    """Insert reviews given as items; log each one. The change set, and the new ids."""
    if not items:
        return ChangeSet(), []
    ids = store.insert_reviews(session, [{"app_id": db_id, **values}
                                         for db_id, _, values, _ in items])
    done, by_detail = ChangeSet(), {}
    for review_id, (_, app_id, values, detail) in zip(ids, items):
        changes = creation_changes(review_key(app_id, review_id), values)
        by_detail.setdefault(detail, []).extend(changes)
        done.changes.extend(changes)
    # One executemany per distinct detail: the rules repeat the same few reasons, and a
    # statement per review made requesting a portfolio's reviews five times slower.
    for detail, changes in by_detail.items():
        log_changes(session, changes, who, source, detail)
    return done, ids


def creation_changes(key: str, values: dict) -> list[FieldChange]:
    """The log rows of a new review: that it came, and each value it came with."""
    changes = [FieldChange(REVIEW, key, MARKER, None, Existence.CREATED)]
    changes += [FieldChange(REVIEW, key, name, None, values[name])
                for name in FIELDS if values.get(name) is not None]
    return changes


# --- undo -------------------------------------------------------------------------------

def revert_requested(session: Session, done: ChangeSet, who: str, created: bool) -> ChangeSet:
    """Undo the reviews `done` added (`created`), or redo the ones its undo removed.

    An app use case's undo removes the reviews the use case requested and reverts the
    app with source 'undo', which requests nothing; its redo puts the same reviews back.
    """
    wanted = Existence.CREATED if created else Existence.DELETED
    keys = [c.key for c in done.changes
            if c.entity == REVIEW and c.field == MARKER and c.new == wanted]
    result = ChangeSet()
    for key in keys:
        if created:
            result.extend(withdraw_review(session, key, who))
        else:
            result.extend(restore_review(session, key, done.snapshots[key], who))
    return result


def withdraw_review(session: Session, key: str, who: str, source: str = Source.UNDO) -> ChangeSet:
    """Remove a review (undoing its request); the change set keeps it for a redo."""
    found = store.review_rows(session, review_id_of(key))
    if not found:  # removed with its app already
        return ChangeSet()
    store.delete_review(session, found[0][0])
    change = FieldChange(REVIEW, key, MARKER, Existence.EXISTS, Existence.DELETED)
    log_changes(session, [change], who, source)
    return ChangeSet([change], snapshots={key: dict(zip(FIELDS, found[0][3:]))})


def withdraw_app_reviews(session: Session, db_id: int, app_id: str, who: str,
                         source: str) -> ChangeSet:
    """Remove every review of an app about to be deleted, kept so its undo brings them back."""
    done = ChangeSet()
    for row in store.app_review_rows(session, db_id):
        done.extend(withdraw_review(session, review_key(app_id, row[0]), who, source))
    return done


def restore_review(session: Session, key: str, values: dict, who: str) -> ChangeSet:
    """Put a withdrawn review back, under its old id while that is free."""
    app_id, review_id = app_of(key), review_id_of(key)
    # Same id when free, so the review's history stays under one key.
    new_id = store.restore_review(session, {"app_id": app_db_id(session, app_id), **values},
                                  review_id)
    change = FieldChange(REVIEW, review_key(app_id, new_id), MARKER, None, Existence.CREATED)
    log_changes(session, [change], who, Source.UNDO)
    return ChangeSet([change])


def review_id_of(key: str) -> int:
    """The review id in a review key."""
    return int(key.rpartition("#")[2])


def app_of(key: str) -> str:
    """The app_id in a review key."""
    return key.rpartition("#")[0]
