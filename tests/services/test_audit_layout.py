"""The audit workbook as an auditor sees it: charts clear of each other and the tables,
print settings on every sheet, named fonts, numbers as numbers, no forced recalculation."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime

import openpyxl
import pytest

from fusiondesk.services.audit.workbook import SHEETS, apps_columns, export_audit
from fusiondesk.sheets.writer import READABLE_PAGE_WIDTH, pages_wide

TABLE_COLUMNS = 3  # the Summary's figures, values and notes: A to C


def _export(portfolio, tmp_path):
    with portfolio.reading() as session:
        return export_audit(session, tmp_path / "audit.xlsx", datetime(2026, 11, 1), "a", "p").path


def _chart_rows(path) -> list[tuple[int, int, int]]:
    """(first column, first row, last row) of every chart, from the drawing's anchors."""
    with zipfile.ZipFile(path) as package:
        drawings = [n for n in package.namelist() if re.match(r"xl/drawings/drawing\d+\.xml$", n)]
        xml = "".join(package.read(n).decode() for n in drawings)
    spans = []
    for anchor in re.findall(r"<xdr:twoCellAnchor[^>]*>(.*?)</xdr:twoCellAnchor>", xml, re.S):
        column, row = (int(n) for n in re.search(
            r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", anchor).groups())
        to_row, offset = (int(n) for n in re.search(
            r"<xdr:to>.*?<xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)<", anchor).groups())
        spans.append((column, row, to_row + (offset > 0)))  # the row it ends in, if it enters it
    return spans


def test_no_chart_covers_another_or_a_table(sample_portfolio, tmp_path):
    spans = sorted(_chart_rows(_export(sample_portfolio, tmp_path)), key=lambda s: s[1])
    assert len(spans) == 5
    assert all(column >= TABLE_COLUMNS for column, _first, _last in spans)
    for (_c, _first, last), (_c2, next_first, _l2) in zip(spans, spans[1:]):
        assert last <= next_first, spans


def test_every_sheet_prints_landscape_readable_with_its_header_on_each_page(sample_portfolio, tmp_path):
    book = openpyxl.load_workbook(_export(sample_portfolio, tmp_path))
    for name in SHEETS:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToHeight == 0, name  # as many pages down as the rows need
        if name != "Summary":
            assert sheet.print_title_rows.replace("$", "") == "1:1", name
    apps = book["Apps"]
    assert apps.print_title_cols.replace("$", "") == "A:B"  # the app's id and name on every page
    # its 50-odd columns on one page printed at 15%: as many pages wide as stay readable
    assert apps.page_setup.fitToWidth == pages_wide(apps_columns(), "A:B") > 1
    # fitToWidth left out of the file means 1 (its default in ECMA-376), as XlsxWriter writes it
    assert (book["Summary"].page_setup.fitToWidth or 1) == 1


@pytest.mark.parametrize("widths, repeat", [
    ([20, 30, 40], None), ([100, 100], None), ([100, 101], None), ([38, 34] + [20] * 30, "A:B"),
    ([120, 90] + [30] * 12, "A:B"), ([10] * 80, None)])
def test_a_sheet_prints_as_few_pages_wide_as_keep_it_readable(widths, repeat):
    columns = [(f"c{n}", width) for n, width in enumerate(widths)]
    pages = pages_wide(columns, repeat)
    repeated = sum(widths[:2]) if repeat else 0
    room = max(READABLE_PAGE_WIDTH - repeated, READABLE_PAGE_WIDTH / 2)
    holds = lambda n: READABLE_PAGE_WIDTH + (n - 1) * room  # noqa: E731 - the first page, then the others
    assert sum(widths) <= holds(pages)  # every page readable
    assert pages == 1 or sum(widths) > holds(pages - 1)  # and no page more than that needs


def test_fonts_are_named_numbers_are_numbers_and_excel_is_not_asked_to_recalculate(sample_portfolio, tmp_path):
    path = _export(sample_portfolio, tmp_path)
    book = openpyxl.load_workbook(path)
    for name in SHEETS:
        header = book[name]["A1"]
        assert header.font.name and header.font.sz, name
    policy = {row[0]: row[1] for row in book["Policy"].iter_rows(min_row=2, values_only=True)}
    assert isinstance(policy["tier4.users"], int) and isinstance(policy["version"], int)
    with zipfile.ZipFile(path) as package:
        assert 'fullCalcOnLoad="1"' not in package.read("xl/workbook.xml").decode()
    apps = book["Apps"]
    assert apps.column_dimensions["A"].width >= 36  # a 36-character platform id is read whole
