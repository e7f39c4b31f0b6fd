"""Learning that someone else changed the portfolio, cheaply enough to ask every second.

On a server, the change log's trigger sends a notification (migration 0010) that a
dedicated connection LISTENs for; on a SQLite file, `PRAGMA data_version` on a dedicated
connection moves when any other connection commits. Either only says "look": what tells
others' changes from our own is the change log, whose newest id we acknowledge after each
change of ours.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from fusiondesk.db.engine import Portfolio
from fusiondesk.db.models import ChangeLogEntry

CHANNEL = "fusiondesk_changes"  # as migration 0010 notifies


class ChangeWatcher:
    """Asked now and then: has anyone else changed this portfolio since we last looked?"""

    def __init__(self, portfolio: Portfolio):
        self._portfolio = portfolio
        self._seen = self._newest_log_id()
        self._listener = None
        self._data_version = None
        if portfolio.is_sqlite:
            self._listener = sqlite3.connect(f"file:{portfolio.location.path}?mode=ro", uri=True,
                                             check_same_thread=False)
            self._data_version = self._sqlite_version()
        else:
            self._listener = _pg_listener(portfolio)

    def acknowledge(self) -> None:
        """Our own change is done: what the log holds now is not someone else's news."""
        self._seen = self._newest_log_id()
        if self._data_version is not None:
            self._data_version = self._sqlite_version()

    def others_changed(self) -> bool:
        """True once for each batch of changes committed by another window or program."""
        if not self._woken():
            return False
        newest = self._newest_log_id()
        changed, self._seen = newest > self._seen, max(newest, self._seen)
        return changed

    def close(self) -> None:
        """Stop listening."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _woken(self) -> bool:
        if self._listener is None:
            return False
        if self._data_version is not None:
            version = self._sqlite_version()
            woken, self._data_version = version != self._data_version, version
            return woken
        return any(True for _ in self._listener.notifies(timeout=0, stop_after=1000))

    def _sqlite_version(self) -> int:
        return self._listener.execute("PRAGMA data_version").fetchone()[0]

    def _newest_log_id(self) -> int:
        with self._portfolio.reading() as session:
            return session.scalar(select(func.coalesce(func.max(ChangeLogEntry.id), 0)))


def _pg_listener(portfolio: Portfolio):
    import psycopg

    url = portfolio.engine.url.set(drivername="postgresql")
    connection = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
    connection.execute(f"LISTEN {CHANNEL}")
    return connection
