"""The fast row writer: every awkward value reads back as XlsxWriter itself would have written it."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timezone
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from fusiondesk.sheets.reader import read_table
from fusiondesk.sheets.rowstream import (
    _NEEDS_ESCAPING,
    MAX_TEXT,
    cell_text,
    excel_serial,
    needs_escaping,
)
from fusiondesk.sheets.writer import SheetWriter, Styled, new_workbook, save_workbook, write_row

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n")
AWKWARD_TEXT = [
    "plain", " leading and trailing space ", "=HYPERLINK(\"http://x\")", "+cmd", "-2", "@SUM(A1)",
    "#N/A", "#DIV/0!", "a & b < c > d \"quoted\" 'single'", "line\r\nbreak\ttab", "_x000D_ typed",
    "_X00AF_ and _x00zz_", "bell\x07 and nul\x00", "non-character \ufffe\uffff", "ü €, 中文, 🙂",
    "x" * MAX_TEXT, "y" * (MAX_TEXT + 10), "🙂" * (MAX_TEXT // 2 + 3), CONTROL,
]
OTHER_VALUES = [0, -1, 7, 2**53 + 1, 2**70, -(10**20), 0.1, 1 / 3, -1.5e-300, 1e300, True, False,
                date(2026, 1, 31), date(1900, 2, 28), date(1900, 3, 1), datetime(2026, 11, 1, 9, 30, 15),
                datetime(2026, 11, 1, 9, 30, 15, 500000), datetime(1900, 1, 1, 12),
                datetime(2026, 6, 1, 8, tzinfo=timezone.utc), time(9, 30)]


def _write_both(path, values):
    """The same column of values by the fast writer (sheet "Fast") and by XlsxWriter (sheet "Slow")."""
    book = new_workbook()
    fast = SheetWriter(book, "Fast", [("value", 20)])
    slow = book.add_sheet("Slow")
    for row, value in enumerate(values, start=1):
        fast.append((value,))
        write_row(book, slow, row, (value,))
    fast.finish()
    save_workbook(book, path)
    return path


def _cells(path, sheet_number):
    """(ref, style, type, text) of each data cell in the package's sheet<n>.xml."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read(f"xl/worksheets/sheet{sheet_number}.xml"))
    found = []
    for cell in root.iter(f"{MAIN}c"):
        if cell.get("r") == "A1":
            continue  # the fast sheet's header
        text = "".join(cell.itertext())
        found.append((cell.get("r"), cell.get("s"), cell.get("t"), text))
    return found


def test_every_awkward_value_is_written_as_xlsxwriter_writes_it(tmp_path):
    # If XlsxWriter changes how it writes a cell (escapes, number digits, date serials,
    # style numbers), the two sheets differ and this fails: the fast writer must follow.
    path = _write_both(tmp_path / "both.xlsx", AWKWARD_TEXT + OTHER_VALUES)
    fast, slow = _cells(path, 1), _cells(path, 2)
    assert len(fast) == len(AWKWARD_TEXT) + len(OTHER_VALUES)
    assert fast == slow


def test_text_reads_back_as_typed_in_openpyxl_calamine_and_the_importer(tmp_path):
    readable = [t for t in AWKWARD_TEXT if "\ufffe" not in t]  # openpyxl keeps no non-characters
    path = _write_both(tmp_path / "t.xlsx", readable + ["<r>not a rich string</r>"])
    expected = [t[:MAX_TEXT] if not t.startswith("🙂🙂") else "🙂" * (MAX_TEXT // 2) for t in readable]  # Excel's limit
    expected.append("<r>not a rich string</r>")  # XlsxWriter alone would write this one unescaped
    cells = [row[0] for row in openpyxl.load_workbook(path)["Fast"].iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(expected)
    # openpyxl leaves Excel's _xHHHH_ escapes in inline strings as they are; Excel and calamine decode them
    assert [c.value for c in cells if not re.search("[\x00-\x1f]|_x", c.value)] == \
        [e for e in expected if not re.search("[\x00-\x1f]|_x", e)]
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Fast").to_python()
    assert [row[0] for row in calamine[1:]] == expected
    table = read_table(path, header_row=1)  # the app's own reader, as a re-import sees the file
    assert [row[0] for _n, row in table.rows] == expected


def test_numbers_dates_and_booleans_keep_their_types_and_styles(tmp_path):
    book = new_workbook()
    sheet = SheetWriter(book, "Sheet", [("n", 10), ("x", 10), ("day", 12), ("at", 20), ("yes", 6),
                                        ("blank", 6), ("after", 8)])
    made = datetime(2026, 11, 1, 9, 30, 15)
    sheet.append((7, 0.25, date(2026, 1, 31), made, True, None, 2**70))
    sheet.append(("", None, None, None, False, None, -3))
    sheet.finish()
    path = save_workbook(book, tmp_path / "n.xlsx")

    loaded = openpyxl.load_workbook(path)["Sheet"]
    first = [c for c in loaded[2]]
    # an integer beyond 16 digits keeps its first 16, as XlsxWriter writes it
    assert [c.value for c in first] == [7, 0.25, datetime(2026, 1, 31), made, True, None, pytest.approx(2**70, rel=1e-15)]
    assert [c.data_type for c in first[:5]] == ["n", "n", "d", "d", "b"]
    assert first[2].number_format == "yyyy-mm-dd" and first[3].number_format == "yyyy-mm-dd hh:mm:ss"
    assert first[0].number_format == "General" and first[2].font.name == "Calibri"
    assert [c.value for c in loaded[3]] == [None, None, None, None, False, None, -3]
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sheet").to_python()
    assert calamine[1][:5] == [7, 0.25, date(2026, 1, 31), made, True]
    assert calamine[2][4] is False


def test_the_dimension_filter_and_rows_cover_every_streamed_row(tmp_path):
    book = new_workbook()
    sheet = SheetWriter(book, "Sheet", [("id", 10), ("name", 10), ("n", 10)])
    sheet.extend((f"A-{i}", f"name {i}", i) for i in range(1, 2501))
    sheet.finish()
    path = save_workbook(book, tmp_path / "d.xlsx")

    with zipfile.ZipFile(path) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
        assert package.testzip() is None
    assert re.search(r'<dimension ref="A1:C2501"/>', xml)
    assert '<autoFilter ref="A1:C2501"/>' in xml
    read_only = openpyxl.load_workbook(path, read_only=True)["Sheet"]
    assert read_only.max_row == 2501 and read_only.max_column == 3
    full = openpyxl.load_workbook(path)["Sheet"]
    assert full["A2501"].value == "A-2500" and full["C2501"].value == 2500
    assert full.freeze_panes == "A2" and full["A1"].font.bold


def test_a_sheet_with_its_header_only_stays_a_valid_sheet(tmp_path):
    book = new_workbook()
    SheetWriter(book, "Empty", [("id", 10), ("name", 10)]).finish()
    path = save_workbook(book, tmp_path / "e.xlsx")
    sheet = openpyxl.load_workbook(path)["Empty"]
    assert [c.value for c in sheet[1]] == ["id", "name"] and sheet.max_row == 1


def test_a_value_excel_cannot_hold_is_refused_as_xlsxwriter_refuses_it(tmp_path):
    book = new_workbook()
    sheet = SheetWriter(book, "Sheet", [("x", 10)])
    with pytest.raises(TypeError):
        sheet.append((float("nan"),))


@pytest.mark.parametrize(("moment", "serial"), [
    (date(1900, 1, 1), 1), (date(1900, 2, 28), 59), (date(1900, 3, 1), 61), (date(2026, 1, 31), 46053),
    (datetime(2026, 1, 31, 18), 46053.75),
])
def test_excel_serials_count_excel_s_1900_leap_day(moment, serial):
    assert excel_serial(moment) == serial


def test_cell_text_escapes_only_what_needs_it():
    assert cell_text("Finance app") == "Finance app"
    assert cell_text("a<b&c>") == "a&lt;b&amp;c&gt;"
    assert cell_text("cr\r") == "cr_x000D_" and cell_text("_x000D_") == "_x005F_x000D_"


@given(st.text(alphabet=st.sampled_from("ab _xX0fF9g&<>\t\n\r\x00\x1f\ufffe\uffff\u00e9\u2028"), max_size=12)
       | st.text(max_size=20))
def test_the_quick_check_finds_what_the_escaping_regex_finds(text):
    # The row writer's fast scans must never clear a text the regex would escape
    assert needs_escaping(text) == (_NEEDS_ESCAPING.search(text) is not None)


def test_texts_that_need_escaping_are_found():
    for text in ("R&D", "a<b", "x>y", "_x000D_", "line\nbreak", "bell\x07", "\ufffe"):
        assert needs_escaping(text) == (_NEEDS_ESCAPING.search(text) is not None)
    assert needs_escaping("_x000D_") and needs_escaping("R&D") and needs_escaping("bell\x07")
    assert not needs_escaping("Finance app; cross_department") and not needs_escaping("tab\tonly")


def test_escaping_is_decided_per_row_but_applied_per_cell(tmp_path):
    # "_x00" + "41_" run together look like an escape; each cell alone is plain text
    rows = [("a_x00", "41_b", "plain"), ("plain", "x < y & z", "_x0041_"), ("ok", "\r", "")]
    book = new_workbook()
    fast = SheetWriter(book, "Fast", [("a", 10), ("b", 10), ("c", 10)])
    slow = book.add_sheet("Slow")
    for number, row in enumerate(rows, start=1):
        fast.append(row)
        write_row(book, slow, number, row)
    save_workbook(book, tmp_path / "r.xlsx")
    assert _cells(tmp_path / "r.xlsx", 1)[-8:] == _cells(tmp_path / "r.xlsx", 2)
    calamine = CalamineWorkbook.from_path(str(tmp_path / "r.xlsx")).get_sheet_by_name("Fast").to_python()
    assert [tuple(r) for r in calamine[1:]] == rows


def test_styled_values_and_blanks_keep_their_style(tmp_path):
    book = new_workbook()
    percent, bold = book.style({"num_format": "0.0%"}), book.style({"bold": True})
    values = [Styled(0.125, percent), Styled("title", bold), Styled("", bold), Styled(None, bold),
              Styled(date(2026, 5, 1), percent)]
    fast = SheetWriter(book, "Fast", [("value", 20)])
    slow = book.add_sheet("Slow")
    for row, value in enumerate(values, start=1):
        fast.append((value,))
        write_row(book, slow, row, (value,))
    path = save_workbook(book, tmp_path / "s.xlsx")
    assert _cells(path, 1) == _cells(path, 2)
    cells = [row[0] for row in openpyxl.load_workbook(path)["Fast"].iter_rows(min_row=2)]
    assert cells[0].value == 0.125 and cells[0].number_format == "0.0%"
    assert cells[1].value == "title" and cells[1].font.bold and cells[2].font.bold
