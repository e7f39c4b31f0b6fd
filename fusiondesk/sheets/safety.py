"""Checks a file must pass before any parser sees it: type, size, zip bombs, XML tricks.

Everything here reads only the file's first bytes, the zip directory, the first bytes
of each XML part and the small xl/workbook.xml, so a hostile file is refused before it
can cost anything. Sizes come from the zip directory; a zip that understates them is
refused when a part is read past its declared size (by zipfile here, or by calamine's
zip reader, which stops at the declared size).
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, fromstring

from fusiondesk.sheets.problems import SheetError

MB = 1024 * 1024
XLSX, XLS, ODS, TEXT = "xlsx", "xls", "ods", "text"
WORKBOOK_SUFFIXES = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".ods": ODS}
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LOOKALIKES = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"MZ", "a Windows program"), (b"\x7fELF", "a program"),
)
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG_LIMIT = 1 * MB  # no honest XML part has a megabyte before its root element
_WORKBOOK_PART_LIMIT = 64 * MB


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How big a file may be before FusionDesk refuses it; every limit can be raised."""

    max_file_bytes: int = 256 * MB
    max_uncompressed_bytes: int = 1024 * MB  # total of a zip's parts, from its directory
    max_compression_ratio: float = 100.0  # real workbooks compress 5-20x
    ratio_checked_from_bytes: int = 1 * MB  # tiny parts may compress well and harmlessly
    max_zip_members: int = 10_000
    max_rows: int = 1_048_576  # Excel's own row limit


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """What the checks learnt: the real format, and the workbook's date system."""

    path: Path
    format: str
    date1904: bool = False


def check_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> CheckedFile:
    """The file's real format, or SheetError saying why it must not be opened."""
    name = path.name
    size = _size_of(path)
    suffix = path.suffix.casefold()
    if suffix not in WORKBOOK_SUFFIXES and suffix not in TEXT_SUFFIXES:
        raise SheetError(f"{name} is not a spreadsheet FusionDesk can read; save it as .xlsx "
                         "or .csv and try again.")
    if size == 0:
        raise SheetError(f"{name} is empty; export the inventory again and choose the new file.")
    if size > limits.max_file_bytes:
        raise SheetError(f"{name} is too large ({describe_size(size)}, the limit is "
                         f"{describe_size(limits.max_file_bytes)}); split it into smaller "
                         "files or raise the import size limit.")
    with path.open("rb") as file:
        head = file.read(8192)
    if head.startswith(_ZIP_MAGIC):
        return _check_zip(path, limits)
    if head.startswith(_OLE_MAGIC):
        return CheckedFile(path, _ole_format(path, suffix))
    if suffix in TEXT_SUFFIXES:
        _check_text(name, head)
        return CheckedFile(path, TEXT)
    raise SheetError(_not_a_spreadsheet(name, head))


def describe_size(size: int) -> str:
    """A byte count as people read it: "4,096 MB", "2.5 MB", "100 bytes"."""
    if size >= 10 * MB:
        return f"{size / MB:,.0f} MB"
    if size >= MB // 10:
        return f"{size / MB:.1f} MB"
    return f"{size:,} bytes"


def _size_of(path: Path) -> int:
    try:
        if not path.is_file():
            raise FileNotFoundError(path)
        return path.stat().st_size
    except OSError:
        raise SheetError(f"{path.name} was not found or cannot be opened; check that the file "
                         "still exists and choose it again.") from None


def _not_a_spreadsheet(name: str, head: bytes) -> str:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        return (f"{name} is a web page or XML file saved with a spreadsheet name; open it in "
                "Excel and save it as .xlsx.")
    looks = next((what for magic, what in _LOOKALIKES if head.startswith(magic)), None)
    if looks:
        return (f"{name} is not a spreadsheet (it is {looks}); choose the Excel or CSV file "
                "that holds the inventory.")
    return (f"{name} is not a spreadsheet (its contents are not Excel, OpenDocument or text); "
            "choose the Excel or CSV file that holds the inventory.")


def _encrypted(name: str) -> SheetError:
    return SheetError(f"{name} is password-protected or encrypted; remove the password in "
                      "Excel and try again.")


def _ole_format(path: Path, suffix: str) -> str:
    """Legacy .xls, or an encrypted workbook: Excel wraps encrypted .xlsx files in OLE."""
    if suffix == ".xls":
        return XLS
    data = path.read_bytes()
    if _ENCRYPTION_STREAM in data or not any(stream in data for stream in _WORKBOOK_STREAMS):
        raise _encrypted(path.name)
    return XLS  # an old .xls file renamed to .xlsx


def _check_text(name: str, head: bytes) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text, as Excel's "Unicode Text" saves it
    looks = next((what for magic, what in _LOOKALIKES if head.startswith(magic)), None)
    binary = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    if looks or b"\x00" in head or binary > len(head) // 100:
        raise SheetError(f"{name} is not a text or CSV file"
                         f"{f' (it is {looks})' if looks else ''}; choose the Excel or CSV "
                         "file that holds the inventory.")


# --- zip-based workbooks (xlsx, xlsm, ods) ------------------------------------------

def _check_zip(path: Path, limits: ReadLimits) -> CheckedFile:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(name, members, limits)
            fmt = _zip_format(name, archive)
            for member in members:
                if member.filename.casefold().endswith(_XML_PART_SUFFIXES):
                    _check_xml_prolog(name, archive, member)
            date1904 = _date1904(name, archive) if fmt == XLSX else False
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise _damaged(name) from None
    return CheckedFile(path, fmt, date1904)


def _damaged(name: str) -> SheetError:
    return SheetError(f"{name} is damaged or not a real workbook; open it in Excel, save it "
                      "again and retry.")


def _check_sizes(name: str, members: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    """Refuse zip bombs from the directory alone, before anything is decompressed."""
    if len(members) > limits.max_zip_members:
        raise SheetError(f"{name} holds {len(members)} parts, far more than any workbook; "
                         "it was not opened — export the inventory again.")
    if any(member.flag_bits & 0x1 for member in members):
        raise _encrypted(name)
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise SheetError(f"{name} would expand to {describe_size(total)} when opened, over "
                         f"the {describe_size(limits.max_uncompressed_bytes)} limit; split it "
                         "into smaller files or raise the limit.")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if (member.file_size >= limits.ratio_checked_from_bytes
                and ratio > limits.max_compression_ratio):
            raise SheetError(f"{name} looks like a compressed bomb (its part "
                             f"{member.filename} would expand {ratio:,.0f} times), so it was "
                             "not opened; export the inventory again from its source.")


def _zip_format(name: str, archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
        return ODS
    if any(member.casefold() in ("xl/workbook.xml", "xl/workbook.bin") for member in names):
        return XLSX
    if "EncryptedPackage" in names:
        raise _encrypted(name)
    kind = ("a Word document" if "word/document.xml" in names
            else "a PowerPoint file" if "ppt/presentation.xml" in names
            else "a zip archive with no workbook inside")
    raise SheetError(f"{name} is not a spreadsheet (it is {kind}); choose the Excel or CSV "
                     "file that holds the inventory.")


class _RootReached(Exception):
    """Raised by the parser target once the root element starts: the prolog is clean."""


class _StopAtRoot:
    def start(self, tag: str, attrib: dict) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def _check_xml_prolog(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse a part with a DTD or entity declarations; they can only sit before the root."""
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    read = 0
    try:
        with archive.open(member) as stream:
            while read < _PROLOG_LIMIT:
                chunk = stream.read(16384)
                if not chunk:
                    return  # an empty or root-less part: the workbook parser will say so
                read += len(chunk)
                parser.feed(chunk)
    except _RootReached:
        return
    except DefusedXmlException:
        raise _xml_trick(name) from None
    except ParseError:
        raise _damaged(name) from None
    raise _xml_trick(name)


def _xml_trick(name: str) -> SheetError:
    return SheetError(f"{name} contains XML declarations (a DTD or entities) that workbooks "
                      "never need, so it was not opened; save it again in Excel or export it "
                      "again.")


def _date1904(name: str, archive: zipfile.ZipFile) -> bool:
    """True when the workbook counts dates from 1904 (old Mac Excel), from workbook.xml."""
    member = next((m for m in archive.infolist()
                   if m.filename.casefold() == "xl/workbook.xml"), None)
    if member is None or member.file_size > _WORKBOOK_PART_LIMIT:
        return False
    try:
        root = fromstring(archive.read(member), forbid_dtd=True)
    except DefusedXmlException:
        raise _xml_trick(name) from None
    except ParseError:
        raise _damaged(name) from None
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "workbookPr":
            return element.get("date1904", "").strip().casefold() in ("1", "true")
    return False
