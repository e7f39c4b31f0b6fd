"""The audit workbook's "Citizen developers" sheet: one row per developer — their
certifications with expiry, solutions delivered, hours saved and apps they are not
qualified to build.

Hours saved per year come from each delivered app's ledger, as core.value counts them; apps
without the figure are counted apart, never as zero.
"""

from __future__ import annotations

from datetime import date

from fusiondesk.core.certification import record_text
from fusiondesk.db.store import Session
from fusiondesk.services.developers.records import developer_records, hours_saved

SHEET = "Citizen developers"
COLUMNS = (("person", 30), ("name", 24), ("department", 18), ("status", 10),
           ("certification_on_record", 14), ("current_level", 12), ("certifications", 60),
           ("expired", 40), ("apps_built", 10), ("solutions_delivered", 12),
           ("hours_saved_per_year", 14), ("apps_without_hours", 12), ("unqualified_apps", 40))


def write_developer_rows(session: Session, today: date, rows) -> None:
    """One row per developer into `rows` (the sheet, or its rows written in a second process:
    services.audit.record_sheets)."""
    for record in developer_records(session):
        current = [c for _id, c in record.certificates if c.is_current(today)]
        lapsed = [c for _id, c in record.certificates if not c.is_current(today)]
        hours, unknown = hours_saved(record.delivered())
        rows.append((record.key, record.name, record.department, record.status,
                     record.certification, record.current_level(today),
                     "; ".join(f"{c.platform}: {record_text(c)}" for c in current),
                     "; ".join(f"{c.platform}: {record_text(c)}" for c in lapsed),
                     len(record.apps), len(record.delivered()), hours, unknown,
                     "; ".join(a.app_id for a in record.unqualified_apps())))
