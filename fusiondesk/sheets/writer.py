"""Writing workbooks that look professional and can never carry a live formula.

Sheets are streamed with openpyxl's write-only mode, so a 100,000-app export
never holds a whole workbook in memory. Every string a user or an imported file
could have typed is written as text: a value such as `=HYPERLINK(...)`, `+cmd`
or `@SUM` stays inert in Excel.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fusiondesk.core.atomic import replacing

# Leading characters Excel or a CSV consumer may treat as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767  # characters a cell holds
# Named, sized fonts: a font with neither falls back to a serif in LibreOffice.
FONT_NAME = "Calibri"
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="37474F")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


# XML readers turn a CR LF inside a cell into LF, so Excel's own escape carries a carriage
# return through the file (`_x000D_`); a literal "_x000D_" typed by someone is escaped in
# turn ("_x005F_x000D_"), as Excel does, so every string reads back exactly as written.
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _ooxml_text(value: str) -> str:
    if "_x" in value:
        value = _OOXML_ESCAPE.sub(r"_x005F_\1", value)
    return value.replace("\r", "_x000D_")


def _risky(value) -> bool:
    return type(value) is str and value[:1] in FORMULA_TRIGGERS


def _clean(value: str) -> str:
    # control characters are illegal in XML; a stray one must not sink the whole export
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def safe_row(sheet, values) -> list:
    """A row ready for a write-only sheet: formula-looking strings become text cells."""
    row = list(values)
    for index, value in enumerate(row):
        if type(value) is str:
            escaped = "\r" in value or "_x" in value
            if escaped:
                row[index] = value = _ooxml_text(value[:EXCEL_CELL_LIMIT])
            if _risky(value) or (escaped and len(value) > EXCEL_CELL_LIMIT):
                row[index] = _text_cell(sheet, _clean(value))
            elif ILLEGAL_CHARACTERS_RE.search(value):
                row[index] = _clean(value)
    return row


def _text_cell(sheet, text: str) -> WriteOnlyCell:
    # Set past openpyxl's value check: it would write a leading '=' as a formula, and cut
    # an escaped text at 32,767 stored characters where Excel counts them unescaped.
    cell = WriteOnlyCell(sheet)
    cell._value = text
    cell.data_type = "s"
    return cell


class SheetWriter:
    """One streamed sheet: styled, frozen header row, filters, widths, text-only strings."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[tuple[str, float]],
                 repeat_columns: str | None = None):
        self.sheet = workbook.create_sheet(title)
        set_up_printing(self.sheet, header_rows="1:1", columns=repeat_columns)
        self.width = len(columns)
        self.rows = 0
        for index, (_header, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self._header_cell(header) for header, _w in columns])

    def _header_cell(self, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        return cell

    def append(self, values: Sequence) -> None:
        """Write one row; strings that look like formulas are stored as text."""
        self.sheet.append(safe_row(self.sheet, values))
        self.rows += 1

    def extend(self, rows: Iterable[Sequence]) -> None:
        """Write many rows."""
        for row in rows:
            self.append(row)

    @property
    def data_range(self) -> str:
        """The A1 range of the header and every written row."""
        return f"A1:{get_column_letter(self.width)}{self.rows + 1}"

    def finish(self) -> None:
        """Put filters on the header row (once every row is written)."""
        self.sheet.auto_filter.ref = self.data_range


def new_workbook() -> Workbook:
    """An empty streamed workbook that does not ask Excel to recalculate it (it has no formulas)."""
    workbook = Workbook(write_only=True)
    workbook.calculation.fullCalcOnLoad = False
    return workbook


def set_up_printing(sheet, header_rows: str | None = None, columns: str | None = None) -> None:
    """Landscape, as wide as one page, the header row (and the identifying columns) on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        sheet.print_title_rows = header_rows
    if columns:
        sheet.print_title_cols = columns


def save_workbook(workbook: Workbook, path: str | Path) -> Path:
    """Save `workbook` at `path` whole or not at all: a failure leaves any old file as it was."""
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
