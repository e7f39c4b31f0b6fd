"""The person_certification table ↔ core `Certificate`s: every read and write of certifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from fusiondesk.core.certification import Certificate, standing
from fusiondesk.core.terms import OwnerRole, PersonRole
from fusiondesk.core.values import split_list
from fusiondesk.db.models import App, Ownership, Person, PersonCertification
from fusiondesk.db.store.chunks import Scope, chunks
from fusiondesk.db.store.driver import raw_rows

_CERT = PersonCertification
_COLUMNS = (_CERT.platform, _CERT.level, _CERT.obtained, _CERT.expires, _CERT.name)
_ORDER = (_CERT.platform, _CERT.expires.desc(), _CERT.id)


class StoredCertificate(NamedTuple):
    """A certification row: its id, whose it is (person key) and what it says."""

    id: int
    person: str
    certificate: Certificate


def _key():
    return func.coalesce(Person.email, Person.name)


def _certificate(row) -> Certificate:
    return Certificate(*row)


def certificates_of(session: Session, person_id: int) -> list[StoredCertificate]:
    """One person's certifications, by platform, newest expiry first."""
    query = (select(_CERT.id, _key(), *_COLUMNS).join(Person, Person.id == _CERT.person_id)
             .where(_CERT.person_id == person_id).order_by(*_ORDER))
    return [StoredCertificate(row[0], row[1], _certificate(row[2:]))
            for row in session.execute(query)]


def all_certificates(session: Session) -> dict[str, list[StoredCertificate]]:
    """Everyone's certifications by person key (e-mail, or name while they have none)."""
    query = (select(_CERT.id, _key(), *_COLUMNS).join(Person, Person.id == _CERT.person_id)
             .order_by(_key(), *_ORDER))
    found: dict[str, list[StoredCertificate]] = {}
    for row in session.execute(query):
        found.setdefault(row[1], []).append(StoredCertificate(row[0], row[1], _certificate(row[2:])))
    return found


def certificates_by_person(session: Session) -> dict[str, list[Certificate]]:
    """Everyone's dated certifications as core facts, by person key (handover successors)."""
    return {key: [stored.certificate for stored in found]
            for key, found in all_certificates(session).items()}


def read_certificate(session: Session, certificate_id: int) -> StoredCertificate | None:
    """One certification by id, or None when it is gone."""
    query = (select(_CERT.id, _key(), *_COLUMNS).join(Person, Person.id == _CERT.person_id)
             .where(_CERT.id == certificate_id))
    row = session.execute(query).first()
    return None if row is None else StoredCertificate(row[0], row[1], _certificate(row[2:]))


def _values(cert: Certificate) -> dict:
    return {"platform": cert.platform, "level": cert.level, "obtained": cert.obtained,
            "expires": cert.expires, "name": cert.name}


def insert_certificate(session: Session, person_id: int, cert: Certificate) -> int:
    """Add one certification; its id."""
    _forget(session)
    statement = insert(_CERT).values(person_id=person_id, **_values(cert))
    return session.execute(statement).inserted_primary_key[0]


def insert_certificates(session: Session, rows: Iterable[tuple[int, Certificate]]) -> int:
    """Add many (person id, certificate) at once (an import, the sample); how many."""
    _forget(session)
    values = [{"person_id": person_id, **_values(cert)} for person_id, cert in rows]
    if values:
        session.execute(insert(_CERT), values)
    return len(values)


def update_certificate(session: Session, certificate_id: int, cert: Certificate) -> bool:
    """Change one certification; False when it no longer exists."""
    _forget(session)
    done = session.execute(update(_CERT).where(_CERT.id == certificate_id).values(**_values(cert)))
    return bool(done.rowcount)


def delete_certificate(session: Session, certificate_id: int) -> bool:
    """Remove one certification; False when it no longer exists."""
    _forget(session)
    return bool(session.execute(delete(_CERT).where(_CERT.id == certificate_id)).rowcount)


def builder_records(session: Session, scope: Scope | None = None) -> dict[str, list[Certificate]]:
    """Dated certifications by person key: of the builders of the apps in a scope of ids (an
    edit), else of everyone.

    Classifying 100,000 apps reads owners range by range; everyone's records are read once
    per session for all of them (kept in `session.info`, dropped by any write here).
    """
    if scope is not None and scope.ids is not None:
        builders = select(Ownership.person_id).where(Ownership.role == OwnerRole.PRIMARY.value)
        found: dict[str, list[Certificate]] = {}
        for where in scope.groups():
            _collect(session, _RECORDS.where(
                _CERT.person_id.in_(builders.where(where(Ownership.app_id)))), found)
        return found
    cached = session.info.get(_CACHE)
    if cached is None:
        cached = session.info[_CACHE] = _collect(session, _RECORDS, {})
    return cached


_RECORDS = (select(_key(), *_COLUMNS).join(Person, Person.id == _CERT.person_id)
            .order_by(*_ORDER))
_CACHE = "fusiondesk.certifications"


def _collect(session: Session, query, found: dict) -> dict[str, list[Certificate]]:
    # straight from the driver (dates as ISO text on every database): 30,000 people's records
    for key, platform, level, obtained, expires, name in raw_rows(session, query):
        found.setdefault(key, []).append(
            Certificate(platform, level, _day(obtained), _day(expires), name))
    return found


def _day(text: str | None) -> date | None:
    return text and date.fromisoformat(text[:10])


def _forget(session: Session) -> None:
    """Drop the records read for this session: they were just written."""
    session.info.pop(_CACHE, None)


# What the citizen developer record reads of each app a person built (is primary owner of).
_BUILT = (App.app_id, App.name, App.platform, App.lifecycle, App.tier, App.deployed_on,
          App.hours_saved_per_month, App.minutes_saved_per_run, App.runs_per_month, App.flags)


def built_apps(session: Session) -> dict[str, list[tuple]]:
    """Per person key, the apps they built (primary owner), in `_BUILT` order, by app id."""
    query = (select(_key(), *_BUILT).join(Ownership, Ownership.person_id == Person.id)
             .join(App, App.id == Ownership.app_id)
             .where(Ownership.role == OwnerRole.PRIMARY.value).order_by(_key(), App.app_id))
    found: dict[str, list[tuple]] = {}
    for row in session.execute(query):
        found.setdefault(row[0], []).append(tuple(row[1:]))
    return found


def developer_people(session: Session) -> list[tuple]:
    """(key, name, department, role, certification, certified_platforms, status) of everyone
    who is a citizen developer, has a certification on record or built an app."""
    recorded = select(_CERT.person_id)
    builders = select(Ownership.person_id).where(Ownership.role == OwnerRole.PRIMARY.value)
    query = (select(_key(), Person.name, Person.department, Person.role, Person.certification,
                    Person.certified_platforms, Person.status)
             .where((Person.role == PersonRole.CITIZEN_DEVELOPER.value) | Person.id.in_(recorded)
                    | Person.id.in_(builders))
             .order_by(func.lower(func.coalesce(Person.name, Person.email))))
    return [tuple(row) for row in session.execute(query)]


def person_id_of(session: Session, key: str) -> int | None:
    """A person's database id by key (e-mail, or name while they have none)."""
    return session.execute(select(Person.id).where(_key() == key)).scalar()


def people_keys(session: Session) -> list[tuple[int, str, str | None]]:
    """(id, key, name) of everyone: how an import of training records finds its people."""
    return [tuple(row) for row in session.execute(select(Person.id, _key(), Person.name))]


def owner_standings(session: Session, emails: list[str]) -> dict[str, dict]:
    """Per e-mail, the Owner fields the qualification rule reads (person_role, certificates):
    for an app edited but not yet saved, whose owners the form names by e-mail only."""
    if not emails:
        return {}
    found: dict[str, dict] = {}
    for group in chunks(sorted(set(emails))):
        records = _collect(session, _RECORDS.where(Person.email.in_(group)), {})
        people = select(Person.email, Person.role, Person.certification, Person.certified_platforms)
        for email, role, level, platforms in session.execute(people.where(Person.email.in_(group))):
            found[email] = {"person_role": role, "certificates": standing(
                level, split_list(platforms) or (), records.get(email, ()))}
    return found


def builder_standings(session: Session) -> dict[str, tuple | None]:
    """What counts of every citizen developer's certifications, by person key (an import
    classifies its new apps with them, as reclassifying would)."""
    records = builder_records(session)
    people = (select(_key(), Person.certification, Person.certified_platforms)
              .where(Person.role == PersonRole.CITIZEN_DEVELOPER.value))
    return {key: standing(level, split_list(platforms) or (), records.get(key, ()))
            for key, level, platforms in raw_rows(session, people)}


def move_certificates(session: Session, source_id: int, target_id: int) -> int:
    """Give one person's certifications to another (a record known by name merged into the
    directory's), leaving out any the target already holds; how many moved."""
    held = set(session.execute(
        select(_CERT.platform, _CERT.level, _CERT.obtained).where(_CERT.person_id == target_id)).all())
    moving = [cert_id for cert_id, *mark in session.execute(
        select(_CERT.id, _CERT.platform, _CERT.level, _CERT.obtained)
        .where(_CERT.person_id == source_id)) if tuple(mark) not in held]
    if moving:
        session.execute(update(_CERT).where(_CERT.id.in_(moving)).values(person_id=target_id))
    _forget(session)
    return len(moving)
