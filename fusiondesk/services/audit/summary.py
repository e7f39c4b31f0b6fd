"""The Summary sheet of the audit workbook: the figures, small tables and native Excel charts."""

from __future__ import annotations

import math

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from fusiondesk.core.flags import FLAG_LABELS, FLAG_NAMES
from fusiondesk.core.measures import abandonment_rate, within_abandonment_target
from fusiondesk.sheets.writer import FONT_NAME, HEADER_FILL, HEADER_FONT, safe_row, set_up_printing

TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
ROW_CM = 0.53  # Excel's default row (15 pt), for stacking charts without overlap
CHART_COLUMN = "E"  # right of the figures (A), their values (B) and notes (C)


def write_summary(sheet, totals, meta: dict) -> None:
    """Write the figures and tables, then chart each table beside it."""
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 26
    set_up_printing(sheet)
    rows = _Rows(sheet)
    rows.add([_styled(sheet, "FusionDesk audit workbook", TITLE_FONT)])
    for label, value in meta.items():
        rows.add([label, value])
    rows.add([])
    for figure in _figures(sheet, totals):
        rows.add(list(figure))
    tables = [
        ("Apps by tier", [(f"Tier {t}", totals.by_tier.get(t, 0)) for t in (4, 3, 2, 1)]),
        ("Apps by department", sorted(totals.by_department.items())),
        ("Apps by platform", sorted(totals.by_platform.items())),
        ("Warning signs", [(FLAG_LABELS[n], totals.by_flag.get(n, 0)) for n in FLAG_NAMES]),
    ]
    free_row = 1  # charts stack down their own column, each below the one before
    for title, pairs in tables:
        rows.add([])
        first = rows.add([_header(sheet, title), _header(sheet, "Apps")])
        for label, count in pairs:
            rows.add([label, count])
        if pairs:
            free_row = _chart(sheet, title, first, first + len(pairs), max(first, free_row))


def _figures(sheet, totals) -> list[tuple]:
    rate = abandonment_rate(totals.no_active_owner, totals.in_service)
    verdict = "within" if within_abandonment_target(rate) else "above"
    share = WriteOnlyCell(sheet, value=rate)  # a number, shown as a percentage
    share.number_format = "0.0%"
    return [
        ("Apps", totals.apps),
        ("Apps above their approved tier (drift)", totals.drift),
        ("Overdue reviews", totals.overdue_reviews),
        ("Apps with no active owner", totals.no_active_owner),
        ("Apps depending on a single owner", totals.single_owner),
        ("Abandonment rate", share, f"{verdict} the 10% target"),
        ("Apps with unknown facts", totals.with_unknowns),
        ("Findings (warning signs)", totals.findings),
    ]


class _Rows:
    """Appends rows and remembers the number of the last one (for chart references)."""

    def __init__(self, sheet):
        self.sheet, self.count = sheet, 0

    def add(self, values: list) -> int:
        self.sheet.append(safe_row(self.sheet, values))  # labels are user data too
        self.count += 1
        return self.count


def _styled(sheet, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _header(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    return cell


def _chart(sheet, title: str, header_row: int, last_row: int, at_row: int) -> int:
    """A horizontal bar chart of one table, anchored at `at_row`; the first row below it."""
    chart = BarChart()
    chart.type = "bar"  # horizontal bars keep long department names readable
    chart.title = title
    chart.legend = None
    chart.height = max(6.0, 0.45 * (last_row - header_row) + 3)
    chart.width = 16
    data = Reference(sheet, min_col=2, min_row=header_row, max_row=last_row)
    labels = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    sheet.add_chart(chart, f"{CHART_COLUMN}{at_row}")
    return at_row + math.ceil(chart.height / ROW_CM) + 1
