"""Use cases for people: list, edit (status, leave date, manager, ...), create, delete.

A person's status decides whether their apps still have an active owner, so
every change to a person reclassifies the apps they own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from fusiondesk.core.errors import NotFound, StaleEdit
from fusiondesk.core.fields import PERSON_FIELD_BY_NAME, PERSON_FIELDS
from fusiondesk.core.terms import Entity, PersonStatus, Source
from fusiondesk.core.validation import InvalidValues, check_lengths, check_values, is_email
from fusiondesk.core.values import join_list, split_list
from fusiondesk.db.models import Ownership, Person
from fusiondesk.db.store.apps import refresh_owner_summaries
from fusiondesk.db.store.limits import person_limits
from fusiondesk.db.store.ownership import write_owners
from fusiondesk.db.store.people import PERSON_LISTS, person_rows
from fusiondesk.services.changes import (
    CREATED,
    DELETED,
    ChangeSet,
    FieldChange,
    log_changes,
    stale_edit,
)
from fusiondesk.services.classification.reclassify import reclassify

PERSON_COLUMNS = tuple(f.name for f in PERSON_FIELDS)


def list_people(session: Session, search: str = "", status: str | None = None) -> list[dict]:
    """People with the number of apps each owns, sorted by name then e-mail."""
    owned = (
        select(Ownership.person_id, func.count(func.distinct(Ownership.app_id)).label("n"))
        .group_by(Ownership.person_id).subquery()
    )
    columns = [getattr(Person, name) for name in PERSON_COLUMNS]
    statement = (
        select(*columns, Person.version, func.coalesce(owned.c.n, 0))
        .outerjoin(owned, owned.c.person_id == Person.id)
    )
    if status:
        statement = statement.where(Person.status == status)
    for word in search.split():
        pattern = f"%{word}%"
        statement = statement.where(Person.email.ilike(pattern) | Person.name.ilike(pattern)
                                    | Person.department.ilike(pattern))
    rows = []
    # Core rows, not ORM objects: a big portfolio has tens of thousands of people
    for row in session.execute(statement.order_by(Person.name, Person.email)):
        values = dict(zip(PERSON_COLUMNS, row))
        for name in PERSON_LISTS:
            values[name] = split_list(values[name])
        values.update(_version=row[-2], apps_owned=row[-1])
        rows.append(values)
    return rows


def person_key(values: dict) -> str:
    """How a person is addressed: their e-mail, or their name while they have none.

    An owner a platform export names only by display name is a person without an
    e-mail (see import_owners); there is one such person per name.
    """
    return values["email"] or values["name"]


def _is_person(key: str):
    """The SQL condition that picks the person a key names."""
    if "@" in key:
        return Person.email == key.strip().lower()
    return Person.email.is_(None) & (Person.name == key)


def load_person(session: Session, key: str) -> tuple[dict, int]:
    """A person's values and the version they were read at."""
    found = person_rows(session, where=_is_person(key), ordered=False)
    if not found:
        raise NotFound(f"No person with e-mail '{key}'." if "@" in key
                       else f"No person named '{key}' without an e-mail.")
    return found[0].values, found[0].version


def validate_person(values: dict[str, Any]) -> None:
    """Refuse values a person cannot have, with a message per field."""
    problems = check_values(values, person=True)
    who = values.get("email") or values.get("name")
    problems.update(check_lengths(values, person_limits(), True, f"person {who}" if who else None))
    for name in ("email", "manager_email"):
        value = values.get(name)
        if value and not is_email(value):
            problems[name] = f"{PERSON_FIELD_BY_NAME[name].label} '{value}' is not an e-mail address"
    if problems:
        raise InvalidValues(problems)


def save_person(session: Session, email: str, changes: dict[str, Any], expected_version: int,
                who: str, source: str = Source.EDIT, detail: str | None = None) -> ChangeSet:
    """Apply an edit made on the copy read at `expected_version`."""
    validate_person(changes)
    before, version = load_person(session, email)
    _check_email_change(session, before, changes)
    if version != expected_version:
        raise _stale(before, changes)
    diff = {k: v for k, v in changes.items() if before.get(k) != v}
    result = ChangeSet(versions={(Entity.PERSON, person_key(before)): version + (1 if diff else 0)})
    if not diff:
        return result
    stored = {k: join_list(v) if k in PERSON_LISTS else v for k, v in diff.items()}
    guarded = session.execute(
        update(Person).where(_is_person(person_key(before)), Person.version == version)
        .values(**stored, version=version + 1)
    )
    if guarded.rowcount != 1:
        raise _stale(load_person(session, email)[0], changes)
    key = person_key({**before, **diff})  # completing an e-mail makes it the key
    result.changes = [FieldChange(Entity.PERSON, key, k, before.get(k), v) for k, v in diff.items()]
    result.versions = {(Entity.PERSON, key): version + 1}
    log_changes(session, result.changes, who, source, detail)
    owned = apps_owned_by(session, key)
    if "email" in diff:  # their apps showed them by name: now by e-mail
        refresh_owner_summaries(session, owned)
    reclassify(session, owned)
    return result


def _check_email_change(session: Session, before: dict, changes: dict) -> None:
    """An e-mail is set once: filled in for someone without one, never changed after."""
    new = changes.get("email")
    if "email" not in changes or new == before["email"]:
        return
    if before["email"] is not None or not new:
        # the e-mail is the key other portfolios and imports match people by
        raise InvalidValues({"email": "An e-mail cannot be changed; add the new address as a new person."})
    if session.scalar(select(Person.id).where(Person.email == new)) is not None:
        raise InvalidValues({"email": f"{new} is already in the portfolio; that person owns "
                                      "nothing of this one's until you merge them by import"})


def create_person(session: Session, values: dict[str, Any], who: str,
                  source: str = Source.EDIT) -> ChangeSet:
    """Add a person (their e-mail must be new)."""
    email = (values.get("email") or "").strip().lower()
    if not email and source == Source.UNDO and values.get("name"):
        email = None  # bringing back someone who had no e-mail yet
    values = {**values, "email": email}
    values.setdefault("status", PersonStatus.ACTIVE)
    validate_person({k: v for k, v in values.items() if v is not None or k != "email"})
    if email is not None and session.scalar(select(Person.id).where(Person.email == email)) is not None:
        raise InvalidValues({"email": f"{email} is already in the portfolio"})
    stored = {k: join_list(v) if k in PERSON_LISTS else v for k, v in values.items()}
    session.execute(insert(Person).values(**stored, version=1))
    change = FieldChange(Entity.PERSON, person_key(values), "(person)", None, CREATED)
    log_changes(session, [change], who, source)
    return ChangeSet([change], {(Entity.PERSON, person_key(values)): 1})


def delete_person(session: Session, email: str, who: str) -> ChangeSet:
    """Remove a person and their ownerships; undo brings both back."""
    values, _ = load_person(session, email)
    person_id = session.scalar(select(Person.id).where(_is_person(person_key(values))))
    owned = apps_owned_by(session, person_key(values))
    ownerships = session.execute(
        select(Ownership.app_id, Ownership.role).where(Ownership.person_id == person_id)
    ).all()
    session.execute(delete(Person).where(Person.id == person_id))
    change = FieldChange(Entity.PERSON, person_key(values), "(person)", "(exists)", DELETED)
    log_changes(session, [change], who, Source.EDIT)
    reclassify(session, owned)
    return ChangeSet([change], snapshots={person_key(values): (values, [tuple(o) for o in ownerships])})


def revert_person(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a person change set; logged as its own change."""
    result = ChangeSet()
    for email, (values, ownerships) in done.snapshots.items():
        result.extend(create_person(session, values, who, source=Source.UNDO))
        person_id = session.scalar(select(Person.id).where(_is_person(email)))
        if ownerships:
            write_owners(session, [(app_id, role, person_id, None) for app_id, role in ownerships])
            reclassify(session, sorted({app_id for app_id, _ in ownerships}))
    for change in done.changes:
        if change.field == "(person)" and change.new == CREATED:
            result.extend(delete_person(session, change.key, who))
    for email in done.keys(Entity.PERSON):
        if email in done.snapshots or any(c.key == email and c.field == "(person)" for c in done.changes):
            continue
        old = {c.field: c.old for c in done.changes if c.key == email and c.entity == Entity.PERSON}
        version = done.versions[(Entity.PERSON, email)]
        result.extend(save_person(session, email, old, version, who, Source.UNDO))
    return result


def apps_owned_by(session: Session, email: str) -> list[int]:
    """Database ids of the apps a person owns in any role."""
    statement = (
        select(Ownership.app_id).join(Person, Ownership.person_id == Person.id)
        .where(_is_person(email)).distinct()
    )
    return list(session.scalars(statement))


def _stale(current: dict, attempted: dict) -> StaleEdit:
    return stale_edit(person_key(current), current, attempted, PERSON_FIELD_BY_NAME)
