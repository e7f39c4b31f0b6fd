"""`fusiondesk [--db PATH_OR_URL] COMMAND`: the same use cases as the GUI, from a terminal.

Usage errors and unreadable files print one line on stderr and exit with 2;
nobody should have to read a traceback to learn they mistyped a path.
"""

from __future__ import annotations

import argparse
import os
import sys

from fusiondesk import __version__, paths
from fusiondesk.core.errors import PortfolioError

USAGE_ERROR = 2


def _command_modules() -> tuple:
    """The modules that register the sub-commands, loaded when a command line is parsed.

    Not at import: every worker process that reads a sheet imports the `fusiondesk`
    script again, and with it this package (0.3 s of command modules each, before it can
    start on the file).
    """
    from fusiondesk.cli import (
        connector_commands,
        developer_commands,
        escalation_commands,
        export_commands,
        governance_commands,
        handover_commands,
        import_commands,
        portfolio_commands,
        programme_commands,
        review_commands,
        server_commands,
    )
    return (portfolio_commands, governance_commands, export_commands, review_commands,
            handover_commands, import_commands, server_commands, connector_commands,
            programme_commands, developer_commands, escalation_commands)


class UsageError(Exception):
    """The command line was wrong; the message says how."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise UsageError(f"{self.prog}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    """The command line: global options and one sub-command per use case."""
    parser = _Parser(prog="fusiondesk", description="FusionDesk: the low-code CoE portfolio.")
    parser.add_argument("--version", action="version", version=f"FusionDesk {__version__}")
    parser.add_argument("--db", metavar="PATH_OR_URL",
                        help="portfolio file or SQLAlchemy URL (default: $FUSIONDESK_DB, "
                             "else the portfolio in the data directory)")
    parser.add_argument("--sample", action="store_true",
                        help="open the GUI on your copy of the sample portfolio")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _command_modules():
        module.register(commands)
    return parser


def database_target(args) -> str:
    """Where to find the portfolio: --db, then FUSIONDESK_DB, then the default file."""
    return args.db or os.environ.get("FUSIONDESK_DB") or str(paths.default_portfolio())


def main(argv: list[str] | None = None) -> int:
    """Run one command (or open the GUI) and return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = _portfolio_path_means_gui(argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return _open_gui(args)
        status = args.run(args) or 0
        sys.stdout.flush()  # here, so a reader that went away is noticed below
        return status
    except BrokenPipeError:
        return _reader_gone()
    except UsageError as exc:
        return _fail(str(exc))
    except PortfolioError as exc:
        return _fail(f"fusiondesk: {exc}")
    except (OSError, ValueError) as exc:
        return _fail(f"fusiondesk: {exc}")
    except KeyboardInterrupt:
        return 130


def _open_gui(args) -> int:
    from fusiondesk.gui.launch import NO_DISPLAY, has_display, launch

    if not has_display():  # before any file is touched: a headless run changes nothing
        print(NO_DISPLAY, file=sys.stderr)
        return 2  # an environment problem, like a missing library or a dead display
    if args.sample:
        from fusiondesk.shipped_sample import user_sample

        return launch(str(user_sample()), explicit=True)
    explicit = bool(args.db or os.environ.get("FUSIONDESK_DB"))
    return launch(database_target(args), explicit=explicit)


def _portfolio_path_means_gui(argv: list[str]) -> list[str]:
    """`fusiondesk my.fdesk` opens that portfolio in the GUI."""
    if len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in _command_names():
        return ["--db", argv[0]]
    return argv


def _command_names() -> set[str]:
    names = set()
    for module in _command_modules():
        names.update(module.COMMANDS)
    return names


def _reader_gone() -> int:
    """The reader of stdout closed it (`fusiondesk apps | head`): stop quietly.

    Python's documented recipe: point stdout at devnull, so the flush at exit has
    nowhere to fail and prints no "Broken pipe"; exit 1, as Python does on EPIPE.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no file (captured in tests): nothing to flush
        pass
    return 1


def _fail(message: str) -> int:
    print(message.splitlines()[0] if message else "fusiondesk: failed", file=sys.stderr)
    return USAGE_ERROR
