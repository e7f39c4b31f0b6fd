"""The programme's value and delivery: the figures an executive sponsor is shown.

`programme_figures` reads the value ledger and the delivery dates in one scan
(db.store.programme) and counts them with the core's one definition of each figure
(core.value, core.delivery); `programme_json` is the `programme --json` contract.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from fusiondesk.core.delivery import Delivery, parse_quarter, quarter_of
from fusiondesk.core.policy import Policy
from fusiondesk.core.value import (
    AppValue,
    Assumptions,
    Ledger,
    ValueBreakdown,
    ValueTotals,
    app_value,
)
from fusiondesk.db.store import Session
from fusiondesk.db.store import programme as store


@dataclass(frozen=True)
class Programme:
    """Value (in total and per department, platform and quarter) and delivery, for a quarter or all time."""

    quarter: str | None  # None: every quarter
    assumptions: Assumptions
    value: ValueBreakdown
    delivery: Delivery


def programme_figures(session: Session, policy: Policy, quarter: str | None = None) -> Programme:
    """The programme's figures under `policy`; for one quarter's deliveries when `quarter` is given.

    ValueError (a usage error) when `quarter` is not written YYYY-Qn.
    """
    first, last = parse_quarter(quarter) if quarter else (None, None)
    assumptions = Assumptions.from_policy(policy)
    value, delivery = _count(store.programme_rows(session, first, last), assumptions)
    return Programme(quarter_of(first), assumptions, value, delivery)


# Where each column is in the store's rows, by name (store.ROW_COLUMNS), and what each
# count groups them by.
_AT = {name: position for position, name in enumerate(store.ROW_COLUMNS)}
_DEPARTMENT, _PLATFORM, _DEPLOYED, _SERVING, _BACKLOG = (
    _AT[name] for name in ("department", "platform", "deployed_on", "in_service", "backlog_item"))
_LEDGER = slice(_AT["hours_saved_per_month"], _AT["licence_cost_per_month"] + 1)
_DELIVERED_KEY = itemgetter(_DEPLOYED, _BACKLOG)
_LEAD_KEY = itemgetter(_AT["tier"], _AT["lead_days"])


def _count(rows: list[tuple], assumptions: Assumptions) -> tuple[ValueBreakdown, Delivery]:
    """Value per (department, platform, quarter) cell, and delivery, from the rows.

    A date's quarter and a ledger's figures are each worked out once however many apps share
    them, and delivery counts alike rows in C (Counter over itemgetter): per app, only a few
    dictionary look-ups are left in Python.
    """
    dates = _DayCache()
    return _value_cells(rows, assumptions, dates), _delivery(rows, dates)


def _value_cells(rows: list[tuple], assumptions: Assumptions, dates: _DayCache) -> ValueBreakdown:
    cells: dict[tuple, ValueTotals] = {}
    values: dict[tuple, AppValue] = {}
    # Rows are nearly all distinct (dates, ledgers): counting alike ones first costs more
    # than it saves, so each app is added to its cell as it comes.
    for row in rows:
        if not row[_SERVING]:
            continue  # deployed, but no longer (or not yet) in service
        ledger = row[_LEDGER]
        value = values.get(ledger)
        if value is None:
            value = values[ledger] = app_value(Ledger(*ledger), assumptions)
        key = (row[_DEPARTMENT], row[_PLATFORM], dates.quarter(row[_DEPLOYED]))
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = ValueTotals()
        cell.add(value, 1, row[_BACKLOG])
    return ValueBreakdown.from_cells(cells)


def _delivery(rows: list[tuple], dates: _DayCache) -> Delivery:
    delivery = Delivery()
    deployed = [row for row in rows if row[_DEPLOYED] is not None]
    for (day, backlog), apps in Counter(map(_DELIVERED_KEY, deployed)).items():
        delivery.add_delivered(dates.quarter(day), apps, backlog * apps)
    for (tier, days), apps in Counter(map(_LEAD_KEY, deployed)).items():
        if days is not None:
            delivery.add_lead_time(tier, days, apps)
    return delivery



class _DayCache:
    """The quarter of each date met, worked out once (SQLite gives dates as text)."""

    def __init__(self):
        self._quarters: dict = {}

    def quarter(self, day) -> str | None:
        found = self._quarters.get(day)
        if found is None and day is not None:
            found = self._quarters[day] = quarter_of(_as_date(day))
        return found


def _as_date(day) -> date:
    return date.fromisoformat(day) if isinstance(day, str) else day


def programme_json(found: Programme) -> dict:
    """The `programme --json` contract, then the figures behind it."""
    total = found.value.total
    return {
        "solutions_delivered": found.delivery.solutions_delivered,
        "lead_time_days": {_tier_key(tier): days
                           for tier, days in found.delivery.median_lead_days().items()},
        "hours_saved_per_year": _rounded(total.hours_saved_per_year),
        "cost_avoided": _rounded(total.cost_avoided),
        "licence_cost": _rounded(total.licence_cost),
        "net_value": _rounded(total.net_value),
        "unknown_inputs": total.unknown_inputs,
        # beyond the contract: what the figures rest on and how they split
        "quarter": found.quarter,
        "currency": found.assumptions.currency,
        "saved_value": _rounded(total.saved_value),
        "payback_months": _rounded(total.payback_months, 1),
        "apps_in_service": total.apps,
        "unknown_by_input": {"hours_saved": total.unknown_hours,
                             "prodev_estimate": total.unknown_estimate,
                             "licence_cost": total.unknown_licence},
        "it_backlog_items_absorbed": found.delivery.backlog_items,
        "lead_time_within_target": _within_target(found.delivery),
        "delivered_by_quarter": dict(sorted(found.delivery.delivered_by_quarter.items())),
        "by_department": _groups(found.value.by_department),
        "by_platform": _groups(found.value.by_platform),
        "by_quarter": _groups(found.value.by_quarter),
        "assumptions": {"hourly_rate": found.assumptions.hourly_rate,
                        "prodev_day_rate": found.assumptions.prodev_day_rate,
                        "prodev_day_hours": found.assumptions.prodev_day_hours,
                        "licence_per_app_month": found.assumptions.plan_prices},
    }


def _tier_key(tier: int | None) -> str:
    return str(tier) if tier else "unclassified"


def _within_target(delivery: Delivery) -> dict:
    within, counted = delivery.within_target()
    return {"tiers": [1, 2], "target_days": [14, 28], "within": within, "counted": counted}


def _groups(groups: dict) -> dict:
    return {name or "(not recorded)": {
        "apps": totals.apps, "hours_saved_per_year": _rounded(totals.hours_saved_per_year),
        "cost_avoided": _rounded(totals.cost_avoided), "licence_cost": _rounded(totals.licence_cost),
        "net_value": _rounded(totals.net_value), "unknown_inputs": totals.unknown_inputs}
        for name, totals in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))}


def _rounded(value: float | None, places: int = 0) -> float | int | None:
    if value is None:
        return None
    return round(value) if not places else round(value, places)


# The contract's money figures, as a what-if compares them.
_COMPARED = ("hours_saved_per_year", "cost_avoided", "licence_cost", "net_value", "unknown_inputs")


def programme_change(session: Session, before: Policy, after: Policy) -> dict | None:
    """The programme's figures under both policies, when their value assumptions differ.

    `policy --what-if value.hourly_rate=80` shows what the sponsor's figures would become;
    None when the change leaves every value assumption as it was (nothing to compare).
    """
    if Assumptions.from_policy(before) == Assumptions.from_policy(after):
        return None
    was, would = (programme_json(programme_figures(session, policy)) for policy in (before, after))
    return {"before": {key: was[key] for key in _COMPARED},
            "after": {key: would[key] for key in _COMPARED}}
