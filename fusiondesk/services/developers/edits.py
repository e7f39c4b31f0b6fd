"""Adding, changing and removing a person's certifications, logged and undoable.

A certification decides whether its holder is qualified to build the apps they own, so
every change reclassifies those apps (the 'builder not qualified' warning sign).
The change log names the platform in the field: 'certification: Power Apps'.
"""

from __future__ import annotations

from dataclasses import replace

from fusiondesk.core.certification import Certificate, certificate_problems, record_text
from fusiondesk.core.errors import NotFound
from fusiondesk.core.terms import Entity, Existence, Source
from fusiondesk.core.validation import InvalidValues
from fusiondesk.db.store import Session
from fusiondesk.db.store import certifications as store
from fusiondesk.db.store.ownership import apps_owned_by
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.classification.reclassify import reclassify

SNAPSHOT = "certificate:"  # ChangeSet.snapshots key prefix: certificate id -> (person, before, after)
_FIELD_WIDTH = 60  # change_log.field


def log_field(platform: str) -> str:
    """The change-log field of a certification on a platform."""
    return f"certification: {platform}"[:_FIELD_WIDTH]


def add_certificate(session: Session, person: str, cert: Certificate, who: str,
                    source: str = Source.EDIT) -> ChangeSet:
    """Give a person (by key) a certification."""
    cert = _checked(cert)
    person_id = _person_id(session, person)
    new_id = store.insert_certificate(session, person_id, cert)
    return _done(session, person, new_id, None, cert, who, source)


def change_certificate(session: Session, certificate_id: int, cert: Certificate, who: str,
                       source: str = Source.EDIT) -> ChangeSet:
    """Change one certification (platform, level, dates, name)."""
    cert = _checked(cert)
    before = _read(session, certificate_id)
    if before.certificate == cert:
        return ChangeSet()
    store.update_certificate(session, certificate_id, cert)
    return _done(session, before.person, certificate_id, before.certificate, cert, who, source)


def remove_certificate(session: Session, certificate_id: int, who: str,
                       source: str = Source.EDIT) -> ChangeSet:
    """Remove one certification."""
    before = _read(session, certificate_id)
    store.delete_certificate(session, certificate_id)
    return _done(session, before.person, certificate_id, before.certificate, None, who, source)


def revert_certificates(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo what the edits above did (a revert of a revert redoes)."""
    again = ChangeSet()
    for key, (person, before, after) in reversed(list(done.snapshots.items())):
        if not key.startswith(SNAPSHOT):
            continue
        certificate_id = int(key[len(SNAPSHOT):])
        if before is None:
            again.extend(remove_certificate(session, certificate_id, who, Source.UNDO))
        elif after is None:
            again.extend(add_certificate(session, person, before, who, Source.UNDO))
        else:
            again.extend(change_certificate(session, certificate_id, before, who, Source.UNDO))
    return again


def _checked(cert: Certificate) -> Certificate:
    cert = replace(cert, platform=" ".join(cert.platform.split()),
                   name=(cert.name or "").strip() or None)
    problems = certificate_problems(cert)
    if problems:
        raise InvalidValues(problems)
    return cert


def _person_id(session: Session, person: str) -> int:
    person_id = store.person_id_of(session, person)
    if person_id is None:
        raise NotFound(f"No person '{person}' in the portfolio: add them on the People page first.")
    return person_id


def _read(session: Session, certificate_id: int) -> store.StoredCertificate:
    found = store.read_certificate(session, certificate_id)
    if found is None:
        raise NotFound("That certification was removed meanwhile (by an undo or another lead): "
                       "reload the person and try again.")
    return found


def _done(session: Session, person: str, certificate_id: int, before: Certificate | None,
          after: Certificate | None, who: str, source: str) -> ChangeSet:
    """Log the change, reclassify the person's apps, and say how to undo it."""
    changes = [FieldChange(Entity.PERSON, person, log_field(c.platform), o, n)
               for c, o, n in _log_rows(before, after)]
    log_changes(session, changes, who, source)
    reclassify(session, apps_owned_by(session, person))
    return ChangeSet(changes, snapshots={f"{SNAPSHOT}{certificate_id}": (person, before, after)})


def _log_rows(before: Certificate | None, after: Certificate | None):
    """(certificate, old, new) rows; a move to another platform is a removal and an addition."""
    if before is not None and after is not None and before.platform != after.platform:
        return [(before, record_text(before), Existence.DELETED),
                (after, Existence.CREATED, record_text(after))]
    if before is None:
        return [(after, Existence.CREATED, record_text(after))]
    if after is None:
        return [(before, record_text(before), Existence.DELETED)]
    return [(after, record_text(before), record_text(after))]
