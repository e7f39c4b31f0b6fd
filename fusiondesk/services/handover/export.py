"""A handover plan as an xlsx workbook: one row per app, for the leaver's manager and auditors.

Written through `sheets.writer`, so it looks like every other FusionDesk workbook
and nothing a user typed can become a live formula. The file is written beside
its destination and moved into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from fusiondesk.core import clock
from fusiondesk.core.handover import ACTION_LABELS, CHECKLIST, TRIAGE_LABELS
from fusiondesk.services.handover.plans import StoredItem, StoredPlan
from fusiondesk.sheets.writer import SheetWriter, new_workbook, save_workbook

# (header, width) of the plan sheet: the app, the decision, one column per checklist box, dates.
_COLUMNS = (
    ("App ID", 18), ("Name", 34), ("Tier", 6), ("Triage", 17), ("Why", 40), ("Action", 20),
    ("Covered by", 28), ("Successor", 30), ("Checklist", 11),
    *((label, 14) for label in CHECKLIST.values()),
    ("Due", 12), ("Overdue", 9), ("Status", 12), ("Uncovered because", 50),
)


def export_plan(plan: StoredPlan, path: str | os.PathLike, today: date | None = None) -> Path:
    """Write `plan` to an xlsx file at `path` and return where it went."""
    today = today or clock.today()
    target = Path(path)
    book = new_workbook()
    items = SheetWriter(book, "Handover", _COLUMNS)
    for item in plan.items:
        items.append(_row(item, today))
    items.finish()
    summary = SheetWriter(book, "Plan", (("Plan", 22), ("Value", 50)))
    summary.extend(_summary(plan, today))
    summary.finish()
    save_workbook(book, target)
    return target


def _row(item: StoredItem, today: date) -> list[Any]:
    ticked = ["yes" if item.checklist[key] else "no" for key in CHECKLIST]
    return [
        item.app_id, item.name, item.tier, TRIAGE_LABELS.get(item.triage, item.triage),
        item.triage_why, ACTION_LABELS.get(item.action, item.action), item.covered_by,
        item.successor_email, f"{item.checklist_done} of {len(CHECKLIST)}", *ticked,
        item.due, "yes" if item.is_overdue(today) else "no", item.status, item.uncovered_why,
    ]


def _summary(plan: StoredPlan, today: date) -> list[tuple[str, Any]]:
    return [
        ("Person", plan.person_email), ("Name", plan.person_name),
        ("Status of person", plan.person_status), ("Leave date", plan.leave_date),
        ("Plan status", plan.status), ("Apps", len(plan.items)), ("Done", plan.done),
        ("Overdue", len(plan.overdue(today))), ("Uncovered", len(plan.uncovered)),
        ("Plan made", plan.created.replace(microsecond=0)), ("Exported on", today),
    ]
