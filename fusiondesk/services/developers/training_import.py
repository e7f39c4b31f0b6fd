"""Importing a training-records export: each row a certification of a person in the portfolio.

People are matched by e-mail, else by name (case and spacing aside); a row whose person is
not in the portfolio is reported, never invented (import the directory first). A row the
portfolio already holds (same person, platform, level and date obtained) is skipped, so
importing the same export twice adds nothing. One change-log row per certification added,
source import; the holders' apps are reclassified once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fusiondesk.core.certification import Certificate, certificate_problems, record_text
from fusiondesk.core.policy import name_key
from fusiondesk.core.terms import Entity, Existence, Source
from fusiondesk.core.values import name_key as person_name_key
from fusiondesk.db.store import Session
from fusiondesk.db.store import certifications as store
from fusiondesk.db.store.ownership import apps_owned_by
from fusiondesk.services.changes import FieldChange, log_changes
from fusiondesk.services.classification.reclassify import reclassify
from fusiondesk.services.developers.edits import log_field
from fusiondesk.sheets.reader import read_table
from fusiondesk.sheets.training_records import TrainingRead, TrainingRecord, read_training_records


@dataclass
class TrainingImport:
    """What an import of training records did."""

    added: int = 0
    already_there: int = 0
    unknown_people: list[tuple[int, str]] = field(default_factory=list)  # (row, who)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)

    def as_dict(self) -> dict:
        """For `developers --import-certifications --json`."""
        return {"added": self.added, "already_there": self.already_there,
                "unknown_people": [{"row": r, "who": w} for r, w in self.unknown_people],
                "skipped": [{"row": r, "why": w} for r, w in self.skipped]}


def read_training_file(path: str | Path) -> TrainingRead:
    """The certifications of a training-records file (xlsx, xls, csv); SheetError if unreadable."""
    return read_training_records(read_table(path))


def import_training_records(session: Session, read: TrainingRead, who: str,
                            detail: str | None = None) -> TrainingImport:
    """Add the certifications read to the people they name."""
    result = TrainingImport(skipped=list(read.skipped))
    ids, by_name = _people(session)
    held = {(key, name_key(s.certificate.platform), s.certificate.level, s.certificate.obtained)
            for key, found in store.all_certificates(session).items() for s in found}
    added: list[tuple[str, int, Certificate]] = []
    for record in read.records:
        key = record.email if record.email in ids else by_name.get(person_name_key(record.person or ""))
        if key is None:
            result.unknown_people.append((record.row, record.email or record.person or ""))
            continue
        cert = _certificate(record)
        problems = certificate_problems(cert)
        if problems:
            result.skipped.append((record.row, "; ".join(problems.values())))
            continue
        mark = (key, name_key(cert.platform), cert.level, cert.obtained)
        if mark in held:
            result.already_there += 1
            continue
        held.add(mark)
        added.append((key, ids[key], cert))
    store.insert_certificates(session, [(person_id, cert) for _key, person_id, cert in added])
    log_changes(session, [FieldChange(Entity.PERSON, key, log_field(cert.platform),
                                      Existence.CREATED, record_text(cert))
                          for key, _id, cert in added], who, Source.IMPORT, detail)
    holders = sorted({key for key, _id, _cert in added})
    reclassify(session, sorted({app for key in holders for app in apps_owned_by(session, key)}))
    result.added = len(added)
    return result


def _certificate(record: TrainingRecord) -> Certificate:
    return Certificate(record.platform, record.level, record.obtained, record.expires, record.exam)


def _people(session: Session) -> tuple[dict[str, int], dict[str, str]]:
    """Person ids by key, and keys by name (a name two people share matches nobody)."""
    ids: dict[str, int] = {}
    by_name: dict[str, str | None] = {}
    for person_id, key, name in store.people_keys(session):
        ids[key] = person_id
        if name:
            name = person_name_key(name)
            by_name[name] = None if name in by_name and by_name[name] != key else key
    return ids, {n: k for n, k in by_name.items() if k}
