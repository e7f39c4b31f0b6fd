"""Fixture files for the sheets tests, generated in tmp_path with openpyxl and csv."""

from __future__ import annotations

import csv
import struct
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


# --- legacy binary files: OLE2 compound files and BIFF records --------------------------

CFB_END, CFB_FREE, CFB_FAT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
_SECTOR = 512


def build_cfb(streams: dict[str, bytes], tamper: Callable[[list, dict], None] | None = None,
              mini: bool = False) -> bytes:
    """A version-3 compound file holding the streams.

    Streams are padded past the 4096-byte mini cutoff unless `mini`, when the small
    ones go to the mini stream as Excel writes them. `tamper(fat, layout)` may change
    the FAT before it is written; layout maps "directory", "mini stream" and each
    regular stream's name to its sectors, so a test can make a chain loop.
    """
    if not mini:
        streams = {name: data.ljust(4096, b"\0") for name, data in streams.items()}
    small = {name: data for name, data in streams.items() if len(data) < 4096}
    mini_stream, mini_fat, mini_start = b"", [], {}
    for name, data in small.items():
        mini_start[name] = len(mini_fat)
        mini_stream += data.ljust(-(-len(data) // 64) * 64, b"\0")
        count = -(-len(data) // 64)
        mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [CFB_END]
    big = {name: data for name, data in streams.items() if name not in small}
    chains = {"directory": -(-(1 + len(streams)) // 4),
              "mini FAT": -(-len(mini_fat) * 4 // _SECTOR),
              "mini stream": -(-len(mini_stream) // _SECTOR)}
    chains.update({name: -(-len(data) // _SECTOR) for name, data in big.items()})
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + sum(chains.values()):
        fat_sectors += 1
    fat = [CFB_FAT] * fat_sectors
    layout = {what: _claim(fat, count) for what, count in chains.items() if count}
    if tamper:
        tamper(fat, layout)
    fat += [CFB_FREE] * (fat_sectors * 128 - len(fat))
    header = bytearray(_SECTOR)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, fat_sectors, layout["directory"][0], 0, 4096,
                     layout.get("mini FAT", [CFB_END])[0], chains["mini FAT"], CFB_END, 0)
    difat = list(range(fat_sectors)) + [CFB_FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    directory = _dir_entry("Root Entry", 5, layout.get("mini stream", [CFB_END])[0],
                           len(mini_stream), child=1 if streams else CFB_FREE)
    for number, (name, data) in enumerate(streams.items(), start=1):
        right = number + 1 if number < len(streams) else CFB_FREE
        start = mini_start[name] if name in small else layout[name][0]
        directory += _dir_entry(name, 2, start, len(data), right=right)
    contents = {"directory": directory, "mini FAT": struct.pack(f"<{len(mini_fat)}I", *mini_fat),
                "mini stream": mini_stream, **big}
    body = struct.pack(f"<{len(fat)}I", *fat)
    for what, count in chains.items():
        body += contents[what].ljust(count * _SECTOR, b"\0" if what != "mini FAT" else b"\xff")
    return bytes(header) + body


def _claim(fat: list, count: int) -> list[int]:
    """Allocate `count` sectors as one chain at the end of the FAT."""
    first = len(fat)
    sectors = list(range(first, first + count))
    fat.extend(sectors[1:] + [CFB_END])
    return sectors


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = CFB_FREE,
               right: int = CFB_FREE) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    entry = bytearray(128)
    entry[:len(encoded)] = encoded
    struct.pack_into("<HBB", entry, 64, len(encoded), kind, 1)
    struct.pack_into("<III", entry, 68, CFB_FREE, right, child)
    struct.pack_into("<IQ", entry, 116, start, size)
    return bytes(entry)


def biff_record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF record: type, length, data."""
    return struct.pack("<HH", kind, len(data)) + data


def _biff8_cell(row: int, column: int, value: object) -> bytes:
    if isinstance(value, (int, float)):
        return biff_record(0x0203, struct.pack("<HHHd", row, column, 0, float(value)))
    text = str(value).encode("utf-16-le")
    return biff_record(0x0204, struct.pack("<HHHHB", row, column, 0, len(text) // 2, 1) + text)


def biff8_workbook_stream(rows: Sequence[Sequence[object]], sheet: str = "Apps",
                          filepass: bool = False) -> bytes:
    """The "Workbook" stream of an Excel 97-2003 file with one sheet (FILEPASS: XOR-locked)."""
    bof_globals = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC,
                                                  0, 0x0206))
    name = sheet.encode("latin-1")
    head = bof_globals + (biff_record(0x002F, struct.pack("<HHH", 0, 0x1234, 0x5678))
                          if filepass else b"") + biff_record(0x0042, struct.pack("<H", 1200))
    sheet_entry_length = 4 + 6 + 2 + len(name)
    sheet_at = len(head) + sheet_entry_length + 4
    globals_part = head + biff_record(0x0085, struct.pack("<IHBB", sheet_at, 0, len(name), 0)
                                      + name) + biff_record(0x000A)
    width = max((len(row) for row in rows), default=0)
    cells = b"".join(_biff8_cell(r, c, value) for r, row in enumerate(rows)
                     for c, value in enumerate(row) if value is not None)
    sheet_part = (biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC,
                                                  0, 0x0206))
                  + biff_record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
                  + cells + biff_record(0x000A))
    return globals_part + sheet_part


def write_xls(path: Path, rows: Sequence[Sequence[object]], filepass: bool = False,
              tamper: Callable[[list, dict], None] | None = None, mini: bool = False) -> Path:
    """A minimal Excel 97-2003 workbook, as old exporters write it (`mini`: a tiny one)."""
    path.write_bytes(build_cfb({"Workbook": biff8_workbook_stream(rows, filepass=filepass),
                                "\x05SummaryInformation": bytes(200)}, tamper, mini))
    return path


def refusal(path, **kwargs) -> str:
    """The one sentence a file is refused with."""
    from fusiondesk.sheets.problems import SheetError
    from fusiondesk.sheets.reader import read_table

    with pytest.raises(SheetError) as caught:
        read_table(path, **kwargs)
    return str(caught.value)
