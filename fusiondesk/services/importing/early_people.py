"""A People sheet planned while the Apps sheet is still being parsed.

A workbook's People sheet (30,000 rows) is read well before its Apps sheet (100,000)
has left its parser process. Planning its people then runs beside that parsing, on a
core that would otherwise wait, instead of adding to the time after it. The plan is
kept only when that sheet is the inventory's one People table in the end; otherwise
the people are planned as usual. Planning rewrites some rows (managers given by name,
statuses from leave dates), so it works on a copy of the sheet's rows: a plan dropped
leaves the sheet as it was read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from fusiondesk.services.importing.people import KnownPeople, plan_people
from fusiondesk.services.importing.plan import ImportPlan, SheetPlan
from fusiondesk.services.importing.stored import PortfolioRead
from fusiondesk.sheets.mapping import PEOPLE
from fusiondesk.sheets.normalise import NormalisedRow, NormalisedTable
from fusiondesk.sheets.problems import Problem


@dataclass(slots=True)
class PlannedPeople:
    """What `plan_people` gave for one People sheet: the people, their problems, who is known."""

    table: NormalisedTable  # the sheet as read
    records: list[NormalisedRow]  # its rows as planning left them
    plan: ImportPlan  # holds only the people and their counts
    problems: list[Problem]
    known: KnownPeople


class EarlyPeople:
    """Plans the first People sheet offered, on the thread that offers it."""

    def __init__(self, portfolio: PortfolioRead) -> None:
        self._portfolio = portfolio
        self._lock = threading.Lock()  # the sheets are read on two threads at once
        self._offered = 0
        self._planned: PlannedPeople | None = None

    def offer(self, table: NormalisedTable, sheet: SheetPlan) -> None:
        """Plan a People sheet's people now (other sheets are left alone); never raises."""
        if table.entity != PEOPLE:
            return
        with self._lock:
            self._offered += 1
            if self._offered > 1:
                return  # two People sheets are planned together, as usual
        try:
            self._planned = self._plan(table, sheet)
        except Exception:  # noqa: BLE001 - planned again as usual, where it raises again
            self._planned = None

    def _plan(self, table: NormalisedTable, sheet: SheetPlan) -> PlannedPeople:
        records = [NormalisedRow(r.row, dict(r.values), r.valid) for r in table.records]
        plan, problems = ImportPlan(table.source, []), []
        known = plan_people(self._portfolio.people(), plan, [replace(table, records=records, by_field=None)],
                            {table.sheet: sheet.labels}, problems)
        return PlannedPeople(table, records, plan, problems, known)

    def take(self, people_tables: list[NormalisedTable]) -> PlannedPeople | None:
        """The early plan, if `people_tables` is just the sheet it planned; else None."""
        planned = self._planned
        if (planned is None or self._offered != 1 or len(people_tables) != 1
                or people_tables[0] is not planned.table):
            return None
        planned.table.records = planned.records  # as planning it now would have left it
        planned.table.values_changed()
        return planned
