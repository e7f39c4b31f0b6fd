"""Rotating backups of portfolio files, made with SQLite's online backup API.

The backup API copies a consistent snapshot even while another connection is
writing in WAL mode, which a plain file copy cannot promise.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from fusiondesk import paths
from fusiondesk.core.atomic import replacing
from fusiondesk.core.errors import NotFound, PortfolioError

KEEP = 20  # newest backups kept per portfolio; older ones are pruned
SUFFIX = ".fdbak"


@dataclass(frozen=True)
class Backup:
    """One backup file of a portfolio."""

    path: Path
    created: datetime
    reason: str
    size: int


def folder_for(portfolio_path: Path) -> Path:
    """The backup folder of one portfolio (its name plus a hash of its full path)."""
    digest = hashlib.sha1(str(portfolio_path.resolve()).encode()).hexdigest()[:8]
    folder = paths.backups_dir() / f"{portfolio_path.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def make_backup(portfolio, reason: str = "manual") -> Backup:
    """Copy the portfolio to a new backup file now, and prune old ones."""
    source = _require_file(portfolio)
    stamp = datetime.now()
    target = folder_for(source) / f"{stamp:%Y%m%d-%H%M%S-%f}-{reason}{SUFFIX}"
    _sqlite_copy_whole(source, target)
    _prune(folder_for(source))
    return _describe(target)


def backup_daily(portfolio) -> Backup | None:
    """The automatic backup on open, at most once a day."""
    newest = newest_backup(portfolio.location.path)
    if newest and newest.created.date() == date.today():
        return None
    if _is_empty(portfolio.location.path):
        return None
    return make_backup(portfolio, reason="daily")


def list_backups(portfolio_path: Path) -> list[Backup]:
    """The backups of a portfolio, newest first."""
    files = folder_for(portfolio_path).glob(f"*{SUFFIX}")
    return sorted((_describe(f) for f in files), key=lambda b: b.created, reverse=True)


def newest_backup(portfolio_path: Path) -> Backup | None:
    """The most recent backup, if there is one."""
    found = list_backups(portfolio_path)
    return found[0] if found else None


def find_backup(portfolio_path: Path, name: str) -> Backup:
    """A backup by file name or path, as the user typed it."""
    candidate = Path(name)
    if not candidate.is_absolute():
        candidate = folder_for(portfolio_path) / name
    if not candidate.exists():
        raise NotFound(f"No backup named {name}. `fusiondesk backup --list` shows them.")
    return _describe(candidate)


def restore_backup(portfolio, backup: Backup) -> Backup:
    """Replace the portfolio's content with a backup's; the current state is backed up first."""
    target = _require_file(portfolio)
    _verify(backup.path)
    safety = make_backup(portfolio, reason="before-restore")
    portfolio.engine.dispose()
    _sqlite_copy(backup.path, target)
    return safety


def restore_file(portfolio_path: Path, backup: Backup) -> None:
    """Restore a portfolio that could not be opened (e.g. damaged) from a backup."""
    _verify(backup.path)
    damaged = portfolio_path.with_name(portfolio_path.name + f".damaged-{datetime.now():%Y%m%d%H%M%S}")
    os.replace(portfolio_path, damaged)  # keep the damaged file: never destroy user data
    for extra in ("-wal", "-shm"):
        side = portfolio_path.with_name(portfolio_path.name + extra)
        if side.exists():
            os.replace(side, damaged.with_name(damaged.name + extra))
    _sqlite_copy_whole(backup.path, portfolio_path)


def copy_to(portfolio, target: Path) -> Path:
    """Save a consistent copy of the portfolio under another name (never over itself)."""
    source = _require_file(portfolio)
    if target.resolve() == source.resolve():
        raise PortfolioError("Choose another file name: a copy cannot replace the portfolio itself.")
    _sqlite_copy_whole(source, target)
    return target


def _require_file(portfolio) -> Path:
    if not portfolio.location.path:
        raise PortfolioError(
            "Backups of a server database are made by its administrator (e.g. pg_dump)."
        )
    return portfolio.location.path


def _sqlite_copy_whole(source: Path, target: Path) -> None:
    """A new file `target` holding a copy of `source`: whole, or not there at all."""
    with replacing(target, mode=0o600) as partial:
        try:
            _sqlite_copy(source, partial)
        except sqlite3.Error as error:
            full = "full" in str(error)
            raise OSError(errno.ENOSPC if full else errno.EIO, str(error)) from error


def _sqlite_copy(source: Path, target: Path) -> None:
    if not target.exists():
        fd = os.open(target, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    dst = sqlite3.connect(target, timeout=10)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _verify(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        raise PortfolioError(f"The backup {path.name} is damaged too ({result}); pick another.")


def _is_empty(path: Path) -> bool:
    return path.stat().st_size == 0


def _describe(path: Path) -> Backup:
    parts = path.stem.split("-", 3)
    try:
        created = datetime.strptime("-".join(parts[:3]), "%Y%m%d-%H%M%S-%f")
        reason = parts[3] if len(parts) > 3 else "manual"
    except ValueError:
        created, reason = datetime.fromtimestamp(path.stat().st_mtime), "copied"
    return Backup(path, created, reason, path.stat().st_size)


def _prune(folder: Path) -> None:
    found = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.name, reverse=True)
    for old in found[KEEP:]:
        old.unlink(missing_ok=True)
