"""Use cases for people: list, edit (status, leave date, manager, ...), create, delete.

A person's status decides whether their apps still have an active owner, so
every change to a person reclassifies the apps they own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from fusiondesk.core.fields import PERSON_FIELD_BY_NAME, PERSON_FIELDS
from fusiondesk.core.validation import InvalidValues, check_values, is_email
from fusiondesk.core.values import join_list, split_list
from fusiondesk.db.errors import NotFound, StaleEdit
from fusiondesk.db.models import Ownership, Person
from fusiondesk.services.changes import (
    CREATED,
    DELETED,
    ChangeSet,
    FieldChange,
    executemany,
    log_changes,
    stale_edit,
)
from fusiondesk.services.classification import reclassify
from fusiondesk.services.records import PERSON_LISTS, person_values

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


def load_person(session: Session, email: str) -> tuple[dict, int]:
    """A person's values and the version they were read at."""
    person = session.scalar(select(Person).where(Person.email == email.strip().lower()))
    if person is None:
        raise NotFound(f"No person with e-mail '{email}'.")
    return person_values(person), person.version


def validate_person(values: dict[str, Any]) -> None:
    """Refuse values a person cannot have, with a message per field."""
    problems = check_values(values, person=True)
    for name in ("email", "manager_email"):
        value = values.get(name)
        if value and not is_email(value):
            problems[name] = f"{PERSON_FIELD_BY_NAME[name].label} '{value}' is not an e-mail address"
    if problems:
        raise InvalidValues(problems)


def save_person(session: Session, email: str, changes: dict[str, Any], expected_version: int,
                who: str, source: str = "edit", detail: str | None = None) -> ChangeSet:
    """Apply an edit made on the copy read at `expected_version`."""
    validate_person(changes)
    before, version = load_person(session, email)
    if "email" in changes and changes["email"] != before["email"]:
        # the e-mail is the key other portfolios and imports match people by
        raise InvalidValues({"email": "An e-mail cannot be changed; add the new address as a new person."})
    if version != expected_version:
        raise _stale(before, changes)
    diff = {k: v for k, v in changes.items() if before.get(k) != v}
    result = ChangeSet(versions={("person", before["email"]): version + (1 if diff else 0)})
    if not diff:
        return result
    stored = {k: join_list(v) if k in PERSON_LISTS else v for k, v in diff.items()}
    guarded = session.execute(
        update(Person).where(Person.email == before["email"], Person.version == version)
        .values(**stored, version=version + 1)
    )
    if guarded.rowcount != 1:
        raise _stale(load_person(session, email)[0], changes)
    key = before["email"]
    result.changes = [FieldChange("person", key, k, before.get(k), v) for k, v in diff.items()]
    result.versions = {("person", key): version + 1}
    log_changes(session, result.changes, who, source, detail)
    reclassify(session, apps_owned_by(session, key))
    return result


def create_person(session: Session, values: dict[str, Any], who: str, source: str = "edit") -> ChangeSet:
    """Add a person (their e-mail must be new)."""
    values = {**values, "email": (values.get("email") or "").strip().lower()}
    values.setdefault("status", "active")
    validate_person(values)
    if session.scalar(select(Person.id).where(Person.email == values["email"])) is not None:
        raise InvalidValues({"email": f"{values['email']} is already in the portfolio"})
    stored = {k: join_list(v) if k in PERSON_LISTS else v for k, v in values.items()}
    session.execute(insert(Person).values(**stored, version=1))
    change = FieldChange("person", values["email"], "(person)", None, CREATED)
    log_changes(session, [change], who, source)
    return ChangeSet([change], {("person", values["email"]): 1})


def delete_person(session: Session, email: str, who: str) -> ChangeSet:
    """Remove a person and their ownerships; undo brings both back."""
    values, _ = load_person(session, email)
    person_id = session.scalar(select(Person.id).where(Person.email == values["email"]))
    owned = apps_owned_by(session, values["email"])
    ownerships = session.execute(
        select(Ownership.app_id, Ownership.role).where(Ownership.person_id == person_id)
    ).all()
    session.execute(delete(Person).where(Person.id == person_id))
    change = FieldChange("person", values["email"], "(person)", "(exists)", DELETED)
    log_changes(session, [change], who, "edit")
    reclassify(session, owned)
    return ChangeSet([change], snapshots={values["email"]: (values, [tuple(o) for o in ownerships])})


def revert_person(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a person change set; logged as its own change."""
    result = ChangeSet()
    for email, (values, ownerships) in done.snapshots.items():
        result.extend(create_person(session, values, who, source="undo"))
        person_id = session.scalar(select(Person.id).where(Person.email == email))
        if ownerships:
            executemany(session, Ownership, [
                {"app_id": app_id, "role": role, "person_id": person_id} for app_id, role in ownerships
            ])
            reclassify(session, sorted({app_id for app_id, _ in ownerships}))
    for change in done.changes:
        if change.field == "(person)" and change.new == CREATED:
            result.extend(delete_person(session, change.key, who))
    for email in done.keys("person"):
        if email in done.snapshots or any(c.key == email and c.field == "(person)" for c in done.changes):
            continue
        old = {c.field: c.old for c in done.changes if c.key == email and c.entity == "person"}
        result.extend(save_person(session, email, old, done.versions[("person", email)], who, "undo"))
    return result


def apps_owned_by(session: Session, email: str) -> list[int]:
    """Database ids of the apps a person owns in any role."""
    statement = (
        select(Ownership.app_id).join(Person, Ownership.person_id == Person.id)
        .where(Person.email == email.strip().lower()).distinct()
    )
    return list(session.scalars(statement))


def _stale(current: dict, attempted: dict) -> StaleEdit:
    return stale_edit(current["email"], current, attempted, PERSON_FIELD_BY_NAME)
