"""Checks a file must pass before any parser sees it: type, size, zip bombs, XML tricks.

Everything here reads only the file's first bytes, the zip directory and a few small
parts (`packages`), or walks an OLE2 compound file's chains (`legacy`, `cfb`), so a
hostile container is refused before it can cost anything. What the container's
structure cannot show (a sheet whose cells make the parser build a huge grid) is
bounded by parsing in a child process under a memory and time budget (`sandbox`).
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from fusiondesk.sheets import refusals
from fusiondesk.sheets.cfb import MAGIC as _OLE_MAGIC
from fusiondesk.sheets.delimited import WIDE_ENCODINGS, text_encoding
from fusiondesk.sheets.legacy import check_compound, check_old_biff
from fusiondesk.sheets.packages import (
    ODS,
    XLSX,
    Package,
    check_directory,
    check_sizes,
    check_xml_parts,
    date1904,
    package_format,
)
from fusiondesk.sheets.problems import SheetError

MB = 1024 * 1024
XLS, TEXT = "xls", "text"
WORKBOOK_SUFFIXES = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".ods": ODS}
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_LOOKALIKES = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"MZ", "a Windows program"), (b"\x7fELF", "a program"),
)


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How big a file may be, and what parsing it may cost, before FusionDesk refuses it.

    Every limit can be raised. The zip limits are absolute (what the parts expand to,
    how many there are), never a compression ratio: honest sheets compress 100x and more.
    """

    max_file_bytes: int = 256 * MB
    max_uncompressed_bytes: int = 1024 * MB  # total of a zip's parts, from its directory
    max_zip_members: int = 10_000
    max_rows: int = 1_048_576  # Excel's own row limit
    # The parser's budget: its process may map this much memory, or this many bytes per
    # byte of the file when that is more, and may take this long per request.
    parse_memory_bytes: int = 3 * 1024 * MB
    parse_memory_per_file_byte: int = 24
    parse_seconds: float = 300.0


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """What the checks learnt: the real format, the date system, and bytes to parse.

    `rewritten` holds the package rewritten to the standard layout when the file's own
    layout is valid but one calamine cannot follow; None means parse the file itself.
    """

    path: Path
    format: str
    date1904: bool = False
    rewritten: bytes | None = None


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
    head = _head(path)
    if head.startswith(_ZIP_MAGIC):
        return _check_zip(path, limits)
    if head.startswith(_OLE_MAGIC):
        check_compound(name, _whole(path))
        return CheckedFile(path, XLS)
    check_old_biff(name, head)
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


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(8192)
    except OSError:
        raise _unopenable(path.name) from None


def _tail(path: Path) -> bytes:
    """The last 64 KiB (plus the end record): where a zip keeps its end-of-directory record."""
    try:
        with path.open("rb") as file:
            file.seek(max(path.stat().st_size - 65_536 - 22, 0))
            return file.read()
    except OSError:
        raise _unopenable(path.name) from None


def _whole(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise _unopenable(path.name) from None


def _unopenable(name: str) -> SheetError:
    return SheetError(f"{name} was not found or cannot be opened; check that the file "
                      "still exists and choose it again.")


def _check_text(name: str, head: bytes) -> None:
    if text_encoding(head) in WIDE_ENCODINGS:
        return  # UTF-16 or UTF-32 text, as Excel's "Unicode Text" and others save it
    looks = next((what for magic, what in _LOOKALIKES if head.startswith(magic)), None)
    binary = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    if looks or b"\x00" in head or binary > len(head) // 100:
        raise SheetError(f"{name} is not a text or CSV file"
                         f"{f' (it is {looks})' if looks else ''}; choose the Excel or CSV "
                         "file that holds the inventory.")


def _check_zip(path: Path, limits: ReadLimits) -> CheckedFile:
    """A zip-based workbook: sizes from the directory, then its format and XML parts."""
    name = path.name
    check_directory(name, _tail(path), limits.max_zip_members)
    try:
        with zipfile.ZipFile(path) as archive:
            package = Package(name, archive)
            check_sizes(name, package.members, limits.max_zip_members,
                        limits.max_uncompressed_bytes, describe_size)
            fmt, workbook, rewritten = package_format(package)
            check_xml_parts(package)
            dates = date1904(package, workbook) if workbook else False
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError,
            KeyError, RuntimeError, OSError):
        # RuntimeError: zipfile's "File is encrypted" and its like; KeyError: a part the
        # directory lists twice or not at all; OSError: a seek the directory sent astray
        # (the file itself was readable a moment ago).
        raise refusals.damaged(name) from None
    return CheckedFile(path, fmt, dates, rewritten)
