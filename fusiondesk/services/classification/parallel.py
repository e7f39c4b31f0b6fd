"""Big jobs over the portfolio's id ranges on two cores: a policy change, a what-if, a listing.

Classification is CPU-bound Python, so a second thread would only wait for the
GIL; a second process takes some of the id ranges instead. It reads the facts as
committed, which is right for a policy change only because it alters no facts: callers
pass `parallel=True` only from that path. Every write stays in the caller's one
transaction, in this process.

The two processes work through the ranges from both ends until they meet, rather than
taking half each: the second one spends most of a second starting, and on a shared
machine either may be slowed, so a fixed split leaves one of them waiting.
"""

from __future__ import annotations

import multiprocessing
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from typing import Any

from fusiondesk.core.policy import Policy
from fusiondesk.db.store import Session
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.driver import database_url, separate_session
from fusiondesk.db.store.facts_reader import FactsReader
from fusiondesk.services.classification.reclassify import (
    Reclassified,
    changed_rows,
    store_rows,
)

Range = tuple[int, int]
# The narrowest range (in ids) a last range is halved to: narrower ones cost more in
# statements than the two sides could gain by ending closer together.
_LEAST_SPAN = 500


def reclassify_on_two_cores(session: Session, ranges: list[Range], policy: Policy,
                            today: date, total: int, progress=None,
                            raised: list[int] | None = None) -> int:
    """Classify `ranges` here and in a second process, storing every changed row here;
    the apps whose tier went up join `raised`."""
    raised = raised if raised is not None else []
    done = 0

    def store(span: Range, batch: Reclassified) -> None:
        nonlocal done
        store_rows(session, Scope(low=span[0], high=span[1]), batch, policy.version, raised)
        done += batch.count
        if progress is not None:
            progress(done, total)

    reader = FactsReader(for_classification=True)

    def here(span: Range) -> None:
        store(span, changed_rows(session, Scope(low=span[0], high=span[1]), policy, today, reader))

    with second_process() as pool:
        share_ranges(pool, ranges, here, store, classify_ranges, database_url(session),
                     policy, today, uuid.uuid4().hex)
    return done


def classify_ranges(ranges: list[Range], url: str, policy: Policy, today: date,
                    job: str = "") -> list[Reclassified]:
    """In the worker: the changed rows of each range, read from the committed portfolio.

    The worker lives for one job (`job` tells it from the next where one process serves
    several): the people its ranges name are read at its first range and kept.
    """
    if _APART.get("job") != job or not job:
        _APART.update(job=job, reader=FactsReader(for_classification=True))
    with separate_session(url) as session:
        return [changed_rows(session, Scope(low=low, high=high), policy, today, _APART["reader"])
                for low, high in ranges]


_APART: dict = {}  # the job the worker serves, and its facts reader


def share_ranges(pool: ProcessPoolExecutor, ranges: list[Range], here: Callable[[Range], Any],
                 arrived: Callable[[Range, Any], None], there: Callable[..., list],
                 *args) -> None:
    """Work through `ranges` from both ends until the two meet.

    This process calls `here(range)` on the ranges from the first on; the second runs
    `there([range], *args)` (a module-level function, so that it can be sent) on the ranges
    from the last back, and `arrived(range, result)` is called here with each of its results
    as it comes. Every range is done exactly once.

    The second process is sent its next range the moment it hands one back (from the
    result's callback), never ranges ahead of time: when this process finds none left, the
    second is at most one range from done, and no range waits in its queue that this
    process, idle, could have done itself. The last range left is halved as it is taken
    (down to _LEAST_SPAN ids), so that one is about half a range from done.
    """
    todo: deque[Range] = deque(ranges)
    sent: deque[tuple[Range, Future]] = deque()
    lock = threading.Lock()  # both ends take from `todo`: this thread and the callbacks'
    stopped: list[bool] = []

    def take(last: bool) -> Range | None:
        with lock:
            if stopped or not todo:
                return None
            if len(todo) == 1 and todo[0][1] - todo[0][0] >= 2 * _LEAST_SPAN:
                low, high = todo.pop()  # the last range is halved, so the two sides end together
                middle = (low + high) // 2
                todo.extend(((low, middle), (middle + 1, high)))
            return todo.pop() if last else todo.popleft()

    def send(done: Future | None = None) -> None:
        if done is not None and (done.cancelled() or done.exception() is not None):
            return  # the error is raised here when its result is collected
        span = take(last=True)
        if span is not None:
            future = pool.submit(there, [span], *args)
            sent.append((span, future))  # before the callback: `sent` keeps the order sent
            future.add_done_callback(send)

    def collect(wait: bool) -> None:
        while sent and (wait or sent[0][1].done()):
            span, future = sent.popleft()
            arrived(span, future.result()[0])

    send()
    try:
        while (span := take(last=False)) is not None:
            here(span)
            collect(wait=False)
        collect(wait=True)  # nothing is left to send: only what is on its way is waited for
    finally:
        stopped.append(True)


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
