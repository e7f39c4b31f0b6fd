"""Legacy Excel files: BIFF2-4 worksheets, and what an OLE2 compound file really holds.

A compound file may be an .xls workbook (a "Workbook" or "Book" stream of BIFF
records), an .xlsx Excel encrypted ("EncryptionInfo" and "EncryptedPackage"
streams), or a Word or PowerPoint file renamed. Its chains are walked first (`cfb`),
so nothing here, and no parser after it, can be sent round a loop.
"""

from __future__ import annotations

import struct

from fusiondesk.sheets import refusals
from fusiondesk.sheets.cfb import HostileStructure, open_compound

_OLD_BOF = {0x0009: "2.x", 0x0209: "3.0", 0x0409: "4.0"}  # BOF record type -> Excel version
_BOF, _EOF, _FILEPASS, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
_DOCUMENT_KINDS = {0x0010: "worksheet", 0x0020: "chart", 0x0040: "macro sheet",
                   0x0100: "workbook"}
_GLOBALS_SCAN = 256 * 1024  # FILEPASS follows the first BOF; this is far past it
_OTHER_DOCUMENTS = (("WordDocument", "a Word 97-2003 document"),
                    ("PowerPoint Document", "a PowerPoint 97-2003 presentation"))


def check_old_biff(name: str, head: bytes) -> None:
    """Refuse, by Excel version, a file that starts with a BIFF2-4 (or bare BIFF5-8) BOF."""
    if len(head) < 8:
        return
    kind, length, _version, document = struct.unpack_from("<4H", head)
    if kind in _OLD_BOF and 4 <= length <= 16:
        raise refusals.too_old(name, _OLD_BOF[kind], _DOCUMENT_KINDS.get(document, "worksheet"))
    if kind == _BOF and 8 <= length <= 20:
        # The records of an .xls, written without the compound file that holds them.
        raise refusals.too_old(name, "5.0-2003", "record stream without its file container")


def check_compound(name: str, data: bytes) -> None:
    """Refuse a compound file that is hostile, encrypted, or holds no workbook."""
    try:
        compound = open_compound(data)
    except HostileStructure:
        raise refusals.hostile(name) from None
    if compound.has_stream("EncryptionInfo") or compound.has_stream("EncryptedPackage"):
        raise refusals.encrypted(name)
    book = next((s for s in ("Workbook", "Book") if compound.has_stream(s)), None)
    if book is None:
        kind = next((kind for stream, kind in _OTHER_DOCUMENTS if compound.has_stream(stream)),
                    None)
        if kind:
            raise refusals.not_a_spreadsheet(name, kind)
        raise refusals.damaged(name)
    _check_globals(name, compound.read_stream(book, _GLOBALS_SCAN))


def _check_globals(name: str, records: bytes) -> None:
    """The workbook globals must start with a BOF; a FILEPASS record means a password."""
    at, first = 0, True
    while at + 4 <= len(records):
        kind, length = struct.unpack_from("<HH", records, at)
        if first and kind != _BOF:
            raise refusals.damaged(name)
        if kind == _FILEPASS:
            raise refusals.encrypted(name)  # XOR obfuscation or RC4: either needs a password
        if kind in (_EOF, _BOUNDSHEET):
            return  # FILEPASS can only come before these
        at, first = at + 4 + length, False
