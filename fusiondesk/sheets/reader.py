"""Reading inventories: .xlsx/.xlsm/.xls/.ods through python-calamine, .csv/.tsv/.txt as text.

calamine never runs macros, returns the cached value of formula cells, and gives dates
as date/datetime objects. It runs in a child process under a memory and time budget
(`sandbox`), after the container checks of `safety`. openpyxl is not used for reading
at all: what calamine does not report (the 1904 date system) comes from workbook.xml,
read with defusedxml in `packages`. Blank cells are "" in `RawTable.rows`; numbers are
int or float as stored. Only SheetError leaves this module.
"""

from __future__ import annotations

import functools
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Callable, Iterable, Iterator

from fusiondesk.core.memory import paused_gc
from fusiondesk.sheets import refusals
from fusiondesk.sheets.delimited import read_delimited
from fusiondesk.sheets.headers import (
    HEADER_SCAN_ROWS,
    data_rows,
    fill_merged_cells,
    find_header_row,
    header_layout,
    is_blank,
)
from fusiondesk.sheets.problems import SheetError, column_label
from fusiondesk.sheets.safety import (
    DEFAULT_LIMITS,
    ODS,
    TEXT,
    WORKBOOK_SUFFIXES,
    XLS,
    XLSX,
    CheckedFile,
    ReadLimits,
    check_file,
)
from fusiondesk.sheets.sandbox import Budget, ParseFailed, ParserProcess, Source

__all__ = ["RawTable", "Workbook", "open_workbook", "read_table", "read_tables",
           "ReadLimits", "DEFAULT_LIMITS", "ReadCancelled"]


@dataclass(slots=True)
class RawTable:
    """One sheet's table as read: headers, their source columns, and the rows below them."""

    source: str  # the file name
    sheet: str
    header_row: int  # 1-based row of the header (the lower row of a two-level header)
    headers: list[str]
    columns: list[int]  # 1-based source column of each header
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (1-based row, values)
    date1904: bool = False  # the workbook counts serial dates from 1904

    def column_label(self, position: int) -> str:
        """The header at a position with its column letter, e.g. "Users (F)"."""
        return column_label(self.headers[position], self.columns[position])


class ReadCancelled(SheetError):
    """The user cancelled the read; nothing was read, nothing changed."""


class _EmptySheet(SheetError):
    """A sheet (or file) without a single filled cell."""


class _NoHeader(SheetError):
    """A sheet with data but no row that reads as a header."""


def _file_errors(method):
    """Let only SheetError out: a reader's own slip still ends in a sentence naming the file."""
    @functools.wraps(method)
    def guarded(self: "Workbook", *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except SheetError:
            raise
        except MemoryError:
            raise SheetError(f"{self.path.name} needs more memory than this computer has free "
                             "to read it; close other programs or split the file, and try "
                             "again.") from None
        except Exception as error:  # noqa: BLE001 - the contract: a sentence, never a traceback
            raise self._unreadable() from error
    return guarded


class Workbook:
    """An opened, checked spreadsheet file: its sheet names and the tables on them."""

    def __init__(self, path: Path, limits: ReadLimits = DEFAULT_LIMITS,
                 cancel: threading.Event | None = None) -> None:
        self.path, self.limits = path, limits
        self._cancel = cancel if cancel is not None else threading.Event()
        self.format = WORKBOOK_SUFFIXES.get(path.suffix.casefold(), TEXT)  # until checked
        self.date1904 = False
        self._checked: CheckedFile | None = None
        self._idle: queue.SimpleQueue[ParserProcess] = queue.SimpleQueue()
        self._parsers: list[ParserProcess] = []
        self._lock = threading.Lock()
        self._hidden: list[str] = []
        self._slice_watcher: Callable[[str], Callable | None] | None = None
        self._open()

    @_file_errors
    def _open(self) -> None:
        try:
            self._open_checked()
        except BaseException:
            self.close()
            raise

    def _open_checked(self) -> None:
        checked = self._checked = check_file(self.path, self.limits)
        self.format, self.date1904 = checked.format, checked.date1904
        if self.format == TEXT:
            self.sheet_names = [self.path.stem]
        else:
            parser = self._start_parser()
            self._idle.put(parser)
            self.sheet_names = self._worksheet_names(parser)
        if not self.sheet_names:
            raise SheetError(f"{self.path.name} has no sheets; open it in Excel, check that it "
                             "holds the inventory and save it again.")

    @property
    def hidden_sheets(self) -> list[str]:
        """Hidden worksheets: skipped unless asked for by name."""
        return list(self._hidden)

    @_file_errors
    def read_table(self, sheet: str | None = None, header_row: int | None = None) -> RawTable:
        """The table on a sheet; without a name, on the first visible sheet that has one.

        `header_row` (1-based) overrides header detection, for the rare sheet it misreads.
        """
        if sheet is not None or header_row is not None:
            name = self._sheet_named(sheet) if sheet is not None else self.sheet_names[0]
            return self._table(name, header_row)
        return self._tables(stop_at_first=True)[0]

    @_file_errors
    def read_tables(self, sheets: Iterable[str] | None = None,
                    each: Callable[[RawTable], object] | None = None) -> list[RawTable]:
        """The tables on every visible sheet that has one (e.g. "Apps" and "People").

        With `sheets`, only on those of them (names as `sheet_names` gives them). `each`
        is called with every table as soon as it is read, on the thread that read it: a
        small sheet can be worked on while a big one is still being parsed.
        """
        wanted = None if sheets is None else set(sheets)  # a generator could be read only once
        names = [n for n in self.sheet_names if wanted is None or n in wanted]
        return self._tables(stop_at_first=False, names=names, each=each)

    def watch_slices(self, watcher: Callable[[str], Callable | None]) -> None:
        """Have `watcher(sheet)` give, for each sheet read, what each slice of it is handed to.

        What it gives is called as `(rows so far, merged ranges)` each time a slice of a
        workbook's sheet arrives from the parser (see `ParserProcess.read`); it must not raise.
        """
        self._slice_watcher = watcher

    def cancel(self) -> None:
        """Stop a read under way (from any thread): it raises ReadCancelled within ~0.1 s."""
        self._cancel.set()

    def close(self) -> None:
        """Release the file and stop the parser processes."""
        with self._lock:
            parsers, self._parsers = self._parsers, []
        for parser in parsers:
            parser.close()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit the children may be gone
            pass

    # --- internals -------------------------------------------------------------------

    def _start_parser(self) -> ParserProcess:
        """A child process with the workbook open, under the limits' budget."""
        checked = self._checked
        suffix_format = WORKBOOK_SUFFIXES.get(self.path.suffix.casefold())
        # A workbook under another name (an .xlsx saved as .xls or .csv) is opened by its
        # bytes, so calamine detects the format from them.
        source = Source(str(self.path), checked.rewritten, suffix_format != self.format)
        size = len(checked.rewritten) if checked.rewritten else self.path.stat().st_size
        budget = Budget(max(self.limits.parse_memory_bytes,
                            self.limits.parse_memory_per_file_byte * size),
                        self.limits.parse_seconds)
        try:
            parser = ParserProcess(source, budget, self._cancel)
        except ParseFailed as failure:
            raise self._failure(failure) from None
        with self._lock:
            self._parsers.append(parser)
        return parser

    @contextmanager
    def _parser(self) -> Iterator[ParserProcess]:
        """An idle parser process, or a new one when every one is busy (sheets side by side)."""
        try:
            parser = self._idle.get_nowait()
        except queue.Empty:
            parser = self._start_parser()
        try:
            yield parser
        finally:
            self._idle.put(parser)

    def _worksheet_names(self, parser: ParserProcess) -> list[str]:
        names = []
        for sheet in parser.sheets:
            if not sheet.is_worksheet:
                continue  # chart, dialog and macro sheets hold no table
            if not sheet.visible:
                self._hidden.append(sheet.name)
            else:
                names.append(sheet.name)
        if not names:  # every sheet hidden: then the hidden ones are all there is
            names, self._hidden = self._hidden, []
        return names

    def _sheet_named(self, sheet: str) -> str:
        known = self.sheet_names + self._hidden
        if sheet in known:
            return sheet
        folded = {name.strip().casefold(): name for name in known}
        if sheet.strip().casefold() in folded:
            return folded[sheet.strip().casefold()]
        raise SheetError(f"{self.path.name} has no sheet named “{sheet}”; its sheets are "
                         f"{', '.join(known)} — choose one of them.")

    def _tables(self, stop_at_first: bool, names: list[str] | None = None,
                each: Callable[[RawTable], object] | None = None) -> list[RawTable]:
        names = self.sheet_names if names is None else names
        outcome = functools.partial(self._outcome, each=each)
        if stop_at_first or self.format == TEXT or len(names) < 2:
            outcomes: Iterable[RawTable | SheetError] = map(outcome, names)
        else:
            outcomes = self._outcomes_side_by_side(names, outcome)
        tables, no_header = [], None
        for outcome in outcomes:
            if isinstance(outcome, _NoHeader):
                no_header = no_header or outcome
            elif not isinstance(outcome, _EmptySheet):
                tables.append(outcome)
                if stop_at_first:
                    break
        if not tables:
            raise no_header or self._no_data()
        return tables

    def _outcomes_side_by_side(self, names: list[str], outcome) -> list[RawTable | SheetError]:
        """Every sheet's table, two sheets at a time, in sheet order.

        Each sheet is parsed in its own child process, so an "Apps" sheet and a "People"
        sheet are read in the time of the larger one.
        """
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sheet") as pool:
            return list(pool.map(outcome, names))

    def _outcome(self, sheet: str, each=None) -> RawTable | SheetError:
        """A sheet's table (handed to `each`), or the reason it holds none (no data, no header)."""
        try:
            table = self._table(sheet)
        except (_EmptySheet, _NoHeader) as reason:
            return reason
        if each is not None:
            each(table)
        return table

    def _table(self, sheet: str, header_row: int | None = None) -> RawTable:
        if self._cancel.is_set():
            raise self._failure(ParseFailed("cancelled"))
        with paused_gc():
            return self._table_on(sheet, header_row)

    def _table_on(self, sheet: str, header_row: int | None) -> RawTable:
        rows, merges = self._cells(sheet)
        if not any(not is_blank(cell) for row in rows for cell in row):
            raise self._no_data(sheet)
        header = find_header_row(rows) if header_row is None else header_row - 1
        if header_row is not None and not 0 <= header < len(rows):
            raise SheetError(f"Row {header_row} is outside the sheet “{sheet}”, which has "
                             f"{len(rows)} rows; choose the row that holds the column names.")
        if header is None:
            raise _NoHeader(f"No header row was found in the first {HEADER_SCAN_ROWS} rows of "
                             f"“{sheet}” in {self.path.name}; make sure one row holds column "
                             "names such as App Name, Owner and Users.")
        layout = header_layout(rows, header, merges)
        fill_merged_cells(rows, merges, below=layout.row)
        return RawTable(source=self.path.name, sheet=sheet, header_row=layout.row + 1,
                        headers=layout.headers, columns=[c + 1 for c in layout.columns],
                        rows=data_rows(rows, layout), date1904=self.date1904)

    def _cells(self, sheet: str) -> tuple[list[list[object]], list]:
        """Every row of a sheet from row 1 (so list index + 1 is the row number), and merges."""
        if self.format == TEXT:
            rows = read_delimited(self.path)
            self._check_rows(len(rows))
            return rows, []
        try:
            each_slice = self._slice_watcher(sheet) if self._slice_watcher else None
            with self._parser() as parser:
                rows, merges = parser.read(sheet, self.limits.max_rows, each_slice)
        except ParseFailed as failure:
            raise self._failure(failure) from None
        return rows, within_grid(merges, rows)

    def _failure(self, failure: ParseFailed) -> SheetError:
        """The sentence for what went wrong in the parser process."""
        if failure.kind == "password":
            return refusals.encrypted(self.path.name,
                                      "LibreOffice" if self.format == ODS else "Excel")
        if failure.kind == "rows":
            return self._too_many_rows(failure.detail)
        if failure.kind == "hostile":
            return refusals.hostile(self.path.name)
        if failure.kind == "cancelled":
            return ReadCancelled(f"Reading {self.path.name} was cancelled; nothing was "
                                 "imported.")
        if failure.kind == "start":
            return SheetError(f"FusionDesk could not start the process that reads "
                              f"{self.path.name} ({failure.detail}); close other programs and "
                              "try again.")
        return self._unreadable()

    def _check_rows(self, count: int) -> None:
        if count > self.limits.max_rows:
            raise self._too_many_rows(count)

    def _too_many_rows(self, count: int) -> SheetError:
        return SheetError(f"{self.path.name} has {count:,} rows, more than the "
                          f"{self.limits.max_rows:,} FusionDesk reads at once; split it "
                          "into smaller files or raise the row limit.")

    def _no_data(self, sheet: str | None = None) -> SheetError:
        if sheet is None or self.format == TEXT:
            return _EmptySheet(f"{self.path.name} has no data; check that you chose the right "
                               "file.")
        return _EmptySheet(f"The sheet “{sheet}” in {self.path.name} has no data; check that "
                           "you chose the right sheet.")

    def _unreadable(self) -> SheetError:
        kind = {XLSX: "an Excel", XLS: "an Excel 97-2003", ODS: "an OpenDocument",
                TEXT: "a text"}[self.format]
        noun = "file" if self.format == TEXT else "workbook"
        return SheetError(f"{self.path.name} could not be read as {kind} {noun}, it may be "
                          "damaged; open it in Excel, save it again and retry.")


def within_grid(merges: Iterable, rows: list[list[object]]) -> list:
    """Merged ranges clipped to the cells the sheet has; ranges wholly outside dropped.

    A writer may record a merge reaching past the last row or column that holds data
    (or past the sheet's edge); the part inside the grid is still what the user sees.
    """
    height, width = len(rows), max(map(len, rows), default=0)
    clipped = []
    for merge in merges:
        try:
            (top, left), (bottom, right) = merge
        except (TypeError, ValueError):
            continue
        if 0 <= top <= bottom and 0 <= left <= right and top < height and left < width:
            clipped.append(((top, left), (min(bottom, height - 1), min(right, width - 1))))
    return clipped


def open_workbook(path: str | PathLike, limits: ReadLimits = DEFAULT_LIMITS,
                  cancel: threading.Event | None = None) -> Workbook:
    """Check and open a spreadsheet file; SheetError says why if it cannot be opened.

    Setting `cancel` (e.g. from a progress dialog's Cancel) stops a read under way.
    """
    return Workbook(Path(path), limits, cancel)


def read_table(path: str | PathLike, sheet: str | None = None,
               limits: ReadLimits = DEFAULT_LIMITS, header_row: int | None = None,
               cancel: threading.Event | None = None) -> RawTable:
    """The table on one sheet (by default the first visible sheet that has one)."""
    with open_workbook(path, limits, cancel) as workbook:
        return workbook.read_table(sheet, header_row)


def read_tables(path: str | PathLike, limits: ReadLimits = DEFAULT_LIMITS,
                cancel: threading.Event | None = None) -> list[RawTable]:
    """The tables on every visible sheet that has one."""
    with open_workbook(path, limits, cancel) as workbook:
        return workbook.read_tables()
