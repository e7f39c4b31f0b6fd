"""Zip-based workbooks (.xlsx, .xlsm, .ods): what the package holds, before any parser runs.

Only the zip directory, the first bytes of each XML part and a few small parts
(_rels/.rels, the ODS manifest, workbook.xml) are read here. Part names are compared
with either separator, as some writers use backslashes. A package calamine would not
find its way through (a workbook part not named workbook.xml, an .ods without its
mimetype entry) is rewritten in memory to the standard layout, since the format allows
it and the user's file is fine.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, fromstring

from fusiondesk.sheets import refusals
from fusiondesk.sheets.problems import SheetError

MB = 1024 * 1024
XLSX, ODS = "xlsx", "ods"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG_LIMIT = 1 * MB  # no honest XML part has a megabyte before its root element
_SMALL_PART_LIMIT = 64 * MB  # workbook.xml, .rels and manifests are kilobytes
_DEFLATE_MAX_RATIO = 1032  # deflate cannot expand further: a bigger claim is a lie
_OFFICE_DOCUMENT = "/officedocument"  # the end of the relationship type, either schema
_STANDARD_WORKBOOKS = ("workbook.xml", "workbook.bin")
_DIRECTORY_BYTES_PER_PART = 1024  # an entry is 46 bytes plus its name and extra fields


class Package:
    """An open zip with its parts indexed by normalised name ("xl/workbook.xml")."""

    def __init__(self, name: str, archive: zipfile.ZipFile) -> None:
        self.name, self.archive = name, archive
        self.members = archive.infolist()
        self.parts = {_normal(m.filename): m for m in self.members}

    def original(self, part: str) -> str:
        """A part's name as written in the zip, with forward slashes."""
        return self.parts[part.casefold()].filename.replace("\\", "/").lstrip("/")

    def has(self, part: str) -> bool:
        """True when the package holds the part (name compared case-insensitively)."""
        return part.casefold() in self.parts

    def read(self, part: str) -> bytes:
        """A small part's bytes; damaged if it is not small."""
        member = self.parts[part.casefold()]
        if member.file_size > _SMALL_PART_LIMIT:
            raise refusals.damaged(self.name)
        return self.archive.read(member)

    def xml(self, part: str):
        """A small part parsed with every XML trick forbidden."""
        try:
            return fromstring(self.read(part), forbid_dtd=True)
        except DefusedXmlException:
            raise _xml_trick(self.name) from None
        except (ParseError, LookupError):  # LookupError: an encoding Python does not know
            raise refusals.damaged(self.name) from None


def _normal(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").casefold()


def check_directory(name: str, tail: bytes, max_members: int) -> None:
    """Refuse a zip whose central directory is too big to list, from its end record alone.

    zipfile builds an object per entry it finds in the directory, whatever the entry
    count claims; a 256 MB file of bare entries would cost gigabytes before any check.
    """
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return  # no end record: zipfile says the file is damaged
    entries, directory_size = struct.unpack_from("<HI", tail, at + 10)
    if directory_size == 0xFFFFFFFF or entries == 0xFFFF:
        return  # zip64: the entry count is checked from the directory zipfile reads
    if entries > max_members:
        raise _too_many_parts(name, entries)
    if directory_size > max_members * _DIRECTORY_BYTES_PER_PART:
        raise refusals.hostile(name)  # a directory far bigger than its entries need


def _too_many_parts(name: str, count: int) -> SheetError:
    return SheetError(f"{name} holds {count:,} parts, far more than any workbook; "
                      "it was not opened — export the inventory again.")


def check_sizes(name: str, members: list[zipfile.ZipInfo], max_members: int,
                max_uncompressed: int, describe) -> None:
    """Refuse zip bombs from the directory alone, before anything is decompressed.

    The guard is the absolute size the parts would expand to and how many there are:
    an honest 57 MB sheet may compress 120 times, and costs no more than its 57 MB.
    A deflated part claiming more than deflate can produce has a lying directory.
    """
    if len(members) > max_members:
        raise _too_many_parts(name, len(members))
    if any(member.flag_bits & 0x1 for member in members):
        raise refusals.encrypted(name)
    total = sum(member.file_size for member in members)
    if total > max_uncompressed:
        raise SheetError(f"{name} would expand to {describe(total)} when opened, over "
                         f"the {describe(max_uncompressed)} limit; split it "
                         "into smaller files or raise the limit.")
    for member in members:
        if (member.compress_type == zipfile.ZIP_DEFLATED
                and member.file_size > _DEFLATE_MAX_RATIO * max(member.compress_size, 1) + 1024):
            raise refusals.hostile(name)


def package_format(package: Package) -> tuple[str, str | None, bytes | None]:
    """(format, workbook part, rewritten bytes or None) of a zip that must be a workbook."""
    if _is_ods(package):
        return ODS, None, _ods_with_mimetype(package)
    located = _workbook_part(package)
    if located is not None:
        return XLSX, located[0], _standard_layout(package, *located)
    if package.has("EncryptedPackage"):
        raise refusals.encrypted(package.name)
    kind = ("a Word document" if package.has("word/document.xml")
            else "a PowerPoint file" if package.has("ppt/presentation.xml")
            else "a zip archive with no workbook inside")
    raise refusals.not_a_spreadsheet(package.name, kind)


def check_xml_parts(package: Package) -> None:
    """Refuse any XML part with a DTD or entity declarations."""
    for member in package.members:
        if member.filename.casefold().endswith(_XML_PART_SUFFIXES):
            _check_xml_prolog(package.name, package.archive, member)


def date1904(package: Package, workbook: str = "xl/workbook.xml") -> bool:
    """True when the workbook counts dates from 1904 (old Mac Excel), from workbook.xml."""
    if not package.has(workbook) or not workbook.endswith(".xml"):
        return False  # a binary workbook (.xlsb) keeps the flag where calamine reads it
    for element in package.xml(workbook).iter():
        if element.tag.rsplit("}", 1)[-1] == "workbookPr":
            return element.get("date1904", "").strip().casefold() in ("1", "true")
    return False


# --- OpenDocument ----------------------------------------------------------------------

def _is_ods(package: Package) -> bool:
    """An .ods by its mimetype entry, or, when that is missing, by its manifest."""
    if package.has("mimetype") and package.read("mimetype").strip() == ODS_MIMETYPE:
        _refuse_encrypted_ods(package)
        return True
    if package.has("META-INF/manifest.xml") and package.has("content.xml"):
        if ODS_MIMETYPE in package.read("META-INF/manifest.xml"):
            _refuse_encrypted_ods(package)
            return True
    return False


def _refuse_encrypted_ods(package: Package) -> None:
    """LibreOffice encrypts each part and says so in the manifest with encryption-data."""
    if package.has("META-INF/manifest.xml"):
        if b"encryption-data" in package.read("META-INF/manifest.xml"):
            raise refusals.encrypted(package.name, "LibreOffice")


def _ods_with_mimetype(package: Package) -> bytes | None:
    """None when calamine can read the .ods as it is; else a copy with the mimetype entry."""
    if package.has("mimetype") and package.read("mimetype") == ODS_MIMETYPE:
        return None
    return _rewritten(package, {"mimetype": None}, first=("mimetype", ODS_MIMETYPE))


# --- Office Open XML -------------------------------------------------------------------

def _workbook_part(package: Package) -> tuple[str, str] | None:
    """(normalised name, Target as written) of the workbook part, as _rels/.rels says."""
    if package.has("_rels/.rels"):
        for element in package.xml("_rels/.rels").iter():
            if (element.tag.rsplit("}", 1)[-1] == "Relationship"
                    and element.get("Type", "").casefold().endswith(_OFFICE_DOCUMENT)):
                written = element.get("Target", "")
                target = posixpath.normpath(_normal(written))
                if package.has(target):
                    return target, written
    return next(((f"xl/{name}", "") for name in _STANDARD_WORKBOOKS
                 if package.has(f"xl/{name}")), None)


def _standard_layout(package: Package, workbook: str, written: str) -> bytes | None:
    """None when calamine finds the workbook as it is; else a copy where it can.

    calamine follows _rels/.rels to the workbook's folder but then expects the part to
    be named workbook.xml, with its relationships in _rels/workbook.xml.rels there.
    """
    if posixpath.basename(workbook) in _STANDARD_WORKBOOKS:
        return None
    original = package.original(workbook)
    folder, base = posixpath.split(original)
    standard = posixpath.join(folder, "workbook.xml")
    rels, standard_rels = (posixpath.join(folder, "_rels", f"{base}.rels"),
                           posixpath.join(folder, "_rels", "workbook.xml.rels"))
    if package.has(standard) or package.has(standard_rels):
        raise refusals.damaged(package.name)  # two workbooks: which one is meant is unclear
    new_target = posixpath.join(posixpath.dirname(written), "workbook.xml")
    package_rels = package.read("_rels/.rels")
    for quote in "\"'":
        package_rels = package_rels.replace(f"{quote}{written}{quote}".encode(),
                                            f"{quote}{new_target}{quote}".encode())
    renames = {_normal(original): standard, _normal(rels): standard_rels}
    return _rewritten(package, renames, replace={"_rels/.rels": package_rels})


def _rewritten(package: Package, renames: dict[str, str | None],
               replace: dict[str, bytes] | None = None,
               first: tuple[str, bytes] | None = None) -> bytes:
    """A copy of the package with parts renamed (None: dropped) or replaced, in memory."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        if first:
            target.writestr(zipfile.ZipInfo(first[0]), first[1], zipfile.ZIP_STORED)
        for member in package.members:
            part = _normal(member.filename)
            if part in renames and renames[part] is None:
                continue
            name = renames.get(part, member.filename.replace("\\", "/"))
            data = replace.get(part)
            target.writestr(name, data if data is not None else package.archive.read(member))
    return out.getvalue()


# --- XML tricks ------------------------------------------------------------------------

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
    except (ParseError, LookupError):  # LookupError: an encoding Python does not know
        raise refusals.damaged(name) from None
    raise _xml_trick(name)


def _xml_trick(name: str) -> SheetError:
    return SheetError(f"{name} contains XML declarations (a DTD or entities) that workbooks "
                      "never need, so it was not opened; save it again in Excel or export it "
                      "again.")
