"""`programme`: the programme's value and delivery, as an executive sponsor is shown them.

Services are imported inside `run_programme`, so that building the parser (and
`fusiondesk --help`) loads no database layer.
"""

from __future__ import annotations

import argparse

from fusiondesk.cli.common import opened
from fusiondesk.cli.output import print_json, print_table
from fusiondesk.core.delivery import quarter_name

COMMANDS = ("programme",)


def register(commands) -> None:
    """Add the `programme` sub-command to the parser."""
    programme = commands.add_parser(
        "programme", help="the programme's value and delivery: hours saved, cost avoided, "
                          "licences, net value, solutions delivered, lead time per tier")
    programme.add_argument("--quarter", type=_quarter, metavar="YYYY-Qn",
                           help="only the solutions delivered in this quarter, e.g. 2026-Q3")
    programme.add_argument("--json", action="store_true")
    programme.set_defaults(run=run_programme)


def _quarter(text: str) -> str:
    try:
        return quarter_name(text)
    except ValueError as exc:  # argparse shows this as the usage error (exit 2)
        raise argparse.ArgumentTypeError(str(exc)) from None


def run_programme(args) -> int:
    """`programme [--quarter YYYY-Qn] [--json]` (reads only)."""
    from fusiondesk.services.classification.reclassify import policy_in_force
    from fusiondesk.services.programme import programme_figures, programme_json

    with opened(args) as portfolio, portfolio.reading() as session:
        found = programme_json(programme_figures(session, policy_in_force(session), args.quarter))
    if args.json:
        print_json(found)
        return 0
    _print_summary(found)
    return 0


def _print_summary(found: dict) -> None:
    money = _money(found["currency"])
    scope = f"delivered in {found['quarter']}" if found["quarter"] else "in service"
    print(f"Programme value of {found['apps_in_service']:,} apps {scope} "
          f"({found['unknown_inputs']:,} inputs unknown, left out, never counted as zero):")
    print_table([
        {"figure": "Hours saved a year", "value": _number(found["hours_saved_per_year"])},
        {"figure": "Saved hours' value", "value": money(found["saved_value"])},
        {"figure": "Pro-dev cost avoided", "value": money(found["cost_avoided"])},
        {"figure": "Licence cost a year", "value": money(found["licence_cost"])},
        {"figure": "Net value (first year)", "value": money(found["net_value"])},
        {"figure": "Payback", "value": _payback(found)},
    ], ["figure", "value"])
    target = found["lead_time_within_target"]
    print(f"\nDelivery: {found['solutions_delivered']:,} solutions delivered, "
          f"{found['it_backlog_items_absorbed']:,} IT backlog items absorbed; Tier 1–2 within "
          f"4 weeks: {target['within']:,} of {target['counted']:,}")
    print_table([{"tier": tier, "median_lead_days": days}
                 for tier, days in found["lead_time_days"].items()], ["tier", "median_lead_days"])
    print("\nBy department:")
    print_table([{"department": name, "apps": row["apps"], "net_value": money(row["net_value"]),
                  "unknown_inputs": row["unknown_inputs"]}
                 for name, row in found["by_department"].items()],
                ["department", "apps", "net_value", "unknown_inputs"])


def _money(currency: str):
    return lambda amount: "unknown" if amount is None else f"{amount:,.0f} {currency}"


def _number(value) -> str:
    return "unknown" if value is None else f"{value:,.0f}"


def _payback(found: dict) -> str:
    if found["net_value"] is None:
        return "unknown"
    months = found["payback_months"]
    if months is None:
        return "never at these figures"
    return "at once (the cost avoided covers the licences)" if not months else f"{months:,.1f} months"
