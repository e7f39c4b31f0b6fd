"""Writing workbooks that look professional and can never carry a live formula.

Sheets are streamed with XlsxWriter in constant-memory mode: each row goes to disk as
soon as the next one starts, so a 100,000-app export never holds a workbook in memory.
The data rows of `SheetWriter` sheets skip XlsxWriter: `sheets/rowstream.py` writes them
as sheet XML, the way XlsxWriter would, at an eighth of its cost a cell, and splices them
into the package XlsxWriter closed with those sheets' header rows only; a sheet's rows
may also have been written by another process (`SheetWriter.take_rows`).
Every string is written as a string (`write_string`), never parsed: `=HYPERLINK(...)`,
`+cmd`, `@SUM` stay inert text and "#N/A" stays the text a user typed, not an error
cell. XlsxWriter writes a carriage return or another control character as Excel's own
escape (`_x000D_`) and escapes a typed "_x000D_" in turn, so every string reads back as
written.

Why XlsxWriter: the maintained writers, measured side by side on the cells of the real
audit workbook of a 20,000-app portfolio (`benchmarks/bench_writers.py`: 122,425 rows,
1.37 million filled cells, each writer in a fresh process, one run on this 2-core machine
while other jobs kept its load at 7-10, so wall seconds are ~6x the CPU seconds; "text":
"=1+1" and "#N/A" written by the plain call read back as strings; the other columns are
what the audit workbook needs, from each library's API):

    writer                 wall s  CPU s  text  styles charts freeze filter print-titles cond.fmt free layout
    openpyxl write-only     106.8   18.8   no    y      y      y      y      y            y        y
    XlsxWriter const.mem.   105.7   12.7   yes   y      y      y      y      y            y        y
    pyexcelerate 0.13        78.9   10.2   no    y      -      y      y      -            -        y
    rustpy-xlsxwriter 0.8    13.7    1.8   yes   y      y      y      y      y            y        -
    excelize-py 0.1 (Go)    125.7   27.2   yes   -      y      y      y      y            y        y

XlsxWriter is the one that has every feature and keeps text as text with no workaround
(openpyxl turns "=..." into a formula and "#N/A" into an error cell unless its value check
is bypassed), costs a third less CPU than openpyxl, and is maintained and widely used: one
of PyPI's 400 most downloaded packages, released several times a year. pyexcelerate is
barely faster and has no charts, print titles or conditional formats. rustpy-xlsxwriter
(Rust) is 7x faster but is a young one-person binding outside PyPI's 15,000 most downloaded,
and it writes each sheet as one table of dicts, so the Summary's figures, four tables and
their charts cannot be laid out. excelize-py is a 0.1 binding whose stream writer takes no
cell styles and pays a ctypes call per row. At 100,000 apps XlsxWriter alone still takes
54 CPU seconds here (openpyxl 72, the export with XlsxWriter writing every cell 64:
bench_audit), so issue 15's 30 s budget was out of reach of any general-purpose
pure-Python writer on this machine; hence the rows written by `rowstream`, with XlsxWriter
keeping everything that is not a data row (headers, styles, widths, frozen panes, filters,
conditional formats, print setup, the Summary and its charts).
"""

from __future__ import annotations

import csv
import math
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from fusiondesk.core.atomic import replacing
from fusiondesk.sheets.rowstream import RowFile, RowStream, Styled, StyleNumbers, splice_rows

# Leading characters Excel or a CSV consumer may treat as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Named, sized fonts: a font with neither falls back to a serif in LibreOffice.
FONT_NAME = "Calibri"
FONT_SIZE = 11
HEADER_STYLE = {"font_name": FONT_NAME, "font_size": FONT_SIZE, "bold": True, "font_color": "#FFFFFF",
                "bg_color": "#37474F", "text_wrap": True, "valign": "vcenter"}
TITLE_STYLE = {"font_name": FONT_NAME, "font_size": 14, "bold": True}
DATE_STYLE = {"num_format": "yyyy-mm-dd"}
DATETIME_STYLE = {"num_format": "yyyy-mm-dd hh:mm:ss"}
PERCENT_STYLE = {"num_format": "0.0%"}
LINE_POINTS = 15.0  # one line of 11-point Calibri, Excel's default row height

_OPTIONS = {
    "constant_memory": True,  # rows stream to disk in order: memory stays flat at 100,000 apps
    "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    "remove_timezone": True,  # Excel has no time zones; a stored UTC stamp is shown as it is
    "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE},
}


class StreamedWorkbook:
    """An xlsx being streamed to a temporary file; `save` puts it at its final path."""

    def __init__(self):
        # The file name is given at save time, when the atomic writer has chosen it.
        self.book = xlsxwriter.Workbook(None, _OPTIONS)
        # It holds no formulas: nothing for Excel to recalculate on open (and so no
        # "save changes?" question when the reader only looked).
        self.book.calc_on_load = False
        self._styles: dict[tuple, Format] = {}
        self._streams: list[tuple[Worksheet, RowStream | RowFile]] = []
        self.date = self.style(DATE_STYLE)
        self.datetime = self.style(DATETIME_STYLE)

    def style(self, properties: dict) -> Format:
        """The workbook's format with these properties (one per distinct set)."""
        key = tuple(sorted(properties.items()))
        if key not in self._styles:
            self._styles[key] = self.book.add_format(properties)
        return self._styles[key]

    @staticmethod
    def xf_index(style: Format) -> int:
        """The number of `style` in the package's styles.xml, fixed from this call on.

        Coupled to XlsxWriter (3.x): a Format gets its xf index the first time a cell
        with it is written (`Format._get_xf_index`, called from `Worksheet._write_cell`),
        the next free one, kept on the Format; at close, `Workbook._prepare_formats` lays
        styles.xml out in that order. Rows written by `RowStream` never reach XlsxWriter,
        so their styles are numbered here by the same call; `save` checks the numbers
        held after close, and tests/sheets/test_rowstream.py reads the styles back.
        """
        return style._get_xf_index()  # noqa: SLF001 - see above

    def add_sheet(self, title: str) -> Worksheet:
        """A new sheet, in tab order; its rows must be written top to bottom."""
        return self.book.add_worksheet(title)

    def stream_rows(self, sheet: Worksheet, width: int) -> RowStream:
        """The fast writer of `sheet`'s rows below its header (XlsxWriter writes the header)."""
        stream = RowStream(width, self)
        self._streams.append((sheet, stream))
        return stream

    def style_numbers(self) -> StyleNumbers:
        """The date and datetime styles' numbers, for rows written in another process."""
        return StyleNumbers(self.xf_index(self.date), self.xf_index(self.datetime))

    def take_rows(self, sheet: Worksheet, rows: RowFile) -> None:
        """`sheet`'s rows are those another process wrote (any streamed here are dropped)."""
        for index, (streamed_sheet, stream) in enumerate(self._streams):
            if streamed_sheet is sheet:
                stream.close()
                self._streams[index] = (sheet, rows)
                return
        self._streams.append((sheet, rows))

    def save(self, path: str | Path) -> None:
        """Assemble the file at `path` (the temporary path of `save_workbook`).

        XlsxWriter writes the package with the streamed sheets' header rows only, then
        their rows go in (`rowstream.splice_rows`), at the same temporary path.
        """
        numbered = {id(style): style.xf_index for style in self._styles.values()}
        try:
            self.book.filename = str(path)
            self.book.close()
            renumbered = [s for s in self._styles.values()
                          if numbered[id(s)] is not None and s.xf_index != numbered[id(s)]]
            if renumbered:
                raise RuntimeError("XlsxWriter renumbered the styles the streamed rows use")
            # XlsxWriter names the n-th worksheet's part sheet<n>.xml (packager._write_worksheet_files)
            splice_rows(Path(path), {f"xl/worksheets/sheet{sheet.index + 1}.xml": stream
                                     for sheet, stream in self._streams})
        finally:
            for _sheet, stream in self._streams:
                stream.close()


def write_row(workbook: StreamedWorkbook, sheet: Worksheet, row: int, values: Iterable) -> None:
    """Write one row: text as text, numbers as numbers, dates as dates; blanks stay empty."""
    for column, value in enumerate(values):
        kind = type(value)
        if kind is str:
            if value:
                sheet.write_string(row, column, value)
        elif value is None:
            continue
        elif kind is int or kind is float:
            sheet.write_number(row, column, value)
        else:
            _write_other(workbook, sheet, row, column, value)


def _write_other(workbook: StreamedWorkbook, sheet: Worksheet, row: int, column: int, value) -> None:
    # The rarer kinds, off the hot path of strings and numbers.
    if isinstance(value, Styled):
        if isinstance(value.value, str):
            sheet.write_string(row, column, value.value, value.style)
        else:
            sheet.write(row, column, value.value, value.style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, column, value, workbook.datetime)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, workbook.date)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value)
    elif isinstance(value, time):
        sheet.write_string(row, column, value.isoformat())
    else:  # a StrEnum, a Decimal...: as the text it shows
        sheet.write_string(row, column, str(value))


class SheetWriter:
    """One streamed sheet: styled header, frozen header row, filters, widths, print setup."""

    def __init__(self, workbook: StreamedWorkbook, title: str, columns: Sequence[tuple[str, float]],
                 repeat_columns: str | None = None):
        self.workbook = workbook
        self.sheet = workbook.add_sheet(title)
        set_up_printing(self.sheet, header_rows=True, columns=repeat_columns,
                        pages_wide=pages_wide(columns, repeat_columns))
        self.width = len(columns)
        self.rows = 0
        for index, (_header, width) in enumerate(columns):
            self.sheet.set_column(index, index, width)
        self.sheet.freeze_panes(1, 0)
        header = workbook.style(HEADER_STYLE)
        self.sheet.set_row(0, header_height(columns))
        for index, (text, _width) in enumerate(columns):
            self.sheet.write_string(0, index, text, header)
        # The data rows bypass XlsxWriter: ~1 µs a cell instead of ~8 (sheets/rowstream.py)
        self._rows = workbook.stream_rows(self.sheet, self.width)

    def append(self, values: Sequence) -> None:
        """Write one row below the last; strings are always stored as text."""
        self.rows += 1
        self._rows.append(values)

    def extend(self, rows: Iterable[Sequence]) -> None:
        """Write many rows."""
        for row in rows:
            self.append(row)

    def take_rows(self, rows: RowFile) -> None:
        """The sheet's rows are those another process wrote to `rows` (sheets.rowstream)."""
        self.rows = rows.rows
        self.workbook.take_rows(self.sheet, rows)

    @property
    def data_range(self) -> str:
        """The A1 range of the header and every written row."""
        return f"A1:{xl_col_to_name(self.width - 1)}{self.rows + 1}"

    def finish(self) -> None:
        """Put filters on the header row (once every row is written)."""
        self.sheet.autofilter(0, 0, self.rows, self.width - 1)


def header_height(columns: Sequence[tuple[str, float]]) -> float:
    """Points for a header row whose every heading shows whole once wrapped in its column."""
    return LINE_POINTS * max((wrapped_lines(text, width) for text, width in columns), default=1) + 2


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes wrapped at spaces in a column `width` characters wide."""
    room = max(1, int(width / 1.15) - 1)  # bold glyphs run wider than the column's unit, the '0'
    return len(textwrap.wrap(text, room)) or 1  # a word longer than the column breaks inside


# Column-width units a landscape page prints at a readable size: about 130 at 100% on A4
# or Letter with Excel's margins, so 200 is the least scale worth reading, 65%.
READABLE_PAGE_WIDTH = 200


def pages_wide(columns: Sequence[tuple[str, float]], repeat_columns: str | None = None) -> int:
    """How many pages wide a sheet prints so that it stays readable: one when its columns
    fit; else enough pages that each, repeating the identifying columns, keeps 65%. (The
    audit's Apps sheet has 50 columns: fitted to one page it printed at about 15%.)"""
    widths = [width for _header, width in columns]
    total = sum(widths)
    if total <= READABLE_PAGE_WIDTH:
        return 1
    repeated = sum(widths[:_column_count(repeat_columns)]) if repeat_columns else 0
    room = max(READABLE_PAGE_WIDTH - repeated, READABLE_PAGE_WIDTH / 2)
    return 1 + math.ceil((total - READABLE_PAGE_WIDTH) / room)


def _column_count(letters: str) -> int:
    """How many columns a range such as "A:B" spans."""
    first, last = letters.split(":")
    return ord(last.upper()) - ord(first.upper()) + 1


def new_workbook() -> StreamedWorkbook:
    """An empty streamed workbook (it has no formulas: Excel is not asked to recalculate it)."""
    return StreamedWorkbook()


def set_up_printing(sheet: Worksheet, header_rows: bool = False, columns: str | None = None,
                    pages_wide: int = 1) -> None:
    """Landscape, `pages_wide` pages wide, the header row (and the identifying columns) on
    every page."""
    sheet.set_landscape()
    sheet.fit_to_pages(pages_wide, 0)  # as many pages down as the rows need
    if header_rows:
        sheet.repeat_rows(0)
    if columns:
        sheet.repeat_columns(columns)


def save_workbook(workbook, path: str | Path) -> Path:
    """Save `workbook` at `path` whole or not at all: a failure leaves any old file as it was.

    `workbook` is anything with a `save(path)`: a `StreamedWorkbook`, or the openpyxl
    workbook the sample generator builds.
    """
    with replacing(path) as partial:
        workbook.save(partial)
    return Path(path)


def csv_safe(value) -> str:
    """A cell for CSV: a formula-looking text gets a leading apostrophe, as spreadsheets expect."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in FORMULA_TRIGGERS else text


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    """A UTF-8 (with BOM, so Excel reads accents) CSV; returns the number of data rows."""
    count = 0
    with replacing(path) as partial, open(partial, "w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow([csv_safe(h) for h in headers])
        for row in rows:
            out.writerow([csv_safe(v) for v in row])
            count += 1
    return count
