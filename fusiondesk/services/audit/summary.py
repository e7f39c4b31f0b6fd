"""The Summary sheet of the audit workbook: the figures, small tables and native Excel charts."""

from __future__ import annotations

import math

from fusiondesk.core.flags import FLAG_LABELS, FLAG_NAMES
from fusiondesk.sheets.writer import (
    HEADER_STYLE,
    PERCENT_STYLE,
    TITLE_STYLE,
    StreamedWorkbook,
    Styled,
    set_up_printing,
    write_row,
)

ROW_PX = 20  # Excel's default row (15 pt), for stacking charts without overlap
CHART_COLUMN = 4  # E: right of the figures (A), their values (B) and notes (C)
CHART_WIDTH_PX = 605  # 16 cm
# The tables' labels are short; their header style must not wrap them.
TABLE_HEADER_STYLE = {**HEADER_STYLE, "text_wrap": False}


def write_summary(workbook: StreamedWorkbook, sheet, totals, meta: dict) -> None:
    """Write the figures and tables, then chart each table beside it."""
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 2, 26)
    set_up_printing(sheet)
    rows = _Rows(workbook, sheet)
    sheet.set_row(0, 21)  # the 14-point title's line, so the rows below (and charts) keep place
    rows.add([Styled("FusionDesk audit workbook", workbook.style(TITLE_STYLE))])
    for label, value in meta.items():
        rows.add([label, value])
    rows.add([])
    for figure in _figures(workbook, totals):
        rows.add(list(figure))
    tables = [
        ("Apps by tier", [(f"Tier {t}", totals.by_tier.get(t, 0)) for t in (4, 3, 2, 1)]),
        ("Apps by department", sorted(totals.by_department.items())),
        ("Apps by platform", sorted(totals.by_platform.items())),
        ("Warning signs", [(FLAG_LABELS[n], totals.by_flag.get(n, 0)) for n in FLAG_NAMES]),
        # the apps in production failing each check of the gate (core.gate), every check listed
        ("Production gate", totals.gate.table()),
    ]
    header = workbook.style(TABLE_HEADER_STYLE)
    free_row = 0  # charts stack down their own column, each below the one before
    for title, pairs in tables:
        rows.add([])
        first = rows.add([Styled(title, header), Styled("Apps", header)])
        for label, count in pairs:
            rows.add([label, count])
        if pairs:
            free_row = _chart(workbook, sheet, title, first, first + len(pairs), max(first, free_row))


def _figures(workbook: StreamedWorkbook, totals) -> list[tuple]:
    left = totals.abandonment
    verdict = "within" if left.within_target else "above"
    percent = workbook.style(PERCENT_STYLE)
    by_quarter = [(f"Abandonment rate, builders who left in {quarter}",
                   Styled(n / d if d else 0.0, percent), f"{n:,} of {d:,} apps")
                  for quarter, n, d in left.by_quarter]
    return [
        ("Apps", totals.apps),
        ("Apps above their approved tier (drift)", totals.drift),
        ("Overdue reviews", totals.overdue_reviews),
        ("Apps with no active owner", totals.no_active_owner),
        ("Apps depending on a single owner", totals.single_owner),
        # a number, shown as a percentage
        ("Abandonment rate", Styled(left.rate, percent),
         f"{left.numerator:,} of {left.denominator:,} apps of builders who left have no active "
         f"owner: {verdict} the 10% target"),
        *by_quarter,
        ("Apps with unknown facts", totals.with_unknowns),
        ("Findings (warning signs)", totals.findings),
        ("Apps in production (gated)", totals.gate.gated),
        ("Apps failing the production gate", totals.gate.failed,
         "the Production gate sheet lists each check they fail"),
    ]


class _Rows:
    """Writes rows one below the other and gives the (0-based) number of each."""

    def __init__(self, workbook: StreamedWorkbook, sheet):
        self.workbook, self.sheet, self.next = workbook, sheet, 0

    def add(self, values: list) -> int:
        write_row(self.workbook, self.sheet, self.next, values)  # labels are user data: text only
        self.next += 1
        return self.next - 1


def _chart(workbook: StreamedWorkbook, sheet, title: str, header_row: int, last_row: int,
           at_row: int) -> int:
    """A horizontal bar chart of one table, anchored at `at_row`; the first row below it."""
    chart = workbook.book.add_chart({"type": "bar"})  # horizontal bars keep long names readable
    name = sheet.get_name()
    chart.add_series({
        "name": [name, header_row, 1],
        "categories": [name, header_row + 1, 0, last_row, 0],
        "values": [name, header_row + 1, 1, last_row, 1],
    })
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    height = round(37.8 * max(6.0, 0.45 * (last_row - header_row) + 3))  # cm to pixels
    chart.set_size({"width": CHART_WIDTH_PX, "height": height})
    # "Don't move or size with cells": rows sized later by a reader cannot stretch it over the next
    sheet.insert_chart(at_row, CHART_COLUMN, chart, {"object_position": 3})
    return at_row + math.ceil(height / ROW_PX) + 1
