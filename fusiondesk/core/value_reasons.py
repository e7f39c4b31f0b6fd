"""Why each value figure is what it is: inputs and formula, as the Why-Tier panel gives reasons.

Every figure on the Programme page, in the app editor and in the sponsor's sheet carries
one of these lines on hover, so a sponsor who asks "where does 84,000 come from?" reads
the rates and the apps behind it, and how many inputs nobody recorded.
"""

from __future__ import annotations

from fusiondesk.core.value import (
    MONTHS,
    AppValue,
    Assumptions,
    Ledger,
    ValueTotals,
    licence_per_month,
)

UNKNOWN_IS_NOT_ZERO = "unknown is left out, never counted as zero"


def app_reasons(ledger: Ledger, value: AppValue, assumptions: Assumptions) -> dict[str, str]:
    """One sentence per figure of one app, by figure name."""
    money = assumptions.money
    return {
        "hours_saved_per_year": _hours_reason(ledger),
        "saved_value": ("Unknown: no hours saved recorded." if value.saved_value is None else
                        f"{value.hours_saved_per_year:,.0f} hours a year × "
                        f"{money(assumptions.hourly_rate)} an hour = {money(value.saved_value)}."),
        "cost_avoided": _avoided_reason(ledger, value, assumptions),
        "licence_cost": _licence_reason(ledger, value, assumptions),
        "net_value": ("Unknown: " + _missing(value) + "." if value.net_value is None else
                      f"{money(value.saved_value)} saved + {money(value.cost_avoided)} avoided − "
                      f"{money(value.licence_cost)} licence = {money(value.net_value)} "
                      "in the first year."),
        "payback_months": _payback_reason(value, assumptions),
    }


def _hours_reason(ledger: Ledger) -> str:
    if ledger.minutes_saved_per_run is not None and ledger.runs_per_month is not None:
        hours = ledger.minutes_saved_per_run * ledger.runs_per_month / 60 * MONTHS
        aside = ("" if ledger.hours_saved_per_month is None else
                 f" (the {ledger.hours_saved_per_month:,} hours a month also recorded are set "
                 "aside: runs are counted, a monthly figure is estimated)")
        return (f"{ledger.runs_per_month:,} runs a month × {ledger.minutes_saved_per_run:,} "
                f"minutes a run ÷ 60 × 12 = {hours:,.0f} hours a year{aside}.")
    if ledger.hours_saved_per_month is not None:
        return (f"{ledger.hours_saved_per_month:,} hours a month × 12 = "
                f"{ledger.hours_saved_per_month * MONTHS:,} hours a year.")
    half = ("minutes saved a run are recorded but not runs a month"
            if ledger.minutes_saved_per_run is not None else
            "runs a month are recorded but not minutes saved a run"
            if ledger.runs_per_month is not None else "no hours saved recorded, in either form")
    return f"Unknown: {half}."


def _avoided_reason(ledger: Ledger, value: AppValue, assumptions: Assumptions) -> str:
    if value.cost_avoided is None:
        return "Unknown: no pro-dev estimate recorded (the build this app replaced)."
    days = ledger.prodev_estimate_hours / assumptions.prodev_day_hours
    return (f"Pro-dev estimate {ledger.prodev_estimate_hours:,} hours ÷ "
            f"{assumptions.prodev_day_hours} hours a day = {days:,.1f} days × "
            f"{assumptions.money(assumptions.prodev_day_rate)} a day = "
            f"{assumptions.money(value.cost_avoided)}, once.")


def _licence_reason(ledger: Ledger, value: AppValue, assumptions: Assumptions) -> str:
    monthly = licence_per_month(ledger, assumptions)
    if monthly is None:
        plan = (f"the {ledger.licence} plan has no price in the policy" if ledger.licence
                else "no licence plan recorded")
        return f"Unknown: no licence cost recorded and {plan}."
    source = ("its own licence cost" if ledger.licence_cost_per_month is not None else
              f"the policy's price of the {ledger.licence} plan")
    return (f"{assumptions.money(monthly)} a month ({source}) × 12 = "
            f"{assumptions.money(value.licence_cost)} a year.")


def _payback_reason(value: AppValue, assumptions: Assumptions) -> str:
    if value.net_value is None:
        return "Unknown: " + _missing(value) + "."
    money = assumptions.money
    owed = max(0.0, value.licence_cost - value.cost_avoided)
    if value.payback_months is None:
        return (f"Never at these figures: it saves no hours to pay the {money(owed)} "
                "of licence the cost avoided does not cover.")
    if not owed:
        return (f"At once: the {money(value.cost_avoided)} of pro-dev cost avoided covers the "
                f"year's licence ({money(value.licence_cost)}).")
    return (f"({money(value.licence_cost)} licence − {money(value.cost_avoided)} avoided) ÷ "
            f"{money(value.saved_value / MONTHS)} saved a month = "
            f"{value.payback_months:,.1f} months.")


def _missing(value: AppValue) -> str:
    names = [name for name, unknown in (("hours saved", value.unknown_hours),
                                        ("pro-dev estimate", value.unknown_estimate),
                                        ("licence cost", value.unknown_licence)) if unknown]
    return ", ".join(names) + " not known"


def totals_reasons(totals: ValueTotals, assumptions: Assumptions) -> dict[str, str]:
    """One sentence per figure of a group of apps, by figure name."""
    money = assumptions.money
    known = totals.apps
    return {
        "apps": f"{known:,} apps in service (pilot or production, or deployed).",
        "hours_saved_per_year": (
            f"Sum over the {known - totals.unknown_hours:,} apps with hours saved recorded "
            f"(per run × runs a month, or per month, × 12); {totals.unknown_hours:,} apps "
            f"unknown: {UNKNOWN_IS_NOT_ZERO}."),
        "saved_value": ("Unknown: no app records hours saved." if totals.saved_value is None
                        else f"{totals.hours_saved_per_year:,.0f} hours a year × "
                        f"{money(assumptions.hourly_rate)} an hour."),
        "cost_avoided": (
            f"Pro-dev estimates of {known - totals.unknown_estimate:,} apps ÷ "
            f"{assumptions.prodev_day_hours} hours a day × {money(assumptions.prodev_day_rate)} "
            f"a day; {totals.unknown_estimate:,} apps have no estimate: {UNKNOWN_IS_NOT_ZERO}."),
        "licence_cost": (
            f"A year of licences of {known - totals.unknown_licence:,} apps (their own cost, "
            f"else their plan's price in the policy); {totals.unknown_licence:,} apps unknown: "
            f"{UNKNOWN_IS_NOT_ZERO}."),
        "net_value": ("Unknown: no app records " + _wholly_unknown(totals) + "."
                      if totals.net_value is None else
                      f"{money(totals.saved_value)} saved + {money(totals.cost_avoided)} "
                      f"avoided − {money(totals.licence_cost)} licences, of the known figures; "
                      f"{totals.unknown_inputs:,} inputs unknown."),
        "payback_months": (
            "Unknown: no app records " + _wholly_unknown(totals) + "."
            if totals.net_value is None else
            "Never at these figures: no hours saved pay the licences." if
            totals.payback_months is None else
            "At once: the pro-dev cost avoided covers a year of the licences." if
            not totals.payback_months else
            f"(licences − cost avoided) ÷ saved value a month = {totals.payback_months:,.1f} "
            "months, of the known figures."),
        "unknown_inputs": (
            f"{totals.unknown_hours:,} apps without hours saved, {totals.unknown_estimate:,} "
            f"without a pro-dev estimate, {totals.unknown_licence:,} without a licence cost or "
            "a priced plan."),
        "backlog_items": f"{totals.backlog_items:,} apps name the IT backlog item they absorbed.",
    }


def _wholly_unknown(totals: ValueTotals) -> str:
    names = [name for name, figure in (("hours saved", totals.saved_value),
                                       ("a pro-dev estimate", totals.cost_avoided),
                                       ("a licence cost", totals.licence_cost)) if figure is None]
    return " or ".join(names)
