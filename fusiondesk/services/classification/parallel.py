"""Reclassifying after a policy change on two cores.

Classification is CPU-bound Python, so a second thread would only wait for the
GIL; a second process takes half of the id ranges instead. It reads the facts as
committed, which is right only because a policy change alters no facts: callers
pass `parallel=True` only from that path. Every write stays in the caller's one
transaction, in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date

from fusiondesk.core.policy import Policy
from fusiondesk.db.store import Session
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.driver import database_url, separate_session
from fusiondesk.services.classification.reclassify import (
    Reclassified,
    changed_rows,
    store_rows,
)


def reclassify_on_two_cores(session: Session, ranges: list[tuple[int, int]], policy: Policy,
                            today: date, total: int, progress=None,
                            raised: list[int] | None = None) -> int:
    """Classify the second half of `ranges` in a worker while this process does the first;
    the apps whose tier went up join `raised`."""
    raised = raised if raised is not None else []
    url = database_url(session)
    mine, theirs = ranges[: len(ranges) // 2], ranges[len(ranges) // 2:]
    done = 0
    with second_process() as pool:
        future = pool.submit(classify_ranges, url, theirs, policy, today)
        for low, high in mine:
            scope = Scope(low=low, high=high)
            batch = changed_rows(session, scope, policy, today)
            store_rows(session, scope, batch, policy.version, raised)
            done += batch.count
            if progress is not None:
                progress(done, total)
        for (low, high), batch in zip(theirs, future.result()):
            store_rows(session, Scope(low=low, high=high), batch, policy.version, raised)
            done += batch.count
    if progress is not None:
        progress(done, total)
    return done


def classify_ranges(url: str, ranges: list[tuple[int, int]], policy: Policy,
                    today: date) -> list[Reclassified]:
    """In the worker: the changed rows of each range, read from the committed portfolio."""
    with separate_session(url) as session:
        return [changed_rows(session, Scope(low=low, high=high), policy, today)
                for low, high in ranges]


@contextmanager
def second_process() -> Iterator[ProcessPoolExecutor]:
    """A spawned process for part of a big job, let go at the end without waiting for it.

    Spawned, never forked: the parent may run Qt. Its results are in hand when the job
    ends, so its exit (a tenth of a second or more of freeing memory) need not hold the
    caller up.
    """
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
