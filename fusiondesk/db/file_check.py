"""A portfolio file's read-only check: its integrity, its tables and its schema revision.

Opening a file runs it first (db.engine decides what the findings refuse). `PRAGMA
quick_check` reads every page: a third of a second for a 100,000-app portfolio. A
command that knows early which file it will open (a big listing) calls `check_early`
before it loads the database layer: the check then runs in a thread meanwhile (SQLite
leaves Python's lock while it reads), and opening that file takes its findings instead
of checking again. Only the standard library is loaded here, and nothing is written.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import NamedTuple

from fusiondesk.core.errors import PortfolioLocked

BUSY_TIMEOUT_MS = 5000


class Findings(NamedTuple):
    """What a read-only look at a file found: quick_check's verdict ("ok" when sound),
    its tables and the schema revision it records (None when none)."""

    result: str
    tables: frozenset[str]
    revision: str | None


def findings(path: Path) -> Findings:
    """The file's findings: those of an early check of it when one was started on the file
    as it is now, else read now."""
    started = _EARLY.pop(path, None)
    if started is not None and started[0] == _version(path):
        return started[1].result()
    return _look(path)


def check_early(target: str) -> None:
    """Start checking the portfolio file `target` (a path as typed) in a thread; a server's
    URL or a missing file is left to opening."""
    if "://" in target:
        return
    path = Path(target).expanduser().resolve()  # as db.engine.locate names it
    if path.is_file() and path not in _EARLY:
        early: Future = Future()
        _EARLY[path] = (_version(path), early)
        threading.Thread(target=_look_into, args=(path, early), daemon=True,
                         name="portfolio check").start()


# Files being checked early, by resolved path: the version of the file checked, and the
# findings to come.
_EARLY: dict[Path, tuple[tuple[int, int] | None, Future]] = {}


def _version(path: Path) -> tuple[int, int] | None:
    """When the file last changed, and its size: findings of another version are not its."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def _look_into(path: Path, early: Future) -> None:
    try:
        early.set_result(_look(path))
    except BaseException as exc:  # raised again where opening asks for the findings
        early.set_exception(exc)


def _look(path: Path) -> Findings:
    """Read the findings without changing a byte: read-only, before any pragma is set."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = frozenset(row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))
            revision = None
            if "alembic_version" in tables:
                found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = found and found[0]
        finally:
            connection.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise PortfolioLocked(
                f"{path} is locked by another program; close it there and open it again."
            ) from exc
        return Findings(str(exc), frozenset(), None)
    except sqlite3.DatabaseError as exc:
        return Findings(str(exc), frozenset(), None)
    return Findings(result, tables, revision)
