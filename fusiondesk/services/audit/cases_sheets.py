"""The audit workbook's "Escalations" and "Duplicates" sheets: every escalation case with its
stage days, rebuild decision, outcome and lesson; every duplicate decision with who and when."""

from __future__ import annotations

from fusiondesk.core.escalation import trigger_label
from fusiondesk.db.store import Session
from fusiondesk.services.duplicates import list_decisions
from fusiondesk.services.escalations import list_cases
from fusiondesk.sheets.writer import SheetWriter

CASE_SHEETS = ("Escalations", "Duplicates")


def write_case_sheets(session: Session, workbook) -> None:
    """Both sheets, after the ones the workbook already has."""
    _write_cases(session, workbook)
    _write_decisions(session, workbook)


def _write_cases(session: Session, workbook) -> None:
    sheet = SheetWriter(workbook, "Escalations", [
        ("case", 8), ("app_id", 38), ("name", 34), ("from", 22), ("reason", 40), ("owner", 30),
        ("stage", 12), ("partner", 30), ("recognised", 12), ("partnered", 12), ("decided", 12),
        ("closed", 12), ("rebuild", 40), ("outcome", 40), ("lesson", 60),
        ("policy_change", 34)])
    for case in reversed(list_cases(session)):  # oldest first, as a register reads
        sheet.append((case.id, case.app_id, case.app_name, trigger_label(case.trigger),
                      case.reason, case.owner, case.stage, case.partner_email,
                      case.recognised_on, case.partnered_on, case.decided_on, case.closed_on,
                      case.rebuild, case.outcome, case.lesson, case.policy_change))
    sheet.finish()


def _write_decisions(session: Session, workbook) -> None:
    sheet = SheetWriter(workbook, "Duplicates", [
        ("group", 18), ("apps", 60), ("score", 8), ("decision", 10), ("who", 30),
        ("decided_on", 12), ("note", 60)])
    for d in reversed(list_decisions(session)):
        sheet.append((d.group_key, "; ".join(d.app_ids), d.score, d.decision, d.who,
                      d.decided_on, d.note))
    sheet.finish()
