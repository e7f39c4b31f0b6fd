"""The person table ↔ `PersonFacts` and canonical values, by field name.

One mapping, read from the field registry (`core.fields.PERSON_FIELDS`) and the model's
columns: a person field added to both reads and writes here without shifting any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import and_, delete, insert, select, true, update
from sqlalchemy.orm import Session

from fusiondesk.core.facts import PersonFacts
from fusiondesk.core.fields import DATE, LIST, PERSON_COLUMNS, PERSON_FIELDS
from fusiondesk.core.terms import PersonStatus
from fusiondesk.core.validation import InvalidValues
from fusiondesk.core.values import join_list, name_key, split_list
from fusiondesk.db.models import Person
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import day_as_stored, insert_tuples, raw_rows, update_versioned

PERSON_LISTS = tuple(f.name for f in PERSON_FIELDS if f.kind == LIST)
PERSON_DATES = tuple(f.name for f in PERSON_FIELDS if f.kind == DATE)
# Every canonical field is a column of the same name (a field without one fails here).
_COLUMNS = tuple(Person.__table__.c[name] for name in PERSON_COLUMNS)
_FACT_NAMES = tuple(f.name for f in dataclass_fields(PersonFacts))
_INSERT = (*PERSON_COLUMNS, "version")


class StoredPerson(NamedTuple):
    """A person's row: database id, version, and canonical values by field name."""

    id: int
    version: int
    values: dict[str, Any]


def person_rows(session: Session, where=None, ordered: bool = True) -> list[StoredPerson]:
    """The people `where` selects (everyone by default), by e-mail unless not `ordered`.

    Values are canonical: lists split (NULL stays None, unknown), dates as dates. Read
    raw from the driver: an import reads a portfolio's 30,000 people.
    """
    statement = select(Person.id, Person.version, *_COLUMNS)
    if where is not None:
        statement = statement.where(where)
    if ordered:
        statement = statement.order_by(Person.email)
    found = []
    for row in raw_rows(session, statement):
        values = dict(zip(PERSON_COLUMNS, row[2:]))
        for name in PERSON_LISTS:
            values[name] = split_list(values[name])
        for name in PERSON_DATES:  # ISO text from the driver (raw_rows shapes every database so)
            values[name] = values[name] and date.fromisoformat(values[name][:10])
        found.append(StoredPerson(row[0], row[1], values))
    return found


def person_facts(values: dict[str, Any]) -> PersonFacts:
    """Canonical person values as core facts, by field name (an unknown list reads as none)."""
    return PersonFacts(**{name: (values[name] or ()) if name in PERSON_LISTS else values[name]
                          for name in _FACT_NAMES})


def read_people(session: Session, where=None) -> list[PersonFacts]:
    """The people `where` selects (everyone by default), as facts, by e-mail."""
    return [person_facts(row.values) for row in person_rows(session, where)]


def read_people_by_id(session: Session, where=None) -> dict[int, PersonFacts]:
    """The same, keyed by database id (in e-mail order)."""
    return {row.id: person_facts(row.values) for row in person_rows(session, where)}


def insert_people(session: Session, people: Iterable[PersonFacts]) -> dict[str, int]:
    """Add people (their e-mails must be new); returns e-mail → database id.

    Tuples go straight to SQLite's driver (an import adds 30,000 people), so each value
    is given in its stored form: e-mails folded, lists joined, dates as ISO text there.
    """
    forms = _stored_forms(session)
    rows = [(*(form(getattr(p, name)) for name, form in forms), 1) for p in people]
    insert_tuples(session, Person.__table__, _INSERT, rows)
    return dict(session.execute(select(Person.email, Person.id)).all())


def _stored_forms(session: Session) -> list[tuple[str, Any]]:
    day = day_as_stored(session)
    special = {"email": _email, "status": _status}
    special.update({name: _joined for name in PERSON_LISTS})
    special.update({name: day for name in PERSON_DATES})
    return [(name, special.get(name, _same)) for name in PERSON_COLUMNS]


def _email(value: str | None) -> str | None:
    return value.strip().lower() if value else None


def _status(value: str | None) -> str:
    return value or PersonStatus.ACTIVE


def _joined(value) -> str | None:
    return join_list(tuple(value)) or None if value is not None else None


def _same(value: object) -> object:
    return value


def person_ids(session: Session, keys: list[str]) -> dict[str, int]:
    """Ids of people by owner key (an e-mail, or the name of someone without one).

    An owner not yet known is added as a person: by e-mail, or without one.
    """
    emails = {k.strip().lower() for k in keys if "@" in k}
    found = dict(session.execute(select(Person.email, Person.id).where(Person.email.in_(emails))).all())
    for email in sorted(emails - found.keys()):
        found[email] = session.execute(
            insert(Person).values(email=email, status=PersonStatus.ACTIVE, version=1)
        ).inserted_primary_key[0]
    names = {" ".join(k.split()) for k in keys if "@" not in k}
    if names:
        found.update(_ids_by_name(session, names))
    return found


def _ids_by_name(session: Session, names: set[str]) -> dict[str, int]:
    """A name matches the one person who has it (e-mail or not); nobody: added without one."""
    by_key: dict[str, list[int]] = {}
    for person_id, name in session.execute(select(Person.id, Person.name)
                                           .where(Person.name.is_not(None))):
        by_key.setdefault(name_key(name), []).append(person_id)
    found = {}
    for name in sorted(names):
        matches = by_key.get(name_key(name), [])
        if len(matches) > 1:
            raise InvalidValues({"owners": f"“{name}” could be any of {len(matches)} people; "
                                           "write their e-mail instead"})
        found[name] = matches[0] if matches else session.execute(
            insert(Person).values(name=name, status=PersonStatus.ACTIVE, version=1)
        ).inserted_primary_key[0]
    return found


# ---- One person at a time (edits) ----

def person_named(key: str):
    """The condition that picks the person a key names: their e-mail, or the name of
    someone without one (for the store's own queries)."""
    if "@" in key:
        return Person.email == key.strip().lower()
    return Person.email.is_(None) & (Person.name == key)


def read_person(session: Session, key: str) -> StoredPerson | None:
    """The person a key names (an e-mail, or the name of someone without one), or None."""
    found = person_rows(session, where=person_named(key), ordered=False)
    return found[0] if found else None


def listed_people(session: Session, search: str = "", status: str | None = None) -> list[StoredPerson]:
    """People whose e-mail, name or department holds every word of `search` (any case),
    with `status` when given; sorted by name then e-mail, as the database sorts them."""
    where = [Person.status == status] if status else []
    for word in search.split():
        pattern = f"%{word}%"
        where.append(Person.email.ilike(pattern) | Person.name.ilike(pattern)
                     | Person.department.ilike(pattern))
    condition = and_(true(), *where)
    # the database's order (its collation, where it puts NULLs), applied to the rows read
    order = {person_id: n for n, (person_id,) in enumerate(raw_rows(
        session, select(Person.id).where(condition).order_by(Person.name, Person.email)))}
    last = len(order)  # someone added in between (no snapshot on every database) goes last
    return sorted(person_rows(session, where=condition, ordered=False),
                  key=lambda p: order.get(p.id, last))


def email_in_use(session: Session, email: str) -> bool:
    """True when someone in the portfolio has this e-mail."""
    return session.scalar(select(Person.id).where(Person.email == email)) is not None


def insert_person(session: Session, values: dict[str, Any]) -> int:
    """Add one person from canonical values (those not given stay empty); their database id."""
    made = session.execute(insert(Person).values(**_stored(values), version=1))
    return made.inserted_primary_key[0]


def update_person(session: Session, stored: StoredPerson, changes: dict[str, Any]) -> bool:
    """Write canonical values over the person read as `stored`, one version on; False when
    someone else changed them since (the version check)."""
    written = session.execute(
        update(Person).where(Person.id == stored.id, Person.version == stored.version)
        .values(**_stored(changes), version=stored.version + 1)
    )
    return written.rowcount == 1


def delete_person(session: Session, person_id: int) -> None:
    """Remove one person (their ownerships go with them)."""
    session.execute(delete(Person).where(Person.id == person_id))


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    return {k: join_list(v) if k in PERSON_LISTS else v for k, v in values.items()}


def people_with_status(session: Session, statuses: Iterable[str]) -> list[PersonFacts]:
    """The people whose status is one of `statuses`, as facts, by e-mail."""
    return read_people(session, where=Person.status.in_(list(statuses)))


# ---- Many people at a time (imports) ----

def ids_by_email(session: Session) -> dict[str, int]:
    """Every person with an e-mail: e-mail → database id."""
    return dict(session.execute(select(Person.email, Person.id)
                                .where(Person.email.is_not(None))).all())


def owners_by_key(session: Session) -> dict[str, tuple[int, str, str | None]]:
    """Every person as an owner: owner key (e-mail, or name while none) → (id, status, role)."""
    found = session.execute(select(Person.email, Person.name, Person.id, Person.status,
                                   Person.role))
    return {email or name: (db_id, status, role) for email, name, db_id, status, role in found}


def statuses_by_email(session: Session, emails: list[str]) -> dict[str, str]:
    """The status of each of these people, by e-mail (people not found are left out)."""
    found: dict[str, str] = {}
    for group in chunks(list(emails)):
        found.update(session.execute(
            select(Person.email, Person.status).where(Person.email.in_(group))).all())
    return found


def update_people(session: Session, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """UPDATE people given as (*values, id, version) still at that version; how many matched.

    Values are in stored form (lists joined, dates as ISO text on SQLite).
    """
    return update_versioned(session, Person.__table__, columns, rows)


def person_name(session: Session, person_id: int) -> str | None:
    """A person's name."""
    return session.scalar(select(Person.name).where(Person.id == person_id))
