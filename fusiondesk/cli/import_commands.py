"""`fusiondesk import FILE`: bring an Excel or CSV inventory into the portfolio.

Exit status (a contract): 0 when the import ran, invalid rows or not; 1 when --strict
aborted it (any error, nothing written); 2 for an unreadable file, a mapping that cannot
be right (a key column that would merge rows) or bad usage (one line on stderr).
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fusiondesk.cli.common import opened
from fusiondesk.cli.output import print_json
from fusiondesk.core.values import format_value
from fusiondesk.sheets.mapping import APPS, PEOPLE
from fusiondesk.sheets.problems import Problem, SheetError

if TYPE_CHECKING:  # the importer loads the database layer: --help must not
    from fusiondesk.services.importing.importer import ImportPlan, ImportResult

COMMANDS = ("import",)
STRICT_ABORTED, UNREADABLE = 1, 2
SHOWN = 20  # problems and changes listed at a terminal; --report saves them all


def register(commands) -> None:
    """Add the import sub-command to the parser."""
    parser = commands.add_parser(
        "import", help="import apps and people from an Excel or CSV inventory")
    parser.add_argument("file", metavar="FILE", help=".xlsx, .xlsm, .xls, .ods or .csv")
    parser.add_argument("--sheet", metavar="NAME", help="import only this sheet")
    parser.add_argument("--profile", metavar="FILE.toml", help="a saved column and value mapping")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would change; write nothing")
    parser.add_argument("--strict", action="store_true",
                        help="write nothing if there is any error (exit status 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--date-order", choices=("dmy", "mdy"),
                        help="how to read dates such as 03/04/2025 (default: the profile's, "
                             "else dmy)")
    parser.add_argument("--report", metavar="FILE.xlsx", help="save every problem to a workbook")
    parser.set_defaults(run=run_import)


def run_import(args) -> int:
    """`import FILE`: preview, then (unless --dry-run) apply in one transaction."""
    from fusiondesk.services.importing.importer import (
        ImportAborted,
        apply_import,
        save_problem_report,
    )

    try:
        with _planned(args) as (portfolio, plan):
            if args.report:
                save_problem_report(plan, args.report)
            if args.dry_run:
                _show(args, plan, preview=True)
                return STRICT_ABORTED if args.strict and plan.refused_when_strict else 0
            try:
                result = apply_import(portfolio, plan, strict=args.strict)
            except ImportAborted as aborted:
                _show(args, plan, preview=True)
                print(f"fusiondesk import: {aborted}", file=sys.stderr)
                return STRICT_ABORTED
    except SheetError as error:
        print(f"fusiondesk import: {error}".splitlines()[0], file=sys.stderr)
        return UNREADABLE
    _show(args, result, preview=False)
    if result.handovers_pending:
        print(f"fusiondesk import: {result.handovers_pending}", file=sys.stderr)
    return 0


@contextmanager
def _planned(args):
    """The portfolio to import into and the plan of the file for it; SheetError if unreadable.

    A bad file changes nothing: the portfolio is opened first only if opening it changes
    nothing (it exists and its schema is current), and then read while the file is
    parsed; its daily backup and any step an interrupted import left follow once the
    file has been read. Otherwise the file is read before the portfolio is opened.
    """
    from fusiondesk.cli import database_target  # the package imports this module
    from fusiondesk.db.backups import backup_daily
    from fusiondesk.db.engine import open_if_current
    from fusiondesk.services.importing.importer import (
        plan_from_inventory,
        plan_import,
        read_inventory,
    )
    from fusiondesk.services.opening import finish_opening

    portfolio = open_if_current(database_target(args))
    if portfolio is not None:
        try:
            with portfolio.reading() as session:
                plan = plan_import(session, args.file, args.sheet, args.profile,
                                   args.date_order)
            if portfolio.location.path:
                backup_daily(portfolio)
            finish_opening(portfolio)  # a stopped import's second step; new rules
            yield portfolio, plan
        finally:
            portfolio.close()
        return
    inventory = read_inventory(args.file, args.sheet, args.profile, args.date_order)
    with _portfolio_for(args) as portfolio:
        with portfolio.reading() as session:
            plan = plan_from_inventory(session, inventory)
        yield portfolio, plan


@contextmanager
def _portfolio_for(args):
    """The portfolio to import into; a dry run where there is none previews against an empty one.

    That empty portfolio lives in a temporary folder, so a preview creates no file where
    the portfolio would be.
    """
    from fusiondesk.cli import database_target  # the package imports this module
    from fusiondesk.db.engine import locate, open_portfolio

    location = locate(database_target(args))
    if args.dry_run and location.path is not None and not Path(location.path).exists():
        with tempfile.TemporaryDirectory(prefix="fusiondesk-preview-") as folder:
            portfolio = open_portfolio(Path(folder) / "empty.fdesk", daily_backup=False)
            try:
                yield portfolio
            finally:
                portfolio.close()
        return
    with opened(args, create=not args.dry_run) as portfolio:
        yield portfolio


def _show(args, outcome: ImportPlan | ImportResult, preview: bool) -> None:
    from fusiondesk.services.importing.importer import ImportPlan, ImportResult

    if args.json:
        print_json({**outcome.summary(), **_columns_summary(outcome)})
        return
    print(_headline(outcome, preview))
    _show_columns(outcome)
    for kind, label in ((APPS, "apps"), (PEOPLE, "people")):
        counts = outcome.counts[kind].as_dict()
        if any(counts.values()):
            print(f"  {label + ':':<8}" + ", ".join(f"{n} {what}" for what, n in counts.items()))
    if preview and isinstance(outcome, ImportPlan):
        _show_changes(outcome)
    if isinstance(outcome, ImportResult):
        _show_follow_ups(outcome)
    _show_problems(outcome.problems, args.report)


def _columns_summary(outcome) -> dict:
    """Every sheet read, the format recognised, and what each column of the file became."""
    return {
        "sheets": [{"sheet": s.sheet, "entity": s.entity, "format": s.profile,
                    "header_row": s.header_row, "rows": s.rows,
                    "skipped_rows": s.skipped_rows} for s in outcome.sheets],
        "skipped_sheets": [{"sheet": name, "reason": why} for name, why in outcome.skipped_sheets],
        "columns": [{"sheet": s.sheet, **c.to_dict()} for s in outcome.sheets for c in s.columns],
        "owners_without_email": getattr(outcome, "named_owners", None)
                                or len(getattr(outcome, "new_named_owners", ())),
        "handover_plans": getattr(outcome, "handover_plans", 0),
    }


def _show_columns(outcome) -> None:
    for sheet in outcome.sheets:
        known = f"recognised as {sheet.profile}" if sheet.profile else "no known format recognised"
        print(f"  Sheet {sheet.sheet} ({sheet.entity}, header on row {sheet.header_row}): {known}")
        for c in sheet.columns:
            if c.field:
                print(f"    {c.column:>3} {c.header} → {c.field} ({c.confidence:.0%}: {c.reason})")
            else:
                print(f"    {c.column:>3} {c.header}: {c.reason}")
    for name, why in outcome.skipped_sheets:
        print(f"  Sheet {name}: skipped ({why}; name it with --sheet to import it)")


def _headline(outcome, preview: bool) -> str:
    if preview:
        return f"Preview of {outcome.source} (nothing was written):"
    backup = f" (backup: {outcome.backup.name})" if outcome.backup else ""
    return f"Imported {outcome.source}{backup}:"


def _show_changes(plan: ImportPlan) -> None:
    from fusiondesk.services.importing.importer import Outcome

    updated = plan.apps_with(Outcome.UPDATED)
    for app in updated[:SHOWN]:
        changes = "; ".join(f"{d.field} {_text(d.field, d.old)} → {_text(d.field, d.new)}"
                            for d in app.diffs)
        print(f"  ~ {app.app_id} {app.name}: {changes}")
    if len(updated) > SHOWN:
        print(f"  … and {len(updated) - SHOWN} more updated apps")
    if plan.new_owners:
        print(f"  {len(plan.new_owners)} owners are not in the portfolio and will be added")
    if plan.new_named_owners:
        print(f"  {len(plan.new_named_owners)} owners given only by name will be added without "
              "an e-mail")


def _show_follow_ups(result: ImportResult) -> None:
    if result.handover_plans:
        print(f"  handover planned for {_count(result.handover_plans, 'leaver')} "
              "(see `fusiondesk ownership`)")
    if result.named_owners:
        print(f"  {_count(result.named_owners, 'owner')} given only by name added without an "
              "e-mail: import the directory (e.g. Entra ID users) to complete them")


def _text(field: str, value) -> str:
    shown = format_value(field, value)
    return f"“{shown}”" if shown else "(blank)"


def _show_problems(problems: list[Problem], report: str | None) -> None:
    if not problems:
        return
    errors = sum(1 for p in problems if p.is_error)
    print(f"  {_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')}:")
    for p in problems[:SHOWN]:
        value = f" “{p.value}”" if p.value else ""
        print(f"    {p.severity} {p.sheet} row {p.row}, {p.column}{value}: {p.message}")
    if len(problems) > SHOWN:
        hint = f"all are in {report}" if report else "--report FILE.xlsx saves them all"
        print(f"    … and {len(problems) - SHOWN} more ({hint})")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
