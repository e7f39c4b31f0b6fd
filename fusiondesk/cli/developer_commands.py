"""`developers`: the citizen developer record — certifications with expiry, solutions
delivered, apps built by someone not qualified for their tier — and the recognition list.

Services are imported inside each run_* function, so that building the parser (and
`fusiondesk --help`) loads no database layer.
"""

from __future__ import annotations

from datetime import date

from fusiondesk.cli.common import file_refusals_in_one_line, opened, print_people_list_rows
from fusiondesk.cli.output import print_json, print_table

COMMANDS = ("developers",)


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    developers = commands.add_parser(
        "developers", help="citizen developers: certifications, solutions delivered, "
                           "unqualified builders, and a recognition list")
    developers.add_argument("--json", action="store_true",
                            help="every developer's record as one JSON list")
    developers.add_argument("--recognition", action="store_true",
                            help="print the recognition list (Markdown) for a newsletter")
    developers.add_argument("--quarter", metavar="YYYY-Qn",
                            help="with --recognition: only what was delivered in this quarter")
    certify = developers.add_argument_group("adding a certification")
    certify.add_argument("--certify", metavar="EMAIL", help="give this person a certification")
    certify.add_argument("--platform", help="the platform it is on, e.g. 'Power Apps'")
    certify.add_argument("--level", choices=("trained", "certified"), default="certified")
    certify.add_argument("--exam", metavar="NAME", help="the exam or course, e.g. PL-100")
    certify.add_argument("--obtained", type=date.fromisoformat, metavar="YYYY-MM-DD")
    certify.add_argument("--expires", type=date.fromisoformat, metavar="YYYY-MM-DD")
    developers.add_argument("--import-certifications", metavar="FILE",
                            help="add the certifications of a training-records export (xlsx, "
                                 "csv): person e-mail or name, platform or exam, dates, expiry")
    developers.set_defaults(run=run_developers)


def run_developers(args) -> int:
    """`developers`: the record (table or --json), --recognition, or --certify."""
    if args.quarter and not args.recognition:
        raise ValueError("--quarter goes with --recognition")
    if args.certify:
        return _certify(args)
    if args.import_certifications:
        return _import(args)
    from fusiondesk.core import clock
    from fusiondesk.services.developers.recognition import recognition_text
    from fusiondesk.services.developers.records import developer_records, record_json

    with opened(args) as portfolio, portfolio.reading() as session:
        if args.recognition:
            print(recognition_text(session, args.quarter), end="")
            return 0
        today = clock.today()
        shown = [record_json(r, today) for r in developer_records(session)]
    if args.json:
        print_json(shown)
        return 0
    print_table([_row(r) for r in shown],
                ["who", "department", "level", "certifications", "delivered", "hours_a_year",
                 "unqualified"])
    return 0


def _row(record: dict) -> dict:
    certs = ", ".join(f"{c['platform']} {c['level']}" + (" (expired)" if c["expired"] else "")
                      for c in record["certifications"])
    return {"who": record["email"] or record["name"], "department": record["department"] or "",
            "level": record["current_level"] or "unknown", "certifications": certs,
            "delivered": record["solutions_delivered"],
            "hours_a_year": record["hours_saved_per_year"],
            "unqualified": ", ".join(a["app_id"] for a in record["unqualified_apps"])}


def _certify(args) -> int:
    from fusiondesk.core.certification import Certificate
    from fusiondesk.services.developers.edits import add_certificate

    if not args.platform:
        raise ValueError("--certify needs --platform (the platform the certification is on)")
    cert = Certificate(args.platform, args.level, args.obtained, args.expires, args.exam)
    with opened(args) as portfolio, portfolio.transaction() as session:
        add_certificate(session, args.certify.strip().lower(), cert, portfolio.user)
    print(f"{args.certify}: {args.level} on {args.platform} added.")
    return 0


def _import(args) -> int:
    from fusiondesk.services.developers.training_import import (
        import_training_records,
        read_training_file,
    )

    with file_refusals_in_one_line():
        read = read_training_file(args.import_certifications)
        with opened(args) as portfolio, portfolio.transaction() as session:
            done = import_training_records(session, read, portfolio.user,
                                           f"training records {args.import_certifications}")
    if args.json:
        print_json(done.as_dict())
        return 0
    print(f"{done.added} certifications added, {done.already_there} already there, "
          f"{len(done.unknown_people)} rows name someone not in the portfolio, "
          f"{len(done.skipped)} rows skipped.")
    print_people_list_rows(done.unknown_people, done.skipped)
    return 0
