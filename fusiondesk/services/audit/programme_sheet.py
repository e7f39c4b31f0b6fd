"""The audit workbook's "Programme" sheet: one page for an executive sponsor.

The headline figures (each with how it was counted), value and delivery per quarter, lead
time per tier against the 2–4 week target, the assumptions they rest on, and how many
inputs nobody recorded: the return on the programme, as services.programme counts it for
the Programme page and `programme --json`.
"""

from __future__ import annotations

from fusiondesk.core.delivery import TARGET_DAYS, lead_time_reason
from fusiondesk.core.policy import LICENCE_PLANS, Policy
from fusiondesk.core.value_reasons import totals_reasons
from fusiondesk.db.store import Session
from fusiondesk.services.programme import Programme, programme_figures
from fusiondesk.sheets.writer import (
    HEADER_STYLE,
    TITLE_STYLE,
    StreamedWorkbook,
    Styled,
    set_up_printing,
    write_row,
)

SHEET = "Programme"
RECENT_QUARTERS = 8  # a page holds two years of quarters
MONEY_STYLE = {"num_format": "#,##0"}
QUARTER_HEADERS = ("Delivered in", "Solutions delivered", "Apps in service", "Hours saved / year",
                   "Cost avoided", "Licence cost / year", "Net value", "Unknown inputs")  # money: the currency above


def write_programme_sheet(session: Session, workbook: StreamedWorkbook, policy: Policy) -> None:
    """Add the Programme sheet, counted under `policy` (the one the workbook states)."""
    found = programme_figures(session, policy)
    sheet = workbook.add_sheet(SHEET)
    for column, width in enumerate((34, 18, 16, 18, 16, 18, 16, 16)):
        sheet.set_column(column, column, width)
    set_up_printing(sheet, header_rows=True)
    rows = _Rows(workbook, sheet)
    sheet.set_row(0, 21)
    rows.add([Styled("The programme's value", workbook.style(TITLE_STYLE))])
    _headline(rows, found)
    _per_quarter(rows, found)
    _lead_times(rows, found)
    _assumptions(rows, found, policy)


def _headline(rows: _Rows, found: Programme) -> None:
    total, assumptions = found.value.total, found.assumptions
    reasons = totals_reasons(total, assumptions)
    money = rows.money
    rows.add([])
    currency = assumptions.currency
    rows.header(("Figure", "Value", "How it was counted"))
    for label, value, reason in (
            (f"Net value (first year, {currency})", money(total.net_value), reasons["net_value"]),
            ("Hours saved a year", money(total.hours_saved_per_year), reasons["hours_saved_per_year"]),
            (f"Value of the hours saved ({currency})", money(total.saved_value), reasons["saved_value"]),
            (f"Pro-dev cost avoided ({currency})", money(total.cost_avoided), reasons["cost_avoided"]),
            (f"Licence cost a year ({currency})", money(total.licence_cost), reasons["licence_cost"]),
            ("Payback (months)", _payback(total), reasons["payback_months"]),
            ("Apps in service", total.apps, reasons["apps"]),
            ("Unknown inputs (never counted as zero)", total.unknown_inputs,
             reasons["unknown_inputs"]),
            ("Solutions delivered", found.delivery.solutions_delivered,
             "Apps with a deployment date."),
            ("IT backlog items absorbed", found.delivery.backlog_items,
             "Delivered solutions whose record names the IT backlog item they took off IT's "
             "queue.")):
        rows.add([label, value, reason])


def _per_quarter(rows: _Rows, found: Programme) -> None:
    delivered = found.delivery.delivered_by_quarter
    quarters = sorted({q for q in (*delivered, *found.value.by_quarter) if q})[-RECENT_QUARTERS:]
    rows.add([])
    rows.add([f"Per quarter of delivery (the last {len(quarters)})"])
    rows.header(QUARTER_HEADERS)
    money = rows.money
    for quarter in reversed(quarters):
        totals = found.value.by_quarter.get(quarter)
        if totals is None:
            rows.add([quarter, delivered.get(quarter, 0), 0])
            continue
        rows.add([quarter, delivered.get(quarter, 0), totals.apps,
                  money(totals.hours_saved_per_year), money(totals.cost_avoided),
                  money(totals.licence_cost), money(totals.net_value), totals.unknown_inputs])


def _lead_times(rows: _Rows, found: Programme) -> None:
    delivery = found.delivery
    within, counted = delivery.within_target()
    rows.add([])
    rows.header(("Request to deployment", "Median days", "How it was counted"))
    for tier, days in delivery.median_lead_days().items():
        rows.add([f"Tier {tier}" if tier else "Unclassified", days,
                  lead_time_reason(tier, delivery.lead_days_by_tier[tier])])
    rows.add([f"Tier 1–2 within {TARGET_DAYS[1]} days (target 2–4 weeks)",
              f"{within:,} of {counted:,}"])


def _assumptions(rows: _Rows, found: Programme, policy: Policy) -> None:
    assumptions = found.assumptions
    rows.add([])
    rows.header(("Assumption (the policy in force)", f"Value ({assumptions.currency})", "Meaning"))
    rows.add(["A saved hour", assumptions.hourly_rate, "value.hourly_rate"])
    rows.add(["A pro-dev day", assumptions.prodev_day_rate,
              f"value.prodev_day_rate; a day is {assumptions.prodev_day_hours} hours"])
    for plan, _key, attr in LICENCE_PLANS:
        rows.add([f"{plan} plan, per app a month", getattr(policy, attr),
                  "used when an app's own licence cost is unknown"])


def _payback(total) -> str | float:
    if total.net_value is None:
        return "unknown"
    months = total.payback_months
    return "never at these figures" if months is None else round(months, 1)


class _Rows:
    """Writes rows one below the other (user text as text: nothing becomes a formula)."""

    def __init__(self, workbook: StreamedWorkbook, sheet):
        self.workbook, self.sheet, self.next = workbook, sheet, 0
        self._money = workbook.style(MONEY_STYLE)
        self._header = workbook.style({**HEADER_STYLE, "text_wrap": False})

    def add(self, values: list) -> int:
        write_row(self.workbook, self.sheet, self.next, values)
        self.next += 1
        return self.next - 1

    def header(self, titles) -> int:
        return self.add([Styled(title, self._header) for title in titles])

    def money(self, amount: float | None):
        """A whole-number cell, or 'unknown' (never a zero standing in for it)."""
        return "unknown" if amount is None else Styled(round(amount), self._money)
