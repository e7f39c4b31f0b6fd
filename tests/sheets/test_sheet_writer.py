"""The streamed workbook writer, read back from the file: headers shown whole, text kept as text."""

from __future__ import annotations

import math
from datetime import date, datetime

import openpyxl

from fusiondesk.sheets.reader import read_table
from fusiondesk.sheets.writer import SheetWriter, new_workbook, save_workbook

# Every error value Excel knows, typed as text: none may become an error cell.
ERROR_CODES = ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
               "#SPILL!", "#CALC!"]
LINE_POINTS = 15  # one line of 11-point Calibri


def _write(path, columns, rows):
    book = new_workbook()
    sheet = SheetWriter(book, "Sheet", columns)
    sheet.extend(rows)
    sheet.finish()
    save_workbook(book, path)
    return path


def test_a_wrapped_header_row_is_tall_enough_for_its_longest_heading(tmp_path):
    heading = "Uncovered because the successor left"
    path = _write(tmp_path / "h.xlsx", [("App ID", 18), (heading, 10)], [("A-1", "no one")])
    sheet = openpyxl.load_workbook(path)["Sheet"]
    # ten characters a line at best: the heading needs at least four lines
    assert sheet.row_dimensions[1].height >= LINE_POINTS * math.ceil(len(heading) / 10)
    assert sheet["B1"].alignment.wrap_text
    assert sheet.row_dimensions[2].height is None  # data rows keep Excel's own height


def test_a_header_that_fits_keeps_one_line(tmp_path):
    path = _write(tmp_path / "h.xlsx", [("Name", 30), ("Tier", 10)], [])
    assert openpyxl.load_workbook(path)["Sheet"].row_dimensions[1].height < 2 * LINE_POINTS


def test_text_like_an_error_code_or_a_formula_stays_text_and_reads_back_as_written(tmp_path):
    values = [*ERROR_CODES, "=1+1", "+cmd", "@SUM(A1)", "-2", "line\r\nbreak", "_x000D_ typed"]
    path = _write(tmp_path / "t.xlsx", [("value", 20)], [(v,) for v in values])
    cells = [row[0] for row in openpyxl.load_workbook(path)["Sheet"].iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(values)
    table = read_table(path, header_row=1)  # the app's own reader, as a re-import sees the file
    assert [row[0] for _n, row in table.rows] == values


def test_numbers_stay_numbers_and_dates_dates(tmp_path):
    made = datetime(2026, 11, 1, 9, 30, 15)
    path = _write(tmp_path / "n.xlsx", [("n", 10), ("x", 10), ("day", 12), ("at", 20)],
                  [(7, 0.25, date(2026, 1, 31), made)])
    row = next(openpyxl.load_workbook(path)["Sheet"].iter_rows(min_row=2, values_only=True))
    assert row == (7, 0.25, datetime(2026, 1, 31), made)
