"""Files written by other tools, or made to hurt: each is read, or refused in one sentence.

Every fixture is built here in code: compound files with looping chains, legacy BIFF,
zips in unusual but valid layouts, encrypted packages, wide-character CSVs.
"""

from __future__ import annotations

import struct
import threading
import time
import zipfile
from datetime import datetime

import pytest

from fusiondesk.sheets import reader
from fusiondesk.sheets.headers import fill_merged_cells
from fusiondesk.sheets.reader import ReadCancelled, ReadLimits, read_table, read_tables
from fusiondesk.sheets.sandbox import Budget, ParseFailed, ParserProcess, Source

from sheet_files import (
    biff_record,
    build_cfb,
    refusal,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)

HOSTILE = ("{} was not opened because its internal structure is damaged or hostile; open it "
           "in Excel, save it again as .xlsx and retry, or ask for a fresh export.")
ROWS = [["Name", "Users"], ["Budget tracker", 120], ["Leave planner", 8]]
READ = [(2, ("Budget tracker", 120.0)), (3, ("Leave planner", 8.0))]




# --- OLE2 compound files -------------------------------------------------------------

def test_sound_xls_is_read(tmp_path):
    assert read_table(write_xls(tmp_path / "old.xls", ROWS)).rows == READ


def test_tiny_xls_with_its_workbook_in_the_mini_stream_is_read(tmp_path):
    assert read_table(write_xls(tmp_path / "tiny.xls", ROWS, mini=True)).rows == READ


def test_tiny_xor_protected_xls_is_found_through_the_mini_stream(tmp_path, no_parsing):
    path = write_xls(tmp_path / "tiny.xls", ROWS, filepass=True, mini=True)

    assert "tiny.xls is password-protected or encrypted" in refusal(path)


def test_looping_mini_stream_chain_is_refused(tmp_path, no_parsing):
    def loop(fat, layout):
        fat[layout["mini stream"][-1]] = layout["mini stream"][0]

    path = write_xls(tmp_path / "mini.xls", [["Name"], ["x" * 2000]], mini=True, tamper=loop)

    assert refusal(path) == HOSTILE.format("mini.xls")


def test_looping_fat_chain_is_refused_before_the_parser(tmp_path, no_parsing):
    def loop(fat, layout):
        sectors = layout["Workbook"]
        fat[sectors[-1]] = sectors[0]  # the stream's last sector points back to its first

    path = write_xls(tmp_path / "loop.xls", ROWS, tamper=loop)

    assert refusal(path) == HOSTILE.format("loop.xls")


def test_looping_directory_chain_is_refused(tmp_path, no_parsing):
    def loop(fat, layout):
        fat[layout["directory"][-1]] = layout["directory"][0]

    assert refusal(write_xls(tmp_path / "dir.xls", ROWS, tamper=loop)) == HOSTILE.format(
        "dir.xls")


def test_chain_pointing_outside_the_file_is_refused(tmp_path, no_parsing):
    def astray(fat, layout):
        fat[layout["Workbook"][2]] = 0x00FFFFFF

    assert refusal(write_xls(tmp_path / "astray.xls", ROWS, tamper=astray)) == HOSTILE.format(
        "astray.xls")


def test_looping_difat_chain_is_refused(tmp_path, no_parsing):
    path = tmp_path / "difat.xls"
    data = bytearray(build_cfb({"Workbook": bytes(200_000)}))  # about 400 sectors
    loop_at = 300
    # Claim 300 FAT sectors: 109 in the header, the rest in a DIFAT sector that names itself.
    struct.pack_into("<I", data, 44, 300)
    struct.pack_into("<II", data, 68, loop_at, 1)
    sector = 512 * (loop_at + 1)
    data[sector:sector + 512] = struct.pack("<128I", *([1] * 127 + [loop_at]))
    path.write_bytes(bytes(data))

    assert refusal(path) == HOSTILE.format("difat.xls")


def test_stream_claiming_more_bytes_than_its_chain_holds_is_refused(tmp_path, no_parsing):
    path = write_xls(tmp_path / "claims.xls", ROWS)
    data = bytearray(path.read_bytes())
    entry = data.find("Workbook".encode("utf-16-le"))
    struct.pack_into("<I", data, entry + 120, 0xFFFFFF00)  # a 4 GB stream in a 5 KB file
    path.write_bytes(bytes(data))

    assert refusal(path) == HOSTILE.format("claims.xls")


def test_xor_protected_xls_is_called_password_protected(tmp_path, no_parsing):
    path = write_xls(tmp_path / "locked.xls", ROWS, filepass=True)

    assert refusal(path) == ("locked.xls is password-protected or encrypted; remove the "
                             "password in Excel and try again.")


def test_encrypted_xlsx_is_found_by_its_streams(tmp_path, no_parsing):
    path = tmp_path / "agile.xlsx"
    path.write_bytes(build_cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00",
                                "EncryptedPackage": bytes(8000)}))

    assert "agile.xlsx is password-protected or encrypted" in refusal(path)


def test_word_97_document_named_xls(tmp_path, no_parsing):
    path = tmp_path / "memo.xls"
    path.write_bytes(build_cfb({"WordDocument": bytes(5000)}))

    assert refusal(path) == ("memo.xls is not a spreadsheet (it is a Word 97-2003 document); "
                             "choose the Excel or CSV file that holds the inventory.")


@pytest.mark.parametrize("bof, kind, words", [
    (0x0409, 0x0010, "an Excel 4.0 worksheet"),
    (0x0409, 0x0100, "an Excel 4.0 workbook"),
    (0x0209, 0x0010, "an Excel 3.0 worksheet"),
    (0x0009, 0x0010, "an Excel 2.x worksheet"),
])
def test_biff2_to_4_files_are_named_by_excel_version(tmp_path, no_parsing, bof, kind, words):
    path = tmp_path / "ancient.xls"
    length = 4 if bof == 0x0009 else 6
    body = struct.pack("<HH", 0x0000, kind) + bytes(length - 4)
    path.write_bytes(struct.pack("<HH", bof, length) + body + biff_record(0x000A) + bytes(64))

    assert refusal(path) == (f"ancient.xls is {words}, a format from before Excel 5 that "
                             "FusionDesk cannot read; open it in Excel or LibreOffice, save "
                             "it as .xlsx and try again.")


# --- what the parser builds: bounded by the child process ----------------------------

def _far_cell_xlsx(path):
    write_xlsx(path, {"Apps": [["Name", "Users"], ["A", 1]]})
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_sheet_that_makes_the_parser_build_a_huge_grid_is_stopped(tmp_path):
    # One far cell: calamine would allocate 17 billion cells and abort the process.
    path = _far_cell_xlsx(tmp_path / "far.xlsx")

    assert refusal(path, limits=ReadLimits(parse_memory_bytes=1024 ** 3)) == HOSTILE.format(
        "far.xlsx")
    assert read_table(write_xlsx(tmp_path / "after.xlsx", {"Apps": ROWS})).rows == READ


def test_parse_past_its_deadline_is_stopped(tmp_path):
    path = write_xlsx(tmp_path / "slow.xlsx", {"Apps": ROWS})

    assert refusal(path, limits=ReadLimits(parse_seconds=0.0)) == HOSTILE.format("slow.xlsx")


# --- merged ranges -------------------------------------------------------------------

def test_merges_reaching_past_the_grid_do_not_crash(tmp_path):
    path = write_xlsx(tmp_path / "merged.xlsx", {"Apps": [
        ["Name", "Department", "Users"],
        ["Budget tracker", "Finance", 12],
        ["Leave planner", None, 3],
    ]}, merges={"Apps": ["B2:B9", "E2:H3", "C3:Z40"]})

    table = read_table(path)

    assert table.rows == [(2, ("Budget tracker", "Finance", 12.0)),
                          (3, ("Leave planner", "Finance", 3.0))]


def test_fill_merged_cells_skips_a_range_that_starts_past_a_short_row():
    rows = [["Name", "Team"], ["A", "x"], ["B"], ["C", ""]]

    fill_merged_cells(rows, [((2, 1), (3, 5)), ((1, 1), (3, 1)), ((9, 0), (9, 0))], below=0)

    assert rows == [["Name", "Team"], ["A", "x"], ["B"], ["C", "x"]]


# --- zip packages in valid but unusual layouts ----------------------------------------

def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_parts(path, parts: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_zip_with_backslash_separators_is_read(tmp_path):
    parts = _parts(write_xlsx(tmp_path / "source.xlsx", {"Apps": ROWS}))
    path = _write_parts(tmp_path / "windows.xlsx",
                        {name.replace("/", "\\"): data for name, data in parts.items()})

    assert read_table(path).rows == READ


def test_workbook_found_through_the_package_relationships(tmp_path):
    source = write_xlsx(tmp_path / "source.xlsx", {"Apps": ROWS + [[datetime(2024, 1, 1)]]},
                        epoch=datetime(1904, 1, 1))
    moved = {}
    for name, data in _parts(source).items():
        name = {"xl/workbook.xml": "book/main.xml",
                "xl/_rels/workbook.xml.rels": "book/_rels/main.xml.rels"}.get(name, name)
        moved[name.replace("xl/", "book/", 1) if name.startswith("xl/") else name] = (
            data.replace(b"/xl/", b"/book/").replace(b"xl/workbook.xml", b"book/main.xml")
            .replace(b"/book/workbook.xml", b"/book/main.xml"))
    path = _write_parts(tmp_path / "generated.xlsx", moved)
    assert not any(name.startswith("xl/") for name in _parts(path))

    table = read_table(path)

    assert table.rows[:2] == READ and table.date1904


def test_ods_without_mimetype_is_read(tmp_path):
    parts = _parts(write_ods(tmp_path / "source.ods", {"Apps": ROWS}))
    del parts["mimetype"]

    assert read_table(_write_parts(tmp_path / "bare.ods", parts)).rows == READ


def test_encrypted_ods_is_called_password_protected(tmp_path, no_parsing):
    parts = _parts(write_ods(tmp_path / "source.ods", {"Apps": ROWS}))
    parts["META-INF/manifest.xml"] = parts["META-INF/manifest.xml"].replace(
        b'manifest:media-type="text/xml"/>',
        b'manifest:media-type="text/xml" manifest:size="900"><manifest:encryption-data '
        b'manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"><manifest:algorithm '
        b'manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        b'</manifest:encryption-data></manifest:file-entry>')
    parts["content.xml"] = bytes(range(256)) * 4  # what an encrypted part looks like
    path = _write_parts(tmp_path / "locked.ods", parts)

    assert refusal(path) == ("locked.ods is password-protected or encrypted; remove the "
                             "password in LibreOffice and try again.")


def test_large_honest_xlsx_that_compresses_very_well_is_read(tmp_path):
    path = write_xlsx(tmp_path / "big.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    parts = _parts(path)
    note = ("Reviewed by the CoE board. " * 150).strip()  # a long note, the same on each row
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{note}</t></is></c>'
                   f'<c r="B{n}"><v>7</v></c></row>' for n in range(2, 5_002))
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start, end = sheet.index("<sheetData>"), sheet.index("</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = (
        sheet[:start] + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is>'
        '</c><c r="B1" t="inlineStr"><is><t>Users</t></is></c></row>' + rows + sheet[end:]
    ).encode()
    _write_parts(path, parts)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 15 * 1024 * 1024 and info.file_size / info.compress_size > 100

    table = read_table(path)

    assert len(table.rows) == 5_000 and table.rows[-1] == (5_001, (note, 7.0))


# --- wide-character text -------------------------------------------------------------

@pytest.mark.parametrize("encoding, bom", [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""), ("utf-16-be", b""),
    ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
])
def test_utf16_and_utf32_csv_with_or_without_bom(tmp_path, encoding, bom):
    text = "Name,Users,Owner\nBudget tracker,120,Zoë Müller\nLeave planner,8,Łukasz\n"
    path = tmp_path / "unicode.csv"
    path.write_bytes(bom + text.encode(encoding))

    table = read_table(path)

    assert table.headers == ["Name", "Users", "Owner"]
    assert table.rows == [(2, ("Budget tracker", "120", "Zoë Müller")),
                          (3, ("Leave planner", "8", "Łukasz"))]


def test_utf16_csv_cut_short_is_refused_by_name(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes(b"\xff\xfe" + "Name,Users\nA,1\n".encode("utf-16-le")[:-1])

    assert refusal(path) == ("cut.csv looks like UTF-16 text but its bytes do not decode as "
                             "such (it may be cut short); save it again as CSV UTF-8 and try "
                             "again.")


def test_plain_csv_still_reads_as_before(tmp_path):
    path = write_csv(tmp_path / "plain.csv", ROWS, encoding="cp1252")

    assert read_tables(path)[0].rows == [(2, ("Budget tracker", "120")), (3, ("Leave planner", "8"))]


# --- the parser process: deadline and cancel -----------------------------------------

@pytest.fixture
def stuck_source(tmp_path):
    """A named pipe nobody writes to: a parser opening it waits for ever."""
    import os
    fifo = tmp_path / "stuck.xlsx"
    os.mkfifo(fifo)
    return Source(str(fifo))


def test_a_parser_that_never_answers_is_killed_at_its_deadline(stuck_source):
    started = time.monotonic()

    with pytest.raises(ParseFailed) as caught:
        ParserProcess(stuck_source, Budget(1024 ** 3, 0.5))

    assert caught.value.kind == "hostile" and time.monotonic() - started < 5


def test_cancel_stops_a_parse_under_way(stuck_source):
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()

    with pytest.raises(ParseFailed) as caught:
        ParserProcess(stuck_source, Budget(1024 ** 3, 60), cancel)

    assert caught.value.kind == "cancelled" and time.monotonic() - started < 5


def test_cancelled_workbook_reads_nothing_more(tmp_path):
    cancel = threading.Event()
    with reader.open_workbook(write_xlsx(tmp_path / "apps.xlsx", {"Apps": ROWS}),
                              cancel=cancel) as workbook:
        cancel.set()
        with pytest.raises(ReadCancelled, match="^Reading apps.xlsx was cancelled; nothing "
                                                "was imported.$"):
            workbook.read_tables()
