"""What the command modules share: opening the portfolio named on the command line, filters."""

from __future__ import annotations

from contextlib import contextmanager

from fusiondesk.core.flags import FLAG_NAMES


@contextmanager
def file_refusals_in_one_line():
    """A file refused (unreadable, or not the list asked for) becomes one line and exit 2,
    as `import` says it; the transaction around it is rolled back, so nothing is written."""
    from fusiondesk.sheets.problems import SheetError

    try:
        yield
    except SheetError as error:
        raise ValueError(str(error).splitlines()[0]) from None


def print_people_list_rows(unknown_people: list[tuple[int, str]],
                           skipped: list[tuple[int, str]]) -> None:
    """The rows of a list of people (members, training records) that did nothing, and why."""
    for row, who in unknown_people:
        print(f"  row {row}: {who} is not in the portfolio (import the directory first)")
    for row, why in skipped:
        print(f"  row {row}: {why}")


@contextmanager
def opened(args, create: bool = False):
    """The portfolio named on the command line, closed afterwards."""
    from fusiondesk.cli import database_target  # the package imports this module
    from fusiondesk.db.engine import open_portfolio  # not at the top: --help loads no database
    from fusiondesk.services.opening import finish_opening

    portfolio = open_portfolio(database_target(args), create=create)
    try:
        finish_opening(portfolio)  # a stopped import's second step; new classification rules
        yield portfolio
    finally:
        portfolio.close()


def add_filters(parser) -> None:
    """--tier, --flag and --drift, shared by `apps` and `classify`."""
    parser.add_argument("--tier", type=int, choices=(1, 2, 3, 4))
    parser.add_argument("--flag", choices=FLAG_NAMES, metavar="NAME")
    parser.add_argument("--drift", action="store_true", help="only apps above their approved tier")


def add_json_outputs(parser) -> None:
    """--json and --jsonl, for the commands that list apps."""
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true",
                       help="one JSON list: compact, one app per line (indented at a terminal)")
    shown.add_argument("--jsonl", action="store_true",
                       help="JSON Lines: one app per line, no list around them, streamed")
