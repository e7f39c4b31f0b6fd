"""Parsing a workbook in a child process, under a memory and a time budget.

The container checks (`safety`) bound what a file's structure can cost, but not what
its content makes the parser build: one cell at XFD1048576 makes calamine allocate a
dense 17-billion-cell grid, and a Rust allocation failure aborts the whole process.
So calamine runs in a child process (never forked from the app, which may run Qt)
whose address space is capped with RLIMIT_AS. Past the cap or the deadline the child dies
or is killed; the parent raises `ParseFailed("hostile")` and is unharmed.

The child keeps the workbook open and answers one request at a time; a sheet's merged
ranges come first, then its rows in slices, so the parent unpickles (and may already
convert) one slice while the child builds the next.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection


def _context() -> multiprocessing.context.BaseContext:
    """Children come from a fork server where there is one, else are spawned.

    Never fork the app itself: it may run Qt and threads. The fork server is a small
    single-threaded process started once, with this module already imported, so a
    child costs milliseconds rather than a fresh interpreter (and whatever the app's
    entry script imports) per workbook opened. A packaged (frozen) app spawns: its
    entry point runs multiprocessing.freeze_support(), which is what spawn needs.
    """
    frozen = getattr(sys, "frozen", False)
    if not frozen and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


_CONTEXT = _context()
_SLICE_ROWS = 5_000
_CLOSE_GRACE_S = 2.0
_CANCEL_CHECK_S = 0.1


class ParseFailed(Exception):
    """What went wrong: password, unreadable, rows, hostile, cancelled or start (no child)."""

    def __init__(self, kind: str, detail: object = None) -> None:
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


@dataclass(frozen=True, slots=True)
class Source:
    """What the child opens: the file, or bytes standing in for it (a rewritten package)."""

    path: str
    data: bytes | None = None
    by_content: bool = False  # let calamine tell the format from the bytes, not the name


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """A sheet as the workbook lists it."""

    name: str
    is_worksheet: bool  # chart, dialog and macro sheets hold no table
    visible: bool


@dataclass(frozen=True, slots=True)
class Budget:
    """The child's address-space cap in bytes and each request's deadline in seconds."""

    memory_bytes: int
    seconds: float


class ParserProcess:
    """One workbook open in a child process; `read` one sheet at a time."""

    def __init__(self, source: Source, budget: Budget,
                 cancel: threading.Event | None = None) -> None:
        self.budget, self._cancel = budget, cancel
        self._conn, child_end = _CONTEXT.Pipe(duplex=True)
        self._process = _CONTEXT.Process(target=_serve, args=(child_end, source, budget),
                                         daemon=True, name="fusiondesk-sheet-parser")
        try:
            self._process.start()
        except Exception as error:  # noqa: BLE001 - no process (no memory, no main guard…)
            self._conn.close()
            raise ParseFailed("start", error) from error
        finally:
            child_end.close()
        try:
            self.sheets: list[SheetInfo] = self._answer(time.monotonic() + budget.seconds)
        except ParseFailed:
            self._kill()  # the workbook did not open: the child has nothing left to do
            raise

    def read(self, sheet: str, max_rows: int,
             each_slice: Callable[[list[list[object]], list], object] | None = None,
             ) -> tuple[list[list[object]], list]:
        """Every row of a sheet from row 1, and its merged ranges.

        `each_slice(rows, merges)` (which must not raise) is called with the rows read so
        far each time a slice arrives: work on them can start before the last one does.
        """
        deadline = time.monotonic() + self.budget.seconds
        self._send(("read", sheet, max_rows))
        merges = self._answer(deadline)
        rows: list[list[object]] = []
        while (message := self._answer(deadline)) != "end":
            rows.extend(message)
            if each_slice is not None:
                each_slice(rows, merges)
        return rows, merges

    def close(self) -> None:
        """Ask the child to exit; kill it if it does not."""
        if self._process.is_alive():
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._process.join(_CLOSE_GRACE_S)
        self._kill()

    def _send(self, request: tuple) -> None:
        try:
            self._conn.send(request)
        except OSError:
            self._kill()
            raise ParseFailed("hostile") from None

    def _answer(self, deadline: float):
        """The child's next message, or ParseFailed when it failed, died or ran late."""
        try:
            self._wait(deadline)
            tag, payload = self._conn.recv()
        except (EOFError, OSError, MemoryError):
            self._kill()
            raise ParseFailed("hostile") from None
        except ParseFailed:
            self._kill()
            raise
        if tag == "error":
            raise ParseFailed(*payload)
        return payload

    def _wait(self, deadline: float) -> None:
        """Until the child answers; checking for cancel every tenth of a second."""
        while not self._conn.poll(min(max(deadline - time.monotonic(), 0), _CANCEL_CHECK_S)):
            if self._cancel is not None and self._cancel.is_set():
                raise ParseFailed("cancelled")
            if time.monotonic() >= deadline:
                raise ParseFailed("hostile", "deadline")

    def _kill(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join(_CLOSE_GRACE_S)
        self._conn.close()


# --- the child -------------------------------------------------------------------------

def _serve(conn: Connection, source: Source, budget: Budget) -> None:
    """The child's main loop: open the workbook, answer requests until told to stop."""
    _confine(budget.memory_bytes)
    import gc
    gc.disable()  # a short-lived process building acyclic rows: collections only cost time
    book = _reply(conn, lambda: _open(conn, source))
    if book is None:
        return
    while (request := conn.recv()) is not None:
        _, sheet, max_rows = request
        _reply(conn, lambda: _stream_sheet(conn, book, sheet, max_rows))


def _send_rows(conn: Connection, rows: list[list]) -> None:
    """One slice of rows for the parent, each distinct text in it pickled once.

    calamine makes a new string of every cell, and a column holds few distinct ones
    (platforms, lifecycles, owners). Equal texts become one object, which the pickle's
    memo sends once and refers to after: the parent, the busier side, then unpickles a
    slice in about half the time, and what it builds of the rows holds shared strings.
    Only texts are shared: 1, 1.0 and True are equal keys, and must stay what they are.
    """
    shared: dict[str, str] = {}
    rows = [[shared.setdefault(v, v) if v.__class__ is str else v for v in row] for row in rows]
    buffer = io.BytesIO()
    pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL).dump(("ok", rows))
    conn.send_bytes(buffer.getbuffer())


def _confine(memory_bytes: int) -> None:
    """Cap the address space, no core dumps, and no Rust backtraces on the user's terminal."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass  # no RLIMIT on this platform: the deadline still holds
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


def _reply(conn: Connection, work):
    """Run work; send an error message for any failure, and return None then."""
    from python_calamine import PasswordError
    try:
        return work()
    except PasswordError:
        conn.send(("error", ("password",)))
    except MemoryError:
        conn.send(("error", ("hostile",)))
    except _TooManyRows as error:
        conn.send(("error", ("rows", error.args[0])))
    except BaseException:  # noqa: BLE001 - calamine's Rust panics are BaseExceptions
        conn.send(("error", ("unreadable",)))
    return None


class _TooManyRows(Exception):
    """A sheet taller than the caller's row limit."""


def _open(conn: Connection, source: Source):
    """Open the workbook and send its sheet list."""
    import io

    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum
    if source.data is not None:
        book = CalamineWorkbook.from_filelike(io.BytesIO(source.data))
    elif source.by_content:
        with open(source.path, "rb") as file:
            book = CalamineWorkbook.from_filelike(file)
    else:
        book = CalamineWorkbook.from_path(source.path)
    sheets = [SheetInfo(s.name, s.typ == SheetTypeEnum.WorkSheet,
                        s.visible == SheetVisibleEnum.Visible) for s in book.sheets_metadata]
    conn.send(("ok", sheets))
    return book


def _rows_from_a1(grid) -> Iterator[list]:
    """The sheet's rows from cell A1, as `to_python(skip_empty_area=False)` gives them.

    `iter_rows` yields every row from the first but leaves out the empty columns left of
    the first one in use; they are put back, so a column's position is its letter's.
    """
    start = grid.start
    left = [""] * start[1] if start is not None else []
    if not left:
        return iter(grid.iter_rows())
    return (left + row for row in grid.iter_rows())


def _stream_sheet(conn: Connection, book, sheet: str, max_rows: int) -> bool:
    """Send a sheet's merged ranges, then its rows in slices, then "end".

    The merges go first: the parent needs them (with the first rows) to find the header
    and can then work on each slice as it arrives."""
    grid = book.get_sheet_by_name(sheet)
    if grid.height > max_rows:
        raise _TooManyRows(grid.height)
    merges = [tuple(map(tuple, merge)) for merge in (grid.merged_cell_ranges or [])]
    conn.send(("ok", merges))
    # Each slice is sent as soon as it is converted, not after the whole sheet: the parent
    # unpickles one while the next is built (100,000 rows took 0.3 s to convert up front).
    rows = _rows_from_a1(grid)
    while block := list(islice(rows, _SLICE_ROWS)):
        _send_rows(conn, block)
    conn.send(("ok", "end"))
    return True
