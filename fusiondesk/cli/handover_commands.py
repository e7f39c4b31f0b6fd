"""Commands about people leaving: handover (plan, mark leaving or left, export), ownership.

Services are imported inside each run_* function, so that building the parser (and
`fusiondesk --help`) loads no database layer.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from fusiondesk.cli.common import file_refusals_in_one_line, opened, print_people_list_rows
from fusiondesk.cli.output import print_json, print_table
from fusiondesk.core.handover import CHECKLIST
from fusiondesk.core.measures import ABANDONMENT_TARGET
from fusiondesk.core.ownership import (
    RATIO_TARGET,
    RATIO_VERDICTS,
    OwnershipMeasures,
)

if TYPE_CHECKING:
    from fusiondesk.services.handover.planning import LeaverProgress
    from fusiondesk.services.handover.plans import StoredItem, StoredPlan

COMMANDS = ("handover", "ownership", "teams")


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    handover = commands.add_parser(
        "handover", help="plan who takes over a leaver's apps (mark them --leaving or --left)")
    handover.add_argument("email", metavar="EMAIL", help="the person leaving")
    when = handover.add_mutually_exclusive_group()
    when.add_argument("--leaving", type=_iso_date, metavar="YYYY-MM-DD",
                      help="mark the person leaving on this date, then plan")
    when.add_argument("--left", action="store_true", help="mark the person gone, then plan (due today)")
    handover.add_argument("--json", action="store_true")
    handover.add_argument("--export", metavar="FILE.xlsx", help="also write the plan to a workbook")
    handover.set_defaults(run=run_handover)

    ownership = commands.add_parser(
        "ownership", help="single-person dependencies, abandonment, load and pro-dev ratios")
    ownership.add_argument("--json", action="store_true")
    ownership.set_defaults(run=run_ownership)

    teams = commands.add_parser(
        "teams", help="teams with their members; which are orphaned (add or remove members)")
    change = teams.add_mutually_exclusive_group()
    change.add_argument("--add", nargs=2, metavar=("TEAM", "EMAIL"), help="put a person in a team")
    change.add_argument("--remove", nargs=2, metavar=("TEAM", "EMAIL"),
                        help="take a person out of a team")
    change.add_argument("--import", dest="import_file", metavar="FILE",
                        help="add the memberships of a list (xlsx, csv): team, member e-mail or "
                             "name, role; or one directory group's member download with --team")
    teams.add_argument("--team", metavar="NAME",
                       help="with --import: the team of a one-group download (no team column)")
    teams.add_argument("--role", choices=("lead", "member"), default="member",
                       help="the role in the team of a person added (default: member)")
    teams.add_argument("--json", action="store_true")
    teams.set_defaults(run=run_teams)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def run_handover(args) -> int:
    """`handover EMAIL [--leaving DATE | --left]`: mark the person and print their plan."""
    from fusiondesk.services.handover.export import export_plan
    from fusiondesk.services.handover.planning import mark_leaving, mark_left, plan_for

    if args.export and not args.export.lower().endswith(".xlsx"):
        raise ValueError(f"--export writes an .xlsx workbook; name the file FILE.xlsx, not {args.export}")
    with opened(args) as portfolio:
        if args.leaving or args.left:
            with portfolio.transaction() as session:
                if args.left:
                    mark_left(session, args.email, portfolio.user)
                else:
                    mark_leaving(session, args.email, args.leaving, portfolio.user)
        with portfolio.reading() as session:
            plan = plan_for(session, args.email)
    if args.export:
        export_plan(plan, args.export)
    if args.json:
        print_json(plan_json(plan))
    else:
        _print_plan(plan, args.export)
    return 0


def plan_json(plan: StoredPlan) -> dict:
    """A stored plan as the CLI's JSON contract."""
    from fusiondesk.core import clock
    today = clock.today()
    return {
        "person": plan.person_email,
        "leave_date": plan.leave_date.isoformat() if plan.leave_date else None,
        "status": plan.status,
        "items": [_item_json(item, today) for item in plan.items],
        "uncovered": [{"app_id": i.app_id, "name": i.name, "why": i.uncovered_why}
                      for i in plan.uncovered],
    }


def _item_json(item: StoredItem, today: date) -> dict:
    return {
        "app_id": item.app_id, "name": item.name, "tier": item.tier,
        "triage": item.triage, "triage_why": item.triage_why,
        "action": item.action, "action_why": item.action_why,
        "covered_by": item.covered_by, "successor": item.successor_email,
        "candidates": [{"email": c.email, "score": c.score, "reasons": list(c.reasons)}
                       for c in item.candidates],
        "checklist": dict(item.checklist),
        "due": item.due.isoformat() if item.due else None,
        "overdue": item.is_overdue(today), "status": item.status,
    }


def _print_plan(plan: StoredPlan, exported: str | None) -> None:
    when = plan.leave_date.isoformat() if plan.leave_date else "no date"
    print(f"Handover plan for {plan.person_email} ({plan.person_status}, {when}): "
          f"{len(plan.items)} apps, {plan.done} done, status {plan.status}")
    rows = [{"app_id": i.app_id, "name": i.name, "tier": i.tier, "triage": i.triage,
             "action": i.action, "successor": i.successor_email or i.covered_by or "(nobody)",
             "checklist": f"{i.checklist_done}/{len(CHECKLIST)}", "due": i.due} for i in plan.items]
    print_table(rows, ["app_id", "name", "tier", "triage", "action", "successor", "checklist", "due"])
    for item in plan.uncovered:
        print(f"Uncovered: {item.app_id} {item.name}: {item.uncovered_why}")
    if exported:
        print(f"Exported to {exported}")


def run_ownership(args) -> int:
    """`ownership`: the portfolio's ownership figures."""
    from fusiondesk.services.handover.planning import portfolio_ownership, upcoming_leavers

    with opened(args) as portfolio, portfolio.reading() as session:
        measures = portfolio_ownership(session)
        leavers = upcoming_leavers(session)
    found = ownership_json(measures, leavers)
    if args.json:
        print_json(found)
        return 0
    print(f"Apps in service: {measures.apps_counted}")
    print(f"Single-person dependency: {len(measures.single_person_dependency)}")
    print(f"No active owner: {len(measures.no_active_owner)}")
    print(f"Abandonment: {measures.abandonment.explained()}")
    print(f"People over capacity: {len(measures.over_capacity)}")
    print_table(found["departments"], ["department", "citizen_developers", "pro_developers",
                                       "ratio", "verdict"])
    print_table(found["upcoming_leavers"], ["email", "leave_date", "plan_status", "items", "done",
                                            "overdue"])
    return 0


def ownership_json(measures: OwnershipMeasures, leavers: list[LeaverProgress]) -> dict:
    """The ownership figures as JSON."""
    from fusiondesk.services.handover.abandonment import abandonment_figures

    def apps(listed):
        return [{"app_id": a.app_id, "name": a.name, "department": a.department,
                 "maintainers": list(a.maintainers)} for a in listed]

    return {
        "apps_counted": measures.apps_counted,
        "single_person_dependency": {"count": len(measures.single_person_dependency),
                                     "apps": apps(measures.single_person_dependency)},
        "no_active_owner": {"count": len(measures.no_active_owner),
                            "apps": apps(measures.no_active_owner)},
        "abandonment_rate": abandonment_figures(measures.abandonment),
        "abandonment_target": ABANDONMENT_TARGET,
        "abandonment_within_target": measures.abandonment.within_target,
        "people": [{"email": p.email, "name": p.name, "department": p.department, "role": p.role,
                    "status": p.status, "apps_owned": p.apps_owned, "capacity": p.capacity,
                    "over_capacity": p.over_capacity} for p in measures.people],
        "departments": [{"department": d.department, "citizen_developers": d.citizen_developers,
                         "pro_developers": d.pro_developers,
                         "ratio": round(d.ratio, 2) if d.ratio is not None else None,
                         "verdict": d.verdict, "meaning": RATIO_VERDICTS[d.verdict]}
                        for d in measures.departments],
        "ratio_target": list(RATIO_TARGET),
        "upcoming_leavers": [{"email": p.email, "name": p.name, "department": p.department,
                              "status": p.status,
                              "leave_date": p.leave_date.isoformat() if p.leave_date else None,
                              "plan_status": p.plan_status, "items": p.items, "done": p.done,
                              "overdue": p.overdue} for p in leavers],
    }


def run_teams(args) -> int:
    """`teams [--add TEAM EMAIL [--role lead] | --remove TEAM EMAIL]`: the teams and their members."""
    from fusiondesk.services.people.teams import add_member, list_teams, remove_member

    if args.team and not args.import_file:
        raise ValueError("--team goes with --import")
    if args.import_file:
        return _import_members(args)
    with opened(args) as portfolio:
        if args.add or args.remove:
            with portfolio.transaction() as session:
                if args.add:
                    add_member(session, *args.add, args.role, portfolio.user)
                else:
                    remove_member(session, *args.remove, portfolio.user)
        with portfolio.reading() as session:
            teams = list_teams(session)
    found = [{"team": t.name, "department": t.department, "standing": t.standing,
              "active_members": t.active_members, "apps_owned": t.apps_owned,
              "members": [{"member": m.key, "name": m.name, "role": m.role, "status": m.status,
                           "leave_date": m.leave_date.isoformat() if m.leave_date else None}
                          for m in t.members]} for t in teams]
    if args.json:
        print_json({"teams": found, "orphaned": sum(t.standing == "orphaned" for t in teams)})
        return 0
    print_table([{**t, "members": len(t["members"])} for t in found],
                ["team", "department", "members", "active_members", "apps_owned", "standing"])
    return 0


def _import_members(args) -> int:
    """`teams --import FILE [--team NAME]`: memberships added, reported like `import`."""
    from fusiondesk.services.people.team_import import import_team_members, read_members_file

    with file_refusals_in_one_line():
        read = read_members_file(args.import_file, args.team)
        with opened(args) as portfolio, portfolio.transaction() as session:
            done = import_team_members(session, read, portfolio.user)
    if args.json:
        print_json(done.as_dict())
        return 0
    print(f"{done.added} memberships added, {done.roles_changed} roles changed, "
          f"{done.already_there} already there, {len(done.teams_added)} new teams, "
          f"{len(done.unknown_people)} rows name someone not in the portfolio, "
          f"{len(done.skipped)} rows skipped.")
    print_people_list_rows(done.unknown_people, done.skipped)
    return 0
