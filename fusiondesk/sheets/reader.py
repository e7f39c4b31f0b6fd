"""Reading inventories: .xlsx/.xlsm/.xls/.ods through python-calamine, .csv/.tsv/.txt as text.

calamine never runs macros, returns the cached value of formula cells, and gives dates
as date/datetime objects. openpyxl is not used for reading at all: what calamine does
not report (the 1904 date system) comes from workbook.xml, read with defusedxml in
`safety`. Blank cells are "" in `RawTable.rows`; numbers are int or float as stored.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Iterable

from python_calamine import (
    CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum,
)

from fusiondesk.core.memory import paused_gc
from fusiondesk.sheets.delimited import read_delimited
from fusiondesk.sheets.headers import (
    HEADER_SCAN_ROWS, data_rows, fill_merged_cells, find_header_row, header_layout, is_blank,
)
from fusiondesk.sheets.problems import SheetError, column_label
from fusiondesk.sheets.safety import (
    DEFAULT_LIMITS, ODS, TEXT, WORKBOOK_SUFFIXES, XLS, XLSX, ReadLimits, check_file,
)

__all__ = ["RawTable", "Workbook", "open_workbook", "read_table", "read_tables",
           "ReadLimits", "DEFAULT_LIMITS"]


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


class _EmptySheet(SheetError):
    """A sheet (or file) without a single filled cell."""


class _NoHeader(SheetError):
    """A sheet with data but no row that reads as a header."""


class Workbook:
    """An opened, checked spreadsheet file: its sheet names and the tables on them."""

    def __init__(self, path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> None:
        checked = check_file(path, limits)
        self.path, self.format, self.date1904 = path, checked.format, checked.date1904
        self.limits = limits
        self._book: CalamineWorkbook | None = None
        self._hidden: list[str] = []
        if self.format == TEXT:
            self.sheet_names = [path.stem]
        else:
            self._book = self._open_calamine()
            self.sheet_names = self._worksheet_names()
        if not self.sheet_names:
            self.close()
            raise SheetError(f"{path.name} has no sheets; open it in Excel, check that it "
                             "holds the inventory and save it again.")

    @property
    def hidden_sheets(self) -> list[str]:
        """Hidden worksheets: skipped unless asked for by name."""
        return list(self._hidden)

    def read_table(self, sheet: str | None = None, header_row: int | None = None) -> RawTable:
        """The table on a sheet; without a name, on the first visible sheet that has one.

        `header_row` (1-based) overrides header detection, for the rare sheet it misreads.
        """
        if sheet is not None or header_row is not None:
            name = self._sheet_named(sheet) if sheet is not None else self.sheet_names[0]
            return self._table(name, header_row)
        return self._tables(stop_at_first=True)[0]

    def read_tables(self, sheets: Iterable[str] | None = None) -> list[RawTable]:
        """The tables on every visible sheet that has one (e.g. "Apps" and "People").

        With `sheets`, only on those of them (names as `sheet_names` gives them).
        """
        wanted = None if sheets is None else set(sheets)  # a generator could be read only once
        names = [n for n in self.sheet_names if wanted is None or n in wanted]
        return self._tables(stop_at_first=False, names=names)

    def close(self) -> None:
        """Release the file."""
        if self._book is not None:
            self._book.close()
            self._book = None

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------

    def _open_calamine(self) -> CalamineWorkbook:
        suffix_format = WORKBOOK_SUFFIXES.get(self.path.suffix.casefold())
        try:
            if suffix_format == self.format:
                return CalamineWorkbook.from_path(self.path)
            # The content is a workbook under another name (an .xlsx saved as .xls or .csv):
            # let calamine detect the format from the bytes.
            with self.path.open("rb") as file:
                return CalamineWorkbook.from_filelike(file)
        except PasswordError:
            raise self._encrypted() from None
        except (CalamineError, OSError, ValueError) as error:
            raise self._unreadable() from error

    def _worksheet_names(self) -> list[str]:
        names = []
        for sheet in self._book.sheets_metadata:
            if sheet.typ != SheetTypeEnum.WorkSheet:
                continue  # chart, dialog and macro sheets hold no table
            if sheet.visible != SheetVisibleEnum.Visible:
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

    def _tables(self, stop_at_first: bool, names: list[str] | None = None) -> list[RawTable]:
        names = self.sheet_names if names is None else names
        if stop_at_first or self.format == TEXT or len(names) < 2:
            outcomes: Iterable[RawTable | SheetError] = map(self._outcome, names)
        else:
            outcomes = self._outcomes_side_by_side(names)
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

    def _outcomes_side_by_side(self, names: list[str]) -> list[RawTable | SheetError]:
        """Every sheet's table, two sheets at a time, in sheet order.

        calamine parses a sheet without holding the GIL, so an "Apps" sheet and a
        "People" sheet are read in the time of the larger one. Each thread opens the
        file on its own: one calamine workbook is not shared between threads.
        """
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sheet") as pool:
            return list(pool.map(self._outcome_on_own_book, names))

    def _outcome_on_own_book(self, sheet: str) -> RawTable | SheetError:
        book = self._open_calamine()
        try:
            return self._outcome(sheet, book)
        finally:
            book.close()

    def _outcome(self, sheet: str, book: CalamineWorkbook | None = None) -> RawTable | SheetError:
        """A sheet's table, or the reason it holds none (no data, no header)."""
        try:
            return self._table(sheet, book=book)
        except (_EmptySheet, _NoHeader) as reason:
            return reason

    def _table(self, sheet: str, header_row: int | None = None,
               book: CalamineWorkbook | None = None) -> RawTable:
        with paused_gc():
            return self._table_on(sheet, header_row, book or self._book)

    def _table_on(self, sheet: str, header_row: int | None,
                  book: CalamineWorkbook | None) -> RawTable:
        rows, merges = self._cells(sheet, book)
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

    def _cells(self, sheet: str, book: CalamineWorkbook | None) -> tuple[list[list[object]], list]:
        """Every row of a sheet from row 1 (so list index + 1 is the row number), and merges."""
        if self.format == TEXT:
            rows = read_delimited(self.path)
            self._check_rows(len(rows))
            return rows, []
        try:
            grid = book.get_sheet_by_name(sheet)
            self._check_rows(grid.height)
            merges = grid.merged_cell_ranges or []
            return grid.to_python(skip_empty_area=False), merges
        except PasswordError:
            raise self._encrypted() from None
        except (CalamineError, ValueError) as error:
            raise self._unreadable() from error

    def _check_rows(self, count: int) -> None:
        if count > self.limits.max_rows:
            raise SheetError(f"{self.path.name} has {count:,} rows, more than the "
                             f"{self.limits.max_rows:,} FusionDesk reads at once; split it "
                             "into smaller files or raise the row limit.")

    def _no_data(self, sheet: str | None = None) -> SheetError:
        if sheet is None or self.format == TEXT:
            return _EmptySheet(f"{self.path.name} has no data; check that you chose the right "
                               "file.")
        return _EmptySheet(f"The sheet “{sheet}” in {self.path.name} has no data; check that "
                           "you chose the right sheet.")

    def _encrypted(self) -> SheetError:
        return SheetError(f"{self.path.name} is password-protected or encrypted; remove the "
                          "password in Excel and try again.")

    def _unreadable(self) -> SheetError:
        kind = {XLSX: "an Excel", XLS: "an Excel 97-2003", ODS: "an OpenDocument"}[self.format]
        return SheetError(f"{self.path.name} could not be read as {kind} workbook, it may be "
                          "damaged; open it in Excel, save it again and retry.")




def open_workbook(path: str | PathLike, limits: ReadLimits = DEFAULT_LIMITS) -> Workbook:
    """Check and open a spreadsheet file; SheetError says why if it cannot be opened."""
    return Workbook(Path(path), limits)


def read_table(path: str | PathLike, sheet: str | None = None,
               limits: ReadLimits = DEFAULT_LIMITS, header_row: int | None = None) -> RawTable:
    """The table on one sheet (by default the first visible sheet that has one)."""
    with open_workbook(path, limits) as workbook:
        return workbook.read_table(sheet, header_row)


def read_tables(path: str | PathLike, limits: ReadLimits = DEFAULT_LIMITS) -> list[RawTable]:
    """The tables on every visible sheet that has one."""
    with open_workbook(path, limits) as workbook:
        return workbook.read_tables()
