"""Figures counted ahead on a second database connection while the dashboard counts the rest.

The database does most of the dashboard's counting and lets go of Python's lock while it
works, so a helper thread on a connection of its own counts the slowest figures (the review
queue and the abandonment rate: half the counting at 100,000 apps) while the worker counts
the apps' charts and the GUI thread draws them. Reads only: nothing is written meanwhile,
as the worker runs one job at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import TypeVar

from fusiondesk.db.store import Session

T = TypeVar("T")
Reading = Callable[[], AbstractContextManager[Session]]


class Ahead:
    """Counts handed to a helper thread with its own session, or, with no `reading` to open
    one, counted on `session` when first asked for."""

    def __init__(self, session: Session, reading: Reading | None = None):
        self._session = session
        self._reading = reading
        self._helper: ThreadPoolExecutor | None = None

    def __enter__(self) -> Ahead:
        if self._reading is not None:
            self._helper = ThreadPoolExecutor(1, thread_name_prefix="dashboard-ahead")
        return self

    def __exit__(self, *_exc) -> None:
        if self._helper is not None:  # waits for a count still running: its session closes
            self._helper.shutdown(wait=True, cancel_futures=True)

    def count(self, figure: Callable[[Session], T]) -> Callable[[], T]:
        """Start counting `figure(session)`; call what is returned for its value."""
        if self._helper is None:
            return lambda: figure(self._session)
        return self._helper.submit(self._in_own_session, figure).result

    def _in_own_session(self, figure: Callable[[Session], T]) -> T:
        with self._reading() as session:
            return figure(session)

