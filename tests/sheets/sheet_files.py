"""Fixture files for the sheets tests, generated in tmp_path with openpyxl and csv."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pytest
from openpyxl import Workbook


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]],
               merges: dict[str, Iterable[str]] | None = None,
               epoch=None, hidden: Iterable[str] = ()) -> Path:
    """An .xlsx with the given rows per sheet (None = empty cell), merges and date system."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if epoch is not None:
        workbook.epoch = epoch
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
        for cell_range in (merges or {}).get(title, ()):
            sheet.merge_cells(cell_range)
        if title in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    """A delimited text file in the given encoding ("utf-8-sig" writes a BOM)."""
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path


def rewrite_zip_part(path: Path, part: str, change: Callable[[str], str]) -> Path:
    """Rewrite one XML part of a zip-based workbook in place."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


@pytest.fixture
def apps_rows() -> list[list[object]]:
    """A small, clean Apps sheet in canonical headers."""
    return [
        ["name", "users", "lifecycle", "primary_owner"],
        ["Budget tracker", 120, "production", "ann@example.com"],
        ["Leave planner", 8, "pilot", "bob@example.com"],
    ]


_ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>
</office:document-content>"""
_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if hasattr(value, "isoformat"):
        return (f'<table:table-cell office:value-type="date" '
                f'office:date-value="{value.isoformat()}"><text:p>{value}</text:p>'
                "</table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{value}</text:p>'
            "</table:table-cell>")


def write_ods(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it."""
    tables = "".join(
        f'<table:table table:name="{title}">'
        + "".join("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>"
                  for row in rows)
        + "</table:table>"
        for title, rows in sheets.items())
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", _ODS_CONTENT.format(tables=tables),
                         zipfile.ZIP_DEFLATED)
    return path
