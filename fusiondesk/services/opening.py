"""Opening a portfolio and keeping its backups: the use cases behind the File menu.

The window opens, copies, backs up and restores portfolios through these; it never
imports the database package itself. `Portfolio` and `Backup` are named here so the
window can speak of them.
"""

from __future__ import annotations

from pathlib import Path

from fusiondesk.db import roles
from fusiondesk.db.backups import (
    Backup,
    copy_to,
    folder_for,
    list_backups,
    make_backup,
    restore_backup,
    restore_file,
)
from fusiondesk.db.engine import Portfolio, open_portfolio
from fusiondesk.db.transfer import TableCopy, copy_portfolio
from fusiondesk.db.watch import ChangeWatcher
from fusiondesk.services.classification.rules import keep_classifications_current
from fusiondesk.services.handover.pending import plan_pending_handovers

__all__ = ["Backup", "ChangeWatcher", "Portfolio", "TableCopy", "backup_folder", "backups_of", "back_up",
           "copy_between", "finish_opening", "open_for_work", "open_portfolio", "restore", "restore_damaged",
           "save_copy", "make_sample", "set_up_server", "grant_role"]


def open_for_work(location: str, create: bool = False) -> Portfolio:
    """Open a portfolio (checked, migrated, backed up) and finish what a stopped import left."""
    portfolio = open_portfolio(location, create=create)
    try:
        finish_opening(portfolio)
    except BaseException:
        portfolio.close()
        raise
    return portfolio


def finish_opening(portfolio: Portfolio) -> None:
    """What every open does once the schema is current: the step an import stopped before
    its end left, a reclassification when this FusionDesk's rules are newer, and the
    warning signs the days since the last open moved (a review fallen due, say)."""
    plan_pending_handovers(portfolio)
    keep_classifications_current(portfolio)


def copy_between(source: str, destination: str, progress=None) -> list[TableCopy]:
    """Move a whole portfolio from `source` into a new, empty `destination` (file or server),
    every table and the change log included; verified by counts and checksums."""
    # Opened as it is: no backup, no pending step run, nothing of the source written.
    origin = open_portfolio(source, create=False, daily_backup=False)
    try:
        target = open_portfolio(destination, create=True, daily_backup=False)
        try:
            return copy_portfolio(origin, target, progress)
        finally:
            target.close()
    finally:
        origin.close()


def set_up_server(url: str) -> Portfolio:
    """Create (or bring up to date) a shared portfolio on a server, with its three roles."""
    portfolio = open_portfolio(url, create=True, daily_backup=False)
    try:
        roles.set_up_roles(portfolio.engine)
    except BaseException:
        portfolio.close()
        raise
    return portfolio


def grant_role(portfolio: Portfolio, user: str, role: str) -> None:
    """Make `user` a reader, editor or admin of the shared portfolio (an admin's right)."""
    if portfolio.is_sqlite:
        raise ValueError("A portfolio file has no roles: whoever can write the file may edit it.")
    with portfolio.transaction() as session:
        roles.grant(session.connection(), user, role)


def restore_damaged(location: str, backup: Backup) -> None:
    """Put a backup in place of a damaged portfolio file (it is opened afterwards)."""
    restore_file(Path(location), backup)


def save_copy(portfolio: Portfolio, target: str) -> Path:
    """Write a consistent copy of the open portfolio elsewhere."""
    return copy_to(portfolio, Path(target))


def backups_of(portfolio: Portfolio) -> list[Backup]:
    """The portfolio's backups, newest first (none for a database server)."""
    return list_backups(portfolio.location.path) if portfolio.is_sqlite else []


def backup_folder(portfolio: Portfolio) -> Path:
    """Where the portfolio's backups are kept."""
    return folder_for(portfolio.location.path)


def back_up(portfolio: Portfolio) -> Backup:
    """Make a backup by hand, now."""
    return make_backup(portfolio, reason="manual")


def restore(portfolio: Portfolio, backup: Backup) -> Backup:
    """Replace the portfolio by a backup; returns the backup made of the state before."""
    return restore_backup(portfolio, backup)


def make_sample(path: str, who: str, apps: int) -> str:
    """Create a portfolio file filled with the generated sample (for screenshots and demos)."""
    # Here, not at the top: every open loads this module, and the sample generator with
    # its vocabularies is for this alone.
    from fusiondesk.services.portfolio import fill_with_sample

    portfolio = open_portfolio(path)
    try:
        with portfolio.transaction() as session:
            fill_with_sample(session, who, apps=apps)
    finally:
        portfolio.close()
    return path
