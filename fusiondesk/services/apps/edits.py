"""Use cases that change apps: edit, create, delete, bulk edit, and their undo.

Every change goes through `_apply`, which refuses stale edits, writes the row,
owners and integrations, logs each changed field and reclassifies the app when a
field classification reads changed, all in the caller's transaction, so a failure
leaves nothing behind. An edit or a new app that reaches a milestone (an integration,
sensitive data, production, a higher tier) gets the reviews it now needs in the same
transaction and change set, so its undo takes them away again.
"""

from __future__ import annotations

import uuid
from typing import Any

from fusiondesk.core import clock
from fusiondesk.core.errors import NotFound, StaleEdit
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.fields import APP_FIELD_BY_NAME
from fusiondesk.core.policy import Policy
from fusiondesk.core.terms import Entity, Existence, Source, Whole
from fusiondesk.core.tiers import classify
from fusiondesk.core.validation import require_valid
from fusiondesk.core.values import app_values, facts_from_values
from fusiondesk.db.store import Session
from fusiondesk.db.store import apps as app_store
from fusiondesk.db.store import escalations as case_store
from fusiondesk.db.store.apps import CLASSIFIED_FIELDS, StoredApp
from fusiondesk.db.store.limits import app_limits
from fusiondesk.db.store.ownership import replace_owners
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes, stale_edit
from fusiondesk.services.classification.reclassify import (
    classification_columns,
    policy_in_force,
    reclassify,
)
from fusiondesk.services.reviews.milestones import (
    app_of,
    gains_a_milestone,
    request_milestone_reviews,
    revert_requested,
    withdraw_app_reviews,
)

__all__ = ["StoredApp", "bulk_edit", "create_app", "db_id_of", "delete_apps", "load_app",
           "new_app_id", "revert", "save_app"]

WHOLE_APP = Whole.APP  # the field of a log row about the whole app (made, removed)


def new_app_id() -> str:
    """A stable key for an app that arrived without one."""
    return f"fd-{uuid.uuid4().hex[:12]}"


def db_id_of(session: Session, app_id: str) -> int:
    """The database id of an app by its external key."""
    found = app_store.app_db_id(session, app_id)
    if found is None:
        raise _not_found(app_id)
    return found


def load_app(session: Session, app_id: str) -> StoredApp:
    """One app, for editing."""
    stored = app_store.read_app(session, app_id)
    if stored is None:
        raise _not_found(app_id)
    return stored


def save_app(session: Session, app_id: str, changes: dict[str, Any], expected_version: int,
             who: str, source: str = Source.EDIT, detail: str | None = None) -> ChangeSet:
    """Apply an edit made on the copy read at `expected_version`."""
    require_valid(changes, limits=app_limits(), whose=f"app {app_id}")
    stored = load_app(session, app_id)
    if stored.version != expected_version:
        raise _stale(stored, changes)
    done, reached = _apply(session, stored, changes, who, source, detail, reclassifying=True)
    if reached is not None:
        facts, policy = reached
        done.extend(request_milestone_reviews(session, [stored.db_id], who, policy=policy,
                                              facts={stored.db_id: facts}))
    return done


def bulk_edit(session: Session, app_ids: list[str], changes: dict[str, Any], who: str,
              source: str = Source.BULK_EDIT, detail: str | None = None) -> ChangeSet:
    """The same changes on many apps at once, as one undoable step."""
    require_valid(changes, limits=app_limits(), whose="the apps")
    result = ChangeSet()
    touched, milestones = [], []
    policy = policy_in_force(session) if CLASSIFIED_FIELDS.intersection(changes) else None
    for app_id in app_ids:
        stored = load_app(session, app_id)
        done, reached = _apply(session, stored, changes, who, source, detail,
                               reclassifying=False, policy=policy)
        result.extend(done)
        touched.append(stored.db_id)
        if reached is not None:
            milestones.append(stored.db_id)
    if CLASSIFIED_FIELDS.intersection(changes):
        reclassify(session, touched, policy)  # together: batched statements
    result.extend(request_milestone_reviews(session, milestones, who, policy=policy))
    return result


def create_app(session: Session, facts: AppFacts, who: str, source: str = Source.EDIT,
               detail: str | None = None) -> ChangeSet:
    """Add a new app (an app_id is generated when it has none)."""
    if not facts.app_id:
        facts = facts.with_changes(app_id=new_app_id())
    require_valid({k: v for k, v in app_values(facts).items() if v is not None or k == "name"},
                  limits=app_limits(), whose=f"app {facts.app_id}")
    if app_store.app_db_id(session, facts.app_id) is not None:
        raise StaleEdit(f"An app with id '{facts.app_id}' already exists.", [])
    db_id = app_store.insert_app(session, facts)
    replace_owners(session, db_id, facts.owners)
    app_store.write_integrations(session, db_id, facts.integrations)
    change = FieldChange(Entity.APP, facts.app_id, WHOLE_APP, None, Existence.CREATED)
    log_changes(session, [change], who, source, detail)
    reclassify(session, [db_id])
    done = ChangeSet([change], {(Entity.APP, facts.app_id): 1})
    if source != Source.UNDO:  # a redo brings back the very reviews its undo took away
        done.extend(request_milestone_reviews(session, [db_id], who))
    return done


_CASES = "escalation cases of:"  # ChangeSet.snapshots key prefix: a deleted app's cases


def delete_apps(session: Session, app_ids: list[str], who: str,
                source: str = Source.EDIT) -> ChangeSet:
    """Remove apps; the change set keeps what they were so undo can bring them back."""
    result, removed = ChangeSet(), []
    for app_id in app_ids:
        stored = load_app(session, app_id)
        # its reviews go with it; kept in the change set so its undo brings them back
        result.extend(withdraw_app_reviews(session, stored.db_id, app_id, who, source))
        # its escalation cases go with it too (cascade): kept, so undo brings them back
        cases = [(row[0], case_store.case_values(session, row[0]))
                 for row in case_store.case_rows(session, app_db_id=stored.db_id)]
        app_store.delete_app(session, stored.db_id)
        result.snapshots[app_id] = stored.facts
        if cases:
            result.snapshots[_CASES + app_id] = cases
        removed.append(FieldChange(Entity.APP, app_id, WHOLE_APP, Existence.EXISTS,
                                   Existence.DELETED))
    log_changes(session, removed, who, source)
    result.changes.extend(removed)
    return result


def revert(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a change set (a revert of a revert is a redo); logged as its own change."""
    # The reviews the change requested go first (before their app may go with them);
    # the ones its undo removed come back once their app is back, and before the apps'
    # fields are restored, whose reclassifying then sees the app's schedule as it is.
    result = revert_requested(session, done, who, created=True)
    created = _whole_apps(done, Existence.CREATED)
    if created:
        result.extend(delete_apps(session, created, who, source=Source.UNDO))
    recreated = _whole_apps(done, Existence.DELETED)
    for app_id in recreated:
        result.extend(create_app(session, done.snapshots[app_id], who, source=Source.UNDO))
        for case_id, values in done.snapshots.get(_CASES + app_id, ()):
            case_store.insert_case(session, {**values, "app_id": db_id_of(session, app_id)}, case_id)
    restored = revert_requested(session, done, who, created=False)
    result.extend(restored)
    _reclassify_recreated(session, recreated, restored)
    for app_id in done.keys(Entity.APP):
        if app_id in created or app_id in done.snapshots:
            continue
        old = {c.field: c.old for c in done.changes if c.key == app_id and c.entity == Entity.APP}
        version = done.versions[(Entity.APP, app_id)]
        result.extend(save_app(session, app_id, old, version, who, source=Source.UNDO))
    return result


def _reclassify_recreated(session: Session, recreated: list[str], restored: ChangeSet) -> None:
    """An app brought back was classified before its reviews were: its overdue flag follows them."""
    again = set(recreated).intersection(app_of(key) for key in restored.keys(Entity.REVIEW))
    if again:
        reclassify(session, [db_id_of(session, app_id) for app_id in sorted(again)])


def _whole_apps(done: ChangeSet, existence: str) -> list[str]:
    """The apps `done` added (CREATED) or removed (DELETED) as a whole."""
    return [c.key for c in done.changes
            if c.entity == Entity.APP and c.field == WHOLE_APP and c.new == existence]


def _apply(session: Session, stored: StoredApp, changes: dict[str, Any], who: str,
           source: str, detail: str | None, reclassifying: bool,
           policy: Policy | None = None) -> tuple[ChangeSet, tuple[AppFacts, Policy] | None]:
    """Write the fields of `changes` that differ; reclassify the app (when asked) if one of
    them is a field classification reads. Also, when the edit reached a milestone, the
    app's new facts and the policy that judged them (None when it reached none)."""
    before = stored.values
    diff = {k: v for k, v in changes.items() if before.get(k) != v}
    app_id = stored.facts.app_id
    result = ChangeSet(versions={(Entity.APP, app_id): stored.version + (1 if diff else 0)})
    if not diff:
        return result, None
    after = facts_from_values(diff, base=stored.facts)
    owners_changed = after.owners != stored.facts.owners
    reads_classified = not CLASSIFIED_FIELDS.isdisjoint(diff)
    classified = reclassifying and not owners_changed and reads_classified
    # Only fields classification reads decide which reviews an app needs, and an undo
    # requests none (its redo restores the reviews the undo removed).
    requesting = reads_classified and source != Source.UNDO
    if policy is None and (classified or requesting):
        policy = policy_in_force(session)
    # Owners are read with their people's status, which classification needs: the
    # facts in hand classify the app in the same UPDATE, unless new owners came in.
    cached = _classification(after, policy) if classified else None
    milestone = requesting and gains_a_milestone(stored.facts, after, policy, clock.today())
    if not app_store.update_app(session, stored, after, cached):
        # another writer got in between our read and this write
        raise _stale(load_app(session, app_id), changes)
    if owners_changed:
        replace_owners(session, stored.db_id, after.owners)
    if after.integrations != stored.facts.integrations:
        app_store.write_integrations(session, stored.db_id, after.integrations)
    result.changes = [FieldChange(Entity.APP, app_id, k, before.get(k), v) for k, v in diff.items()]
    log_changes(session, result.changes, who, source, detail)
    if reclassifying and owners_changed:
        reclassify(session, [stored.db_id])
    return result, (after, policy) if milestone else None


def _classification(facts: AppFacts, policy: Policy) -> dict:
    """The cached classification columns of an app with these facts, under `policy`."""
    return {**classification_columns(classify(facts, policy, clock.today())),
            "policy_version": policy.version}


def _not_found(app_id: str) -> NotFound:
    return NotFound(f"No app with id '{app_id}'.")


def _stale(current: StoredApp, attempted: dict[str, Any]) -> StaleEdit:
    return stale_edit(f"'{current.facts.name}'", current.values, attempted, APP_FIELD_BY_NAME)
