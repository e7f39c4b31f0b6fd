"""Use cases that change apps: edit, create, delete, bulk edit, and their undo.

Every change goes through `_apply`, which refuses stale edits, writes the row,
owners and integrations, logs each changed field and reclassifies the app, all
in the caller's transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from fusiondesk.core.errors import NotFound, StaleEdit
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.fields import APP_FIELD_BY_NAME
from fusiondesk.core.terms import Entity, Source
from fusiondesk.core.validation import require_valid
from fusiondesk.core.values import app_values, facts_from_values
from fusiondesk.db.models import App, IntegrationLink
from fusiondesk.db.store.apps import load_facts, scalar_columns
from fusiondesk.db.store.limits import app_limits
from fusiondesk.db.store.ownership import replace_owners
from fusiondesk.services.changes import (
    CREATED,
    DELETED,
    ChangeSet,
    FieldChange,
    executemany,
    log_changes,
    stale_edit,
)
from fusiondesk.services.classification.reclassify import reclassify

EXISTS = "(exists)"


@dataclass(frozen=True)
class StoredApp:
    """An app as the editor sees it: facts plus the version they were read at."""

    db_id: int
    version: int
    facts: AppFacts

    @property
    def values(self) -> dict[str, Any]:
        """The canonical columns, for editors and exports."""
        return app_values(self.facts)


def new_app_id() -> str:
    """A stable key for an app that arrived without one."""
    return f"fd-{uuid.uuid4().hex[:12]}"


def db_id_of(session: Session, app_id: str) -> int:
    """The database id of an app by its external key."""
    found = session.scalar(select(App.id).where(App.app_id == app_id))
    if found is None:
        raise NotFound(f"No app with id '{app_id}'.")
    return found


def load_app(session: Session, app_id: str) -> StoredApp:
    """One app, for editing."""
    db_id = db_id_of(session, app_id)
    version = session.scalar(select(App.version).where(App.id == db_id))
    return StoredApp(db_id, version, load_facts(session, [db_id])[db_id])


def save_app(session: Session, app_id: str, changes: dict[str, Any], expected_version: int,
             who: str, source: str = Source.EDIT, detail: str | None = None) -> ChangeSet:
    """Apply an edit made on the copy read at `expected_version`."""
    require_valid(changes, limits=app_limits(), whose=f"app {app_id}")
    stored = load_app(session, app_id)
    if stored.version != expected_version:
        raise _stale(stored, changes)
    result = _apply(session, stored, changes, who, source, detail)
    reclassify(session, [stored.db_id])
    return result


def bulk_edit(session: Session, app_ids: list[str], changes: dict[str, Any], who: str,
              source: str = Source.BULK_EDIT, detail: str | None = None) -> ChangeSet:
    """The same changes on many apps at once, as one undoable step."""
    require_valid(changes, limits=app_limits(), whose="the apps")
    result = ChangeSet()
    touched = []
    for app_id in app_ids:
        stored = load_app(session, app_id)
        result.extend(_apply(session, stored, changes, who, source, detail))
        touched.append(stored.db_id)
    reclassify(session, touched)
    return result


def create_app(session: Session, facts: AppFacts, who: str, source: str = Source.EDIT,
               detail: str | None = None) -> ChangeSet:
    """Add a new app (an app_id is generated when it has none)."""
    if not facts.app_id:
        facts = facts.with_changes(app_id=new_app_id())
    require_valid({k: v for k, v in app_values(facts).items() if v is not None or k == "name"},
                  limits=app_limits(), whose=f"app {facts.app_id}")
    if session.scalar(select(App.id).where(App.app_id == facts.app_id)) is not None:
        raise StaleEdit(f"An app with id '{facts.app_id}' already exists.", [])
    db_id = session.execute(insert(App).values(**scalar_columns(facts), version=1)).inserted_primary_key[0]
    replace_owners(session, db_id, facts.owners)
    _write_integrations(session, db_id, facts.integrations)
    change = FieldChange(Entity.APP, facts.app_id, "(app)", None, CREATED)
    log_changes(session, [change], who, source, detail)
    reclassify(session, [db_id])
    return ChangeSet([change], {(Entity.APP, facts.app_id): 1})


def delete_apps(session: Session, app_ids: list[str], who: str,
                source: str = Source.EDIT) -> ChangeSet:
    """Remove apps; the change set keeps what they were so undo can bring them back."""
    result = ChangeSet()
    for app_id in app_ids:
        stored = load_app(session, app_id)
        session.execute(delete(App).where(App.id == stored.db_id))
        result.snapshots[app_id] = stored.facts
        result.changes.append(FieldChange(Entity.APP, app_id, "(app)", EXISTS, DELETED))
    log_changes(session, result.changes, who, source)
    return result


def revert(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a change set (a revert of a revert is a redo); logged as its own change."""
    result = ChangeSet()
    created = [c.key for c in done.changes if c.field == "(app)" and c.new == CREATED]
    if created:
        result.extend(delete_apps(session, created, who, source=Source.UNDO))
    for app_id, facts in done.snapshots.items():
        result.extend(create_app(session, facts, who, source=Source.UNDO))
    for app_id in done.keys(Entity.APP):
        if app_id in created or app_id in done.snapshots:
            continue
        old = {c.field: c.old for c in done.changes if c.key == app_id and c.entity == Entity.APP}
        version = done.versions[(Entity.APP, app_id)]
        result.extend(save_app(session, app_id, old, version, who, source=Source.UNDO))
    return result


def _apply(session: Session, stored: StoredApp, changes: dict[str, Any], who: str,
           source: str, detail: str | None) -> ChangeSet:
    before = stored.values
    diff = {k: v for k, v in changes.items() if before.get(k) != v}
    app_id = stored.facts.app_id
    new_version = stored.version + (1 if diff else 0)
    result = ChangeSet(versions={(Entity.APP, app_id): new_version})
    if not diff:
        return result
    after = facts_from_values(diff, base=stored.facts)
    guarded = session.execute(
        update(App).where(App.id == stored.db_id, App.version == stored.version)
        .values(**scalar_columns(after), version=new_version)
    )
    if guarded.rowcount != 1:  # another writer got in between our read and this write
        raise _stale(load_app(session, app_id), changes)
    if after.owners != stored.facts.owners:
        replace_owners(session, stored.db_id, after.owners)
    if after.integrations != stored.facts.integrations:
        _write_integrations(session, stored.db_id, after.integrations)
    result.changes = [FieldChange(Entity.APP, app_id, k, before.get(k), v) for k, v in diff.items()]
    log_changes(session, result.changes, who, source, detail)
    return result


def _stale(current: StoredApp, attempted: dict[str, Any]) -> StaleEdit:
    return stale_edit(f"'{current.facts.name}'", current.values, attempted, APP_FIELD_BY_NAME)


def _write_integrations(session: Session, db_id: int, integrations) -> None:
    session.execute(delete(IntegrationLink).where(IntegrationLink.app_id == db_id))
    rows = [
        {"app_id": db_id, "position": n, "system": i.system, "direction": i.direction,
         "approved": i.approved, "external_api": i.external_api, "enterprise": i.enterprise,
         "asynchronous": i.asynchronous}
        for n, i in enumerate(integrations or ())
    ]
    if rows:
        executemany(session, IntegrationLink, rows)
