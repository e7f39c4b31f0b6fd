"""Commands about reviews, the change log and audits: reviews, review, log, audit.

Services are imported inside each run_* function, so that building the parser (and
`fusiondesk --help`) loads no database layer.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from fusiondesk.cli.common import opened
from fusiondesk.cli.output import print_json, print_table
from fusiondesk.core.reviews import OUTCOMES, REVIEW_TYPES, review_outcome, review_type
from fusiondesk.core.terms import Entity

if TYPE_CHECKING:
    from fusiondesk.services.reviews.queues import ReviewRow

COMMANDS = ("reviews", "review", "log", "audit")


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    reviews = commands.add_parser("reviews", help="open reviews, earliest due first")
    reviews.add_argument("--overdue", action="store_true", help="only reviews past their due day")
    reviews.add_argument("--add-required", action="store_true",
                         help="first request every review the rules require and none is open for")
    reviews.add_argument("--stats", action="store_true",
                         help="how the queue moves instead: SLA met, turnaround, queue age and "
                              "load, per tier and per reviewer")
    reviews.add_argument("--json", action="store_true")
    reviews.set_defaults(run=run_reviews)

    review = commands.add_parser("review", help="record a review's outcome")
    review.add_argument("app_id", metavar="APP_ID")
    review.add_argument("--type", required=True, type=_choice(review_type),
                        help=f"one of: {', '.join(REVIEW_TYPES)}")
    review.add_argument("--outcome", required=True, type=_choice(review_outcome),
                        help=f"one of: {', '.join(OUTCOMES)}")
    review.add_argument("--reviewer", metavar="EMAIL")
    review.add_argument("--notes", metavar="TEXT")
    review.add_argument("--json", action="store_true")
    review.set_defaults(run=run_review)

    log = commands.add_parser("log", help="the change log, newest first")
    log.add_argument("--since", type=_day, metavar="YYYY-MM-DD")
    log.add_argument("--app", metavar="APP_ID", help="one app's changes, its reviews included")
    log.add_argument("--limit", type=int, metavar="N")
    log.add_argument("--json", action="store_true")
    log.set_defaults(run=run_log)

    audit = commands.add_parser("audit", help="what changed since the last portfolio audit")
    audit.add_argument("--done", action="store_true", help="then mark this audit done")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(run=run_audit)


def _choice(parse):
    def convert(text: str) -> str:
        try:
            return parse(text)
        except ValueError as exc:  # argparse shows this message as the usage error
            raise argparse.ArgumentTypeError(str(exc)) from None
    return convert


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def run_reviews(args) -> int:
    """`reviews`: open (or overdue) reviews; `--add-required` first requests missing ones."""
    from fusiondesk.core import clock
    from fusiondesk.services.reviews.actions import ensure_required_reviews
    from fusiondesk.services.reviews.queues import open_reviews, overdue

    today = clock.today()
    if args.stats:
        return _show_stats(args, today)
    with opened(args) as portfolio:
        if args.add_required:
            with portfolio.transaction() as session:
                ensure_required_reviews(session, None, portfolio.user, today)
        with portfolio.reading() as session:
            found = overdue(session, today) if args.overdue else open_reviews(session)
    rows = [review_json(r, today) for r in found]
    if args.json:
        print_json(rows)
    else:
        print_table(rows, ["id", "app_id", "app_name", "type", "due", "days_late", "reviewer"])
    return 0


def _show_stats(args, today: date) -> int:
    """`reviews --stats`: the queue's throughput (reads only)."""
    from fusiondesk.services.reviews.stats import portfolio_review_stats, stats_json

    with opened(args) as portfolio, portfolio.reading() as session:
        found = stats_json(portfolio_review_stats(session, today))
    if args.json:
        print_json(found)
        return 0
    share = found["sla_met_share"]
    print(f"Reviews: {found['open']} open ({found['overdue']} overdue), {found['completed']} "
          f"completed; SLA met {'—' if share is None else f'{share:.0%}'}; median turnaround "
          f"{_hours(found['median_turnaround_hours'])}; median open for "
          f"{_days(found['median_queue_age_days'])}")
    for title, key, rows in (("By tier", "tier", found["by_tier"]),
                             ("By reviewer", "reviewer", found["by_reviewer"])):
        print(f"\n{title}:")
        print_table([{key: name, **_stat_cells(values)} for name, values in rows.items()],
                    [key, "open", "overdue", "completed", "sla_met", "turnaround", "open_for"])
    return 0


def _stat_cells(values: dict) -> dict:
    share = values["sla_met_share"]
    return {"open": values["open"], "overdue": values["overdue"], "completed": values["completed"],
            "sla_met": "—" if share is None else f"{share:.0%}",
            "turnaround": _hours(values["median_turnaround_hours"]),
            "open_for": _days(values["median_queue_age_days"])}


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:g} h"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g} days"


def review_json(row: ReviewRow, today: date) -> dict:
    """A review as the CLI prints it."""
    return {"id": row.id, "app_id": row.app_id, "app_name": row.app_name, "type": row.type,
            "requested": _iso(row.requested), "due": _iso(row.due),
            "reviewer": row.reviewer_email, "outcome": row.outcome, "notes": row.notes,
            "completed": _iso(row.completed), "days_late": row.days_late(today)}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def run_review(args) -> int:
    """`review APP_ID --type T --outcome O`: complete the open review, or record one done today."""
    from fusiondesk.core import clock
    from fusiondesk.services.reviews.actions import record_review
    from fusiondesk.services.reviews.queues import load_review

    with opened(args) as portfolio:
        with portfolio.transaction() as session:
            done = record_review(session, args.app_id, args.type, args.outcome, portfolio.user,
                                 args.reviewer, args.notes)
            row = load_review(session, _completed_id(done))
            approved = next((c.new for c in done.changes
                             if c.entity == Entity.APP and c.field == "approved_tier"), None)
    if args.json:
        print_json({**review_json(row, clock.today()), "approved_tier": approved})
        return 0
    text = f"Recorded the {row.type} review of {row.app_id} ({row.app_name}): {row.outcome}."
    if approved is not None:
        text += f" Approved tier is now {approved}."
    print(text)
    return 0


def _completed_id(done) -> int:
    key = next(c.key for c in done.changes if c.entity == Entity.REVIEW and c.field == "outcome")
    return int(key.rpartition("#")[2])


def run_log(args) -> int:
    """`log`: the change log, newest first, optionally since a day and for one app."""
    from fusiondesk.services.change_log import log_json, query_log

    with opened(args) as portfolio, portfolio.reading() as session:
        found = query_log(session, since=args.since, app_id=args.app, limit=args.limit)
    rows = [log_json(entry) for entry in found]
    if args.json:
        print_json(rows)
    else:
        print_table(rows, ["at", "who", "entity", "key", "field", "old", "new", "source"])
    return 0


def run_audit(args) -> int:
    """`audit`: the report since the last audit; `--done` then records this one."""
    from fusiondesk.services.audit.quarterly import audit_json, audit_since_last, mark_audit_done

    with opened(args) as portfolio:
        with portfolio.reading() as session:
            report = audit_since_last(session)
        if args.done:
            with portfolio.transaction() as session:
                mark_audit_done(session, portfolio.user)
    if args.json:
        print_json({**audit_json(report), "marked_done": args.done})
        return 0
    _print_report(report)
    if args.done:
        print("\nAudit marked done.")
    return 0


def _print_report(report) -> None:
    from fusiondesk.services.audit.quarterly import SECTIONS

    since = report.since.strftime("%Y-%m-%d %H:%M") if report.since else "never (first audit)"
    print(f"Portfolio audit {report.today.isoformat()}; last audit: {since}")
    for name, heading in SECTIONS.items():
        found = getattr(report, name)
        print(f"\n{heading} ({len(found)})")
        for item in found:
            if name == "owners_left":
                print(f"  {item.email:<32} {len(item.apps)} apps: {', '.join(item.apps)}")
            else:
                print(f"  {item.app_id:<18} {item.name[:36]:<36} {item.detail}")
