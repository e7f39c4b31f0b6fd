"""`apps` and `classify` as commands: what a big listing starts first, then the listing.

Loading FusionDesk's database layer and use cases takes most of a second, in this process
and in a spawned one alike, and checking a 100,000-app portfolio file reads every page of
it. So before this process loads them, a listing of a big file starts its second process
(which loads them meanwhile) and has the file checked in a thread (db.file_check): the
listing's own work (cli.listing) then starts sooner on both cores; and both processes end
without walking what the listing leaves behind. This module loads only the standard
library and what the command line has already loaded.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from fusiondesk.cli.output import (
    for_a_person,
    print_json,
    print_table,
    write_json_list,
    write_lines,
)

# A portfolio file this big holds tens of thousands of apps (about 1.5 kB each with
# their owners, reviews and history): its second process is started before opening it.
_BIG_FILE = 32_000_000


class SecondProcess:
    """The second process of a big listing, started at the first need of it."""

    def __init__(self):
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start it now: it loads the listing while this process does other work."""
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # never fork: a parent may hold Qt
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._pool.submit(_load_the_listing)

    def submit(self, work, *args) -> Future:
        """Run `work(*args)` there; its future."""
        self.start()
        return self._pool.submit(work, *args)

    def close(self) -> None:
        """Let it go, without waiting: it exits while this process writes the rows."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _load_the_listing() -> None:
    """In the second process, first thing: load what listing ranges takes."""
    import fusiondesk.cli.listing  # noqa: F401  (loading is the point)

    _no_collection_at_exit()


def _no_collection_at_exit() -> None:
    """Let the process end without the garbage collections Python runs as it exits.

    A big listing leaves about a million objects (facts, people, shared texts) that end
    with the process, and those collections walked them all to find nothing: 0.2-0.3 s
    after the last row was written, in each process. Frozen at exit, they are skipped;
    everything else about exiting (flushing, closing, exit handlers) is as before.
    """
    atexit.register(gc.freeze)


def print_listing(args, shape: str, table_shape: str, columns: list[str]) -> None:
    """`apps` and `classify`: the listing as --json, --jsonl or an aligned table."""
    as_json = args.json or args.jsonl
    encoded = args.jsonl or (args.json and not for_a_person())
    second = _started_early(args, encoded)
    try:
        from fusiondesk.cli.common import opened
        from fusiondesk.cli.listing import Wanted, listed

        wanted = Wanted(args.tier, args.flag, args.drift)
        with opened(args) as portfolio, portfolio.reading() as session:
            rows = listed(session, shape if as_json else table_shape, wanted, encoded, second)
    finally:
        second.close()  # unused (a smaller portfolio than its file suggested): it goes
    if args.jsonl:
        write_lines(rows)
    elif encoded:
        write_json_list(rows)
    elif args.json:
        print_json(list(rows))
    else:
        print_table(list(rows), columns)


def _started_early(args, encoded: bool) -> SecondProcess:
    """The listing's second process: started now, with the file's check, for a big file."""
    from fusiondesk.cli import database_target  # the command package imports this module
    from fusiondesk.db.file_check import check_early

    second = SecondProcess()
    target = database_target(args)
    if encoded and _is_big_file(target):
        check_early(target)
        second.start()
        _no_collection_at_exit()
    return second


def _is_big_file(target: str) -> bool:
    """True for a portfolio file big enough to be listed on two cores (a server: unknown)."""
    try:
        return os.path.getsize(target) > _BIG_FILE
    except (OSError, ValueError):
        return False  # a server's URL, or no file yet
