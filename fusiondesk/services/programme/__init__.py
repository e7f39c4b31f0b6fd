"""The programme's value and delivery: the figures an executive sponsor is shown.

`programme_figures` reads the value ledger and the delivery dates as grouped rows
(db.store.programme) and counts them with the core's one definition of each figure
(core.value, core.delivery); `programme_json` is the `programme --json` contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fusiondesk.core.delivery import Delivery, parse_quarter, quarter_of
from fusiondesk.core.policy import Policy
from fusiondesk.core.value import Assumptions, Ledger, ValueBreakdown, app_value
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
    return Programme(quarter_of(first), assumptions,
                     _value(session, assumptions, first, last), _delivery(session, first, last))


def _value(session: Session, assumptions: Assumptions, first: date | None,
           last: date | None) -> ValueBreakdown:
    breakdown = ValueBreakdown()
    seen: dict[tuple, object] = {}  # alike ledgers recur across departments and platforms
    for department, platform, quarter, *ledger, backlog, apps in store.ledger_rows(
            session, first, last):
        key = tuple(ledger)
        value = seen.get(key)
        if value is None:
            value = seen[key] = app_value(Ledger(*ledger), assumptions)
        breakdown.add(value, department, platform, quarter, apps, backlog * apps)
    return breakdown


def _delivery(session: Session, first: date | None, last: date | None) -> Delivery:
    delivery = Delivery()
    for quarter, tier, days, backlog, apps in store.delivery_rows(session, first, last):
        delivery.add_delivered(quarter, apps, backlog * apps)
        if days is not None:
            delivery.add_lead_time(tier, int(days), apps)
    return delivery


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
