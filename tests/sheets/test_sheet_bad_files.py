"""Files that must be refused with one clear sentence, before any parser runs."""

from __future__ import annotations

import os
import random
import struct
import zipfile

import pytest

from fusiondesk.sheets.problems import SheetError
from fusiondesk.sheets.reader import ReadLimits, open_workbook, read_table

from sheet_files import build_cfb, refusal, rewrite_zip_part, write_xlsx

HOSTILE = ("{} was not opened because its internal structure is damaged or hostile; open it "
           "in Excel, save it again as .xlsx and retry, or ask for a fresh export.")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"




def test_png_renamed_to_xlsx(tmp_path, no_parsing):
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(PNG)

    assert refusal(path) == ("inventory.xlsx is not a spreadsheet (it is a PNG image); choose "
                             "the Excel or CSV file that holds the inventory.")


def test_random_bytes_named_xlsx(tmp_path, no_parsing):
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(random.Random(1).randbytes(4096).replace(b"PK", b"pk"))

    assert refusal(path) == (
        "inventory.xlsx is not a spreadsheet (its contents are not Excel, OpenDocument or "
        "text); choose the Excel or CSV file that holds the inventory.")


def test_random_bytes_named_csv(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(random.Random(2).randbytes(4096))

    assert refusal(path) == ("inventory.csv is not a text or CSV file; choose the Excel or "
                             "CSV file that holds the inventory.")


def test_png_renamed_to_csv(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(PNG)

    assert "is not a text or CSV file (it is a PNG image)" in refusal(path)


def test_encrypted_xlsx_is_an_ole_container(tmp_path, no_parsing):
    path = tmp_path / "secret.xlsx"
    path.write_bytes(build_cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(200),
                                "EncryptedPackage": random.Random(3).randbytes(6000)}))

    assert refusal(path) == ("secret.xlsx is password-protected or encrypted; remove the "
                             "password in Excel and try again.")


def test_ole_signature_followed_by_noise_is_damaged_not_called_encrypted(tmp_path, no_parsing):
    path = tmp_path / "secret.xlsm"
    path.write_bytes(OLE + random.Random(3).randbytes(2048))

    assert refusal(path) == HOSTILE.format("secret.xlsm")


def test_zip_with_encrypted_members(tmp_path, no_parsing):
    path = tmp_path / "locked.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + flag_offset] |= 0x1  # the "encrypted" bit of the general purpose flags
    path.write_bytes(bytes(data))

    assert "is password-protected or encrypted" in refusal(path)


def test_empty_file(tmp_path, no_parsing):
    path = tmp_path / "apps.xlsx"
    path.write_bytes(b"")

    assert refusal(path) == ("apps.xlsx is empty; export the inventory again and choose the "
                             "new file.")


def test_empty_csv(tmp_path):
    path = tmp_path / "apps.csv"
    path.write_text("\n\n  \n", encoding="utf-8")

    assert refusal(path) == "apps.csv has no data; check that you chose the right file."


def test_workbook_with_only_empty_sheets(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [], "People": []})

    assert refusal(path) == "apps.xlsx has no data; check that you chose the right file."
    with pytest.raises(SheetError, match="^The sheet “People” in apps.xlsx has no data; "
                                         "check that you chose the right sheet.$"):
        read_table(path, sheet="People")


def test_workbook_with_no_sheets(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [["Name", "Users"]]})
    rewrite_zip_part(path, "xl/workbook.xml", lambda xml: xml.replace(
        xml[xml.index("<sheets>"):xml.index("</sheets>") + len("</sheets>")], "<sheets/>"))

    with pytest.raises(SheetError, match=r"^apps.xlsx has no sheets; open it in Excel"):
        open_workbook(path)


def test_no_header_like_row(tmp_path):
    path = write_xlsx(tmp_path / "numbers.xlsx", {"Data": [
        [1, 2, 3], [4, 5, 6], ["total", 9, 9]]})

    assert refusal(path) == (
        "No header row was found in the first 30 rows of “Data” in numbers.xlsx; make sure "
        "one row holds column names such as App Name, Owner and Users.")


def test_single_column_of_text_has_no_header(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Read me\nFill in one app per row\n", encoding="utf-8")

    assert refusal(path).startswith("No header row was found in the first 30 rows of “notes”")


def test_file_over_the_size_limit(tmp_path, no_parsing):
    path = tmp_path / "big.csv"
    path.write_text("Name,Users\n" + "A,1\n" * 100, encoding="utf-8")

    message = refusal(path, limits=ReadLimits(max_file_bytes=100))

    assert message == ("big.csv is too large (411 bytes, the limit is 100 bytes); split it "
                       "into smaller files or raise the import size limit.")


def _zip_bomb(path, part_bytes: int):
    write_xlsx(path, {"Apps": [["Name", "Users"], ["A", 1]]})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.xml", b"<a>" + b" " * part_bytes + b"</a>")
    return path


def test_zip_bomb_is_judged_by_what_it_expands_to(tmp_path, no_parsing):
    path = _zip_bomb(tmp_path / "bomb.xlsx", 20 * 1024 * 1024)  # expands about 1,000 times

    message = refusal(path, limits=ReadLimits(max_uncompressed_bytes=16 * 1024 * 1024))

    assert message == ("bomb.xlsx would expand to 20 MB when opened, over the 16 MB "
                       "limit; split it into smaller files or raise the limit.")


def test_part_that_compresses_a_thousand_times_is_no_bomb_within_the_size_limit(tmp_path):
    path = _zip_bomb(tmp_path / "padded.xlsx", 20 * 1024 * 1024)

    assert read_table(path).rows == [(2, ("A", 1.0))]


def test_part_claiming_more_than_deflate_can_expand_is_refused(tmp_path, no_parsing):
    path = write_xlsx(tmp_path / "liar.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    _understate_size(path, "xl/worksheets/sheet1.xml", 0)  # keeps the sizes consistent...
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, 900 * 1024 * 1024)  # ...then claims 900 MB
    path.write_bytes(bytes(data))

    assert refusal(path) == HOSTILE.format("liar.xlsx")


def test_zip_bomb_by_declared_size_is_refused_from_the_directory(tmp_path, no_parsing):
    path = write_xlsx(tmp_path / "huge.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")  # the first central directory entry
    struct.pack_into("<I", data, at + 24, 0xFFFFFFF0)  # uncompressed size: almost 4 GB
    path.write_bytes(bytes(data))

    assert refusal(path) == ("huge.xlsx would expand to 4,096 MB when opened, over the 1,024 "
                             "MB limit; split it into smaller files or raise the limit.")


def _understate_size(path, part: str, size: int) -> None:
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, name_length_at, size_at, name_at in ((b"PK\x03\x04", 26, 22, 30),
                                                        (b"PK\x01\x02", 28, 24, 46)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + name_length_at)[0]
            if data[at + name_at:at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, size)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("declared, message", [
    # Small enough for the safety check's own read to reach the end and see the lie...
    (5000, "liar.xlsx is damaged or not a real workbook; open it in Excel, save it again "
           "and retry."),
    # ...or larger, and calamine's zip reader stops at the declared size.
    (200_000, "liar.xlsx could not be read as an Excel workbook, it may be damaged; open it "
              "in Excel, save it again and retry."),
])
def test_zip_that_understates_its_sizes_is_refused(tmp_path, declared, message):
    path = write_xlsx(tmp_path / "liar.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    rewrite_zip_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "<sheetData>", "<sheetData><!--" + "x" * 20_000_000 + "-->"))
    _understate_size(path, "xl/worksheets/sheet1.xml", declared)

    assert refusal(path) == message


def test_uncompressed_limit_is_configurable(tmp_path):
    path = write_xlsx(tmp_path / "apps.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})

    message = refusal(path, limits=ReadLimits(max_uncompressed_bytes=1000))

    assert "over the 1,000 bytes limit" in message


def test_xml_entity_declarations_are_refused(tmp_path, no_parsing):
    path = write_xlsx(tmp_path / "laughs.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    rewrite_zip_part(path, "xl/worksheets/sheet1.xml", lambda xml: (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' + xml.replace(">A<", ">&lol2;<")))

    assert refusal(path) == (
        "laughs.xlsx contains XML declarations (a DTD or entities) that workbooks never need, "
        "so it was not opened; save it again in Excel or export it again.")


def test_external_entity_in_content_types_is_refused(tmp_path, no_parsing):
    path = write_xlsx(tmp_path / "xxe.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    rewrite_zip_part(path, "[Content_Types].xml", lambda xml: (
        '<!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + xml))

    assert "contains XML declarations (a DTD or entities)" in refusal(path)


def test_doctype_hidden_after_a_long_comment_is_refused(tmp_path, no_parsing):
    path = write_xlsx(tmp_path / "sneaky.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    rewrite_zip_part(path, "xl/workbook.xml", lambda xml: (
        "<!--" + "x" * 100_000 + "--><!DOCTYPE workbook [<!ENTITY a 'b'>]>" + xml))

    assert "contains XML declarations (a DTD or entities)" in refusal(path)


def test_truncated_xlsx_is_damaged(tmp_path):
    path = write_xlsx(tmp_path / "cut.xlsx", {"Apps": [["Name", "Users"], ["A", 1]]})
    path.write_bytes(path.read_bytes()[:200])

    assert refusal(path) == ("cut.xlsx is damaged or not a real workbook; open it in Excel, "
                             "save it again and retry.")


def test_word_document_renamed_to_xlsx(tmp_path, no_parsing):
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")

    assert refusal(path) == ("notes.xlsx is not a spreadsheet (it is a Word document); choose "
                             "the Excel or CSV file that holds the inventory.")


def test_web_page_saved_as_xls(tmp_path, no_parsing):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>Name</td></tr></table></body></html>")

    assert refusal(path) == ("export.xls is a web page or XML file saved with a spreadsheet "
                             "name; open it in Excel and save it as .xlsx.")


def test_unsupported_file_type(tmp_path, no_parsing):
    path = tmp_path / "inventory.docx"
    path.write_bytes(b"anything")

    assert refusal(path) == ("inventory.docx is not a spreadsheet FusionDesk can read; save it "
                             "as .xlsx or .csv and try again.")


def test_missing_file(tmp_path):
    assert refusal(tmp_path / "gone.xlsx") == (
        "gone.xlsx was not found or cannot be opened; check that the file still exists and "
        "choose it again.")


def test_ole_xls_with_a_noise_header_is_refused_before_the_parser(tmp_path, no_parsing):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE + random.Random(4).randbytes(4096))

    assert refusal(path) == HOSTILE.format("old.xls")


def test_sound_ole_xls_whose_records_calamine_cannot_read_is_reported_not_raised(tmp_path):
    path = tmp_path / "old.xls"
    workbook = b"\x09\x08\x10\x00" + bytes(16) + random.Random(4).randbytes(4096)
    path.write_bytes(build_cfb({"Workbook": workbook}))

    assert refusal(path) == ("old.xls could not be read as an Excel 97-2003 workbook, it may "
                             "be damaged; open it in Excel, save it again and retry.")


def test_refused_files_are_left_as_they_were(tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    path = folder / "inventory.xlsx"
    path.write_bytes(PNG)
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)

    refusal(path)

    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
    assert sorted(p.name for p in folder.iterdir()) == ["inventory.xlsx"]

