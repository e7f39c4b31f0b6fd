"""Inventory import: preview what a spreadsheet would change, then apply it in one step.

    plan = plan_import(session, "inventory.xlsx")      # nothing written
    result = apply_import(portfolio, plan)             # backup, one transaction, log
    save_problem_report(result, "problems.xlsx")

The file is read and mapped in `read`, matched and diffed into an `ImportPlan` (`plan`)
in `match`, and written by `apply` through the store (`fusiondesk.db.store`). Applying
makes a backup first, writes every change in one transaction, logs each one as coming
from the file, and reclassifies what moved. A `progress(done, total)` callback that
raises cancels the whole import and leaves the portfolio as it was. The leavers'
handovers are planned right after the import commits, in a second step that the next
open or import repeats should it ever be interrupted (`handover.pending`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Callable

from fusiondesk.core.errors import PortfolioError
from fusiondesk.db.backups import make_backup
from fusiondesk.services.handover.pending import plan_pending_handovers
from fusiondesk.services.importing.apply import ImportStale, ImportWriter
from fusiondesk.services.importing.match import plan_from_inventory, plan_import
from fusiondesk.services.importing.plan import (
    Counts,
    FieldDiff,
    ImportPlan,
    Inventory,
    Outcome,
    PlannedApp,
    PlannedPerson,
    Reported,
    summary_of,
)
from fusiondesk.services.importing.read import read_inventory
from fusiondesk.sheets.problems import Problem
from fusiondesk.sheets.writer import SheetWriter, new_workbook, save_workbook

__all__ = [
    "Counts", "FieldDiff", "ImportAborted", "Outcome",
    "ImportCancelled", "ImportPlan", "ImportResult", "ImportStale", "Inventory",
    "PlannedApp", "PlannedPerson", "apply_import", "plan_from_inventory", "plan_handovers",
    "plan_import", "read_inventory", "save_problem_report", "write_import",
]

REPORT_COLUMNS = (("severity", 10), ("sheet", 16), ("row", 8), ("column", 26),
                  ("value", 36), ("message", 90))


class ImportAborted(Exception):
    """A strict import met errors; nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        errors, invalid = len(plan.errors), plan.totals.invalid
        super().__init__(f"{_count(errors, 'error')} ({_count(invalid, 'invalid row')}) in "
                         f"{plan.source}; nothing was imported (strict). Fix what is listed "
                         "as errors, or import without --strict to skip those cells and rows.")
        self.plan = plan


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


class ImportCancelled(Exception):
    """Raised by a progress callback to stop an import; the portfolio stays as it was."""


@dataclass(slots=True)
class ImportResult(Reported):
    """What an applied import did: counts per kind of row, problems, backup, log size."""

    source: str
    counts: dict[str, Counts]
    problems: list[Problem]
    backup: Path | None = None
    logged: int = 0  # change-log entries written
    reclassified: int = 0  # updated apps (and apps of changed people) reclassified
    created_people: int = 0  # from the People sheet and unknown owners together
    sheets: list = field(default_factory=list)
    skipped_sheets: list = field(default_factory=list)
    named_owners: int = 0  # owners given only by name, added as people without an e-mail
    handover_plans: int = 0  # leavers whose handover was planned, after the import committed
    handovers_pending: str | None = None  # why planning them must wait for the next open

    def summary(self) -> dict[str, Any]:
        """Counts and problems in the shape `fusiondesk import --json` prints."""
        return summary_of(self.totals, self.problems)


def apply_import(portfolio, plan: ImportPlan, strict: bool = False,
                 progress: Callable[[int, int], Any] | None = None) -> ImportResult:
    """Back up, write the plan in one transaction, then plan the leavers' handovers.

    Raises ImportAborted when strict. The handovers are planned in a second step, after
    the import commits (see `pending_handovers`).
    """
    result = write_import(portfolio, plan, strict, progress)
    plan_handovers(portfolio, result)
    return result


def plan_handovers(portfolio, result: ImportResult) -> None:
    """The import's second step: plan the handovers it (or an interrupted one) left due."""
    try:
        result.handover_plans = plan_pending_handovers(portfolio)
    except PortfolioError as error:  # the import itself is committed: say so, plan later
        result.handovers_pending = (f"The leavers' handover plans were not refreshed ({error}); "
                                    "they will be when the portfolio is next opened.")


def write_import(portfolio, plan: ImportPlan, strict: bool = False,
                 progress: Callable[[int, int], Any] | None = None) -> ImportResult:
    """The import's first step: back up, then write the plan in one transaction."""
    if strict and plan.refused_when_strict:
        raise ImportAborted(plan)
    result = ImportResult(plan.source, plan.counts, plan.problems, sheets=plan.sheets,
                          skipped_sheets=plan.skipped_sheets,
                          named_owners=len(plan.new_named_owners))
    if not plan.has_changes:
        return result  # a second import of the same file: no backup, no transaction
    if portfolio.is_sqlite:
        result.backup = make_backup(portfolio, reason="before-import").path
    with portfolio.transaction() as session:
        writer = ImportWriter(session, plan, portfolio.user, progress)
        writer.write()
    result.logged, result.reclassified = writer.logged, writer.reclassified
    result.created_people = writer.created_people
    return result


def save_problem_report(plan_or_result: ImportPlan | ImportResult,
                        path: str | PathLike) -> Path:
    """The problems as an xlsx: one row each, styled, filterable, never a live formula."""
    path = Path(path)
    workbook = new_workbook()
    sheet = SheetWriter(workbook, "Problems", REPORT_COLUMNS)
    for p in plan_or_result.problems:
        sheet.append([p.severity, p.sheet, p.row, p.column, p.value, p.message])
    sheet.finish()
    save_workbook(workbook, path)
    return path
