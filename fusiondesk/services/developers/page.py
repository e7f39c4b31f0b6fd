"""What the Citizen developers page shows, read in one go on the worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fusiondesk.db.store import Session
from fusiondesk.services.developers.recognition import format_recognition, recognition_entries
from fusiondesk.services.developers.records import developer_records, record_json


@dataclass(frozen=True)
class DevelopersPage:
    """The records (as `developers --json` gives them) and the recognition list."""

    records: list[dict]
    recognition: str
    quarter: str | None


def developers_page(session: Session, quarter: str | None, today: date) -> DevelopersPage:
    """Every developer's record, and the recognition list for a quarter (None: all time)."""
    records = developer_records(session)
    text = format_recognition(recognition_entries(records, quarter), quarter)
    return DevelopersPage([record_json(r, today) for r in records], text, quarter)
