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
from fusiondesk.db.store import Session
from fusiondesk.db.store import certifications as store
from fusiondesk.db.store.ownership import apps_owned_by
from fusiondesk.services.changes import FieldChange, log_changes
from fusiondesk.services.classification.reclassify import reclassify
from fusiondesk.services.developers.edits import log_field
from fusiondesk.services.people.lookup import people_index, refuse_a_list_of_strangers
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
    people = people_index(session)
    refuse_a_list_of_strangers(read.source, [(r.email, r.person) for r in read.records], people)
    ids = people.ids
    held = {(key, name_key(s.certificate.platform), s.certificate.level, s.certificate.obtained)
            for key, found in store.all_certificates(session).items() for s in found}
    added: list[tuple[str, int, Certificate]] = []
    for record in read.records:
        key = people.key_of(record.email, record.person)
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
