"""Commands about the portfolio itself: info, apps, people, sample, backup, restore.

Services are imported inside each run_* function, so that building the parser (and
`fusiondesk --help`) loads no database layer.
"""

from __future__ import annotations

from fusiondesk.cli.common import add_filters, add_json_outputs, opened
from fusiondesk.cli.output import print_json, print_table
from fusiondesk.core.values import json_value
from fusiondesk.db import backups

COMMANDS = ("info", "apps", "people", "sample", "backup", "restore", "copy")


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    info = commands.add_parser("info", help="where the portfolio is, its schema and counts")
    info.add_argument("--json", action="store_true")
    info.set_defaults(run=run_info)

    apps = commands.add_parser("apps", help="list apps with their canonical fields")
    add_json_outputs(apps)
    add_filters(apps)
    apps.set_defaults(run=run_apps)

    people = commands.add_parser("people", help="list people")
    people.add_argument("--json", action="store_true")
    people.set_defaults(run=run_people)

    sample = commands.add_parser("sample", help="fill an empty portfolio with generated data")
    sample.add_argument("--apps", type=_positive, default=400)
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--json", action="store_true")
    sample.set_defaults(run=run_sample)

    backup = commands.add_parser("backup", help="back the portfolio up now (or --list backups)")
    backup.add_argument("--list", action="store_true", help="list the backups, newest first")
    backup.add_argument("--json", action="store_true")
    backup.set_defaults(run=run_backup)

    restore = commands.add_parser("restore", help="replace the portfolio with a backup")
    restore.add_argument("backup", help="backup file name (see backup --list) or path")
    restore.set_defaults(run=run_restore)

    copy = commands.add_parser(
        "copy", help="move a whole portfolio into a new, empty one (a file or a server URL)")
    copy.add_argument("source", help="portfolio file or database URL to copy from")
    copy.add_argument("destination", help="new file or empty database URL to copy into")
    copy.add_argument("--json", action="store_true")
    copy.set_defaults(run=run_copy)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(f"expected a positive number, got {text}")
    return value


def run_copy(args) -> int:
    """`copy SOURCE DEST`: every table, the change log included, checked by counts and checksums."""
    from fusiondesk.services.opening import copy_between

    copied = copy_between(args.source, args.destination)
    if args.json:
        print_json({"tables": {t.name: {"rows": t.rows, "checksum": t.checksum} for t in copied},
                    "verified": True})
    else:
        print_table([{"table": t.name, "rows": t.rows, "checksum": t.checksum[:12]} for t in copied],
                    ["table", "rows", "checksum"])
        print("Copied and verified: every table has the same rows and checksum on both sides.")
    return 0


def run_info(args) -> int:
    """`info`: path, schema revision and counts."""
    from fusiondesk.services import portfolio as portfolio_service
    with opened(args) as portfolio:  # read-only: a mistyped path is an error, not a new file
        found = portfolio_service.info(portfolio)
    if args.json:
        print_json(found)
    else:
        print(f"Portfolio: {found['path']}\nSchema:    {found['schema_revision']}")
        for name, count in found["counts"].items():
            print(f"{name:>10}: {count}")
    return 0


def run_apps(args) -> int:
    """`apps`: every app with its canonical fields (filtered by --tier, --flag, --drift)."""
    from fusiondesk.cli.listing_command import print_listing

    print_listing(args, "apps", "apps",
                  ["app_id", "name", "tier", "platform", "department", "lifecycle", "users"])
    return 0


def run_people(args) -> int:
    """`people`: everyone in the portfolio."""
    from fusiondesk.services.people.edits import list_people

    with opened(args) as portfolio, portfolio.reading() as session:
        rows = list_people(session)
    shown = [{k: json_value(k, v) for k, v in r.items() if not k.startswith("_")} for r in rows]
    if args.json:
        print_json(shown)
    else:
        print_table(shown, ["email", "name", "department", "role", "status", "apps_owned"])
    return 0


def run_sample(args) -> int:
    """`sample --apps N`: fill an empty portfolio."""
    from fusiondesk.services import portfolio as portfolio_service
    with opened(args, create=True) as portfolio:
        with portfolio.transaction() as session:
            made = portfolio_service.fill_with_sample(session, portfolio.user, args.apps, args.seed)
    if args.json:
        print_json(made)
    else:
        print(f"Added {made['apps']} apps, {made['people']} people and {made['teams']} teams.")
    return 0


def run_backup(args) -> int:
    """`backup`: make one now; `backup --list`: show them."""
    with opened(args) as portfolio:
        if args.list:
            found = backups.list_backups(portfolio.location.path) if portfolio.is_sqlite else []
            rows = [{"name": b.path.name, "created": b.created.isoformat(timespec="seconds"),
                     "reason": b.reason, "size": b.size} for b in found]
            print_json(rows) if args.json else print_table(rows, ["name", "created", "reason", "size"])
            return 0
        made = backups.make_backup(portfolio, reason="manual")
    print_json({"backup": str(made.path)}) if args.json else print(f"Backed up to {made.path}")
    return 0


def run_restore(args) -> int:
    """`restore BACKUP`: the current state is backed up first, then replaced."""
    from fusiondesk.cli import database_target
    from fusiondesk.core.errors import PortfolioCorrupt
    from fusiondesk.db.engine import locate

    location = locate(database_target(args))
    if location.path is None:
        raise ValueError("restore works on portfolio files; a server database is restored by its administrator")
    chosen = backups.find_backup(location.path, args.backup)
    try:
        with opened(args) as portfolio:
            safety = backups.restore_backup(portfolio, chosen)
        print(f"Restored {chosen.path.name}; the state before it is in {safety.path.name}.")
    except PortfolioCorrupt:
        backups.restore_file(location.path, chosen)
        print(f"Restored {chosen.path.name}; the damaged file was kept beside it.")
    return 0
