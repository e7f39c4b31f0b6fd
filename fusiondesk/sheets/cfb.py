"""Walking an OLE2 compound file ([MS-CFB]) before any parser sees it.

Legacy .xls workbooks, and .xlsx files Excel has encrypted, are compound files: a
small file system of 512- or 4096-byte sectors chained through a sector allocation
table (FAT). A chain that loops, or a stream that claims more bytes than its chain
holds, makes a naive reader allocate without limit, so every chain is walked here
once, with a visited set and bounds taken from the file's real size. Anything out of
bounds raises `HostileStructure`; the caller turns it into one sentence for the user.
"""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_REGULAR = 0xFFFFFFFA  # sector ids above this are markers, not sectors
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_NO_STREAM = 0xFFFFFFFF
_HEADER_DIFAT = 109
_DIRECTORY_ENTRY = 128
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_MAX_ENTRIES = 65_536  # a workbook holds a few dozen streams; this bounds the walk


class HostileStructure(Exception):
    """The compound file's structure is out of bounds: damaged, or made to hurt a reader."""


@dataclass(frozen=True, slots=True)
class Stream:
    """One stream of the compound file: its name, declared size and where it starts."""

    name: str
    size: int
    start: int


@dataclass(slots=True)
class CompoundFile:
    """A compound file whose every chain has been walked and found in bounds."""

    data: bytes
    sector_size: int
    fat: array
    mini_fat: array
    mini_stream: list[int]  # regular sectors holding the mini stream, in order
    streams: dict[str, Stream]

    def has_stream(self, name: str) -> bool:
        """True when a stream of that name exists (case-insensitive, as Excel compares)."""
        return name.casefold() in self.streams

    def read_stream(self, name: str, limit: int) -> bytes:
        """Up to `limit` bytes from the start of a stream (chains are known to be sound)."""
        stream = self.streams[name.casefold()]
        wanted = min(stream.size, limit)
        if stream.size < _MINI_CUTOFF:
            pieces = (self._mini_sector(s) for s in _follow(self.mini_fat, stream.start))
        else:
            pieces = (self._sector(s) for s in _follow(self.fat, stream.start))
        out = bytearray()
        for piece in pieces:
            if len(out) >= wanted:
                break
            out += piece
        return bytes(out[:wanted])

    def _sector(self, sector: int) -> bytes:
        at = (sector + 1) * self.sector_size
        return self.data[at:at + self.sector_size]

    def _mini_sector(self, mini: int) -> bytes:
        per_sector = self.sector_size // _MINI_SECTOR
        host = self.mini_stream[mini // per_sector]
        at = (host + 1) * self.sector_size + (mini % per_sector) * _MINI_SECTOR
        return self.data[at:at + _MINI_SECTOR]


def open_compound(data: bytes) -> CompoundFile:
    """The compound file in `data`, every chain checked; HostileStructure if out of bounds."""
    if len(data) < 512 or not data.startswith(MAGIC):
        raise HostileStructure("no compound-file header")
    header = _Header.parse(data)
    sector_count = -(-(len(data) - header.sector_size) // header.sector_size)
    if sector_count <= 0:
        raise HostileStructure("no sectors after the header")
    fat_sectors = _fat_sector_ids(data, header, sector_count)
    fat = _table(data, header.sector_size, fat_sectors)
    walker = _ChainWalker(fat, sector_count)
    directory = _directory(data, header, walker)
    root = _entries(directory, header.sector_size)
    mini_fat = array("I")
    if header.mini_fat_count and header.first_mini_fat < _MAX_REGULAR:
        mini_fat_sectors = walker.chain(header.first_mini_fat, "mini FAT")
        mini_fat = _table(data, header.sector_size, mini_fat_sectors)
    root_entry, streams = root
    mini_stream = walker.chain(root_entry.start, "mini stream") if root_entry.size else []
    _check_streams(streams, walker, mini_fat, mini_stream, header.sector_size)
    return CompoundFile(data, header.sector_size, fat, mini_fat, mini_stream,
                        {s.name.casefold(): s for s in streams})


@dataclass(frozen=True, slots=True)
class _Header:
    sector_size: int
    fat_count: int
    first_directory: int
    first_mini_fat: int
    mini_fat_count: int
    first_difat: int
    difat_count: int
    difat: tuple[int, ...]
    version: int

    @classmethod
    def parse(cls, data: bytes) -> "_Header":
        (version, byte_order, sector_shift, mini_shift) = struct.unpack_from("<HHHH", data, 26)
        (fat_count, first_directory, _, cutoff, first_mini_fat, mini_fat_count,
         first_difat, difat_count) = struct.unpack_from("<8I", data, 44)
        if byte_order != 0xFFFE or sector_shift not in (9, 12) or mini_shift != 6:
            raise HostileStructure("header fields out of range")
        if cutoff != _MINI_CUTOFF:
            raise HostileStructure("mini-stream cutoff is not 4096")
        difat = struct.unpack_from(f"<{_HEADER_DIFAT}I", data, 76)
        return cls(1 << sector_shift, fat_count, first_directory, first_mini_fat,
                   mini_fat_count, first_difat, difat_count, difat, version)


def _fat_sector_ids(data: bytes, header: _Header, sector_count: int) -> list[int]:
    """The FAT's own sectors, from the header's DIFAT and the DIFAT sector chain."""
    if not 0 < header.fat_count <= sector_count:
        raise HostileStructure("FAT sector count out of range")
    ids = list(header.difat)
    per_difat = header.sector_size // 4 - 1
    seen: set[int] = set()
    sector = header.first_difat
    while sector != _END_OF_CHAIN and sector != _FREE and len(ids) < header.fat_count:
        if sector >= sector_count or sector in seen or len(seen) >= sector_count:
            raise HostileStructure("DIFAT chain loops or leaves the file")
        seen.add(sector)
        at = (sector + 1) * header.sector_size
        raw = data[at:at + header.sector_size].ljust(header.sector_size, b"\xff")
        entries = struct.unpack(f"<{per_difat + 1}I", raw)
        ids.extend(entries[:per_difat])
        sector = entries[per_difat]
    ids = ids[:header.fat_count]
    if len(ids) < header.fat_count or any(s >= sector_count for s in ids):
        raise HostileStructure("FAT sectors missing or outside the file")
    if len(set(ids)) != len(ids):
        raise HostileStructure("a FAT sector is listed twice")
    return ids


def _table(data: bytes, sector_size: int, sectors: list[int]) -> array:
    """A table of sector ids (the FAT or mini FAT) read from the given sectors."""
    raw = b"".join(data[(s + 1) * sector_size:(s + 2) * sector_size].ljust(sector_size, b"\xff")
                   for s in sectors)
    table = array("I")
    table.frombytes(raw)
    if sys.byteorder == "big":
        table.byteswap()
    return table


class _ChainWalker:
    """Follows chains through one FAT, each sector at most once across all walks.

    The length of the chain from every sector already walked is remembered, so many
    streams sharing a tail cost nothing extra, and the total work is bounded by the
    number of sectors in the file.
    """

    def __init__(self, fat: array, sector_count: int) -> None:
        self.fat, self.limit = fat, min(sector_count, len(fat))
        self.remaining: dict[int, int] = {}  # sector -> chain length from it

    def chain(self, start: int, what: str) -> list[int]:
        """The sectors of the chain from `start`; HostileStructure on a loop or stray id."""
        self.length(start, what)
        return list(_follow(self.fat, start))

    def length(self, start: int, what: str) -> int:
        """How many sectors the chain from `start` holds."""
        path: list[int] = []
        on_path: set[int] = set()
        sector, tail = start, 0
        while sector != _END_OF_CHAIN:
            if sector in self.remaining:
                tail = self.remaining[sector]
                break
            if sector >= self.limit or sector in on_path:
                raise HostileStructure(f"the {what} chain loops or leaves the file")
            path.append(sector)
            on_path.add(sector)
            sector = self.fat[sector]
        for steps, walked in enumerate(reversed(path), start=tail + 1):
            self.remaining[walked] = steps
        return len(path) + tail


def _follow(table: array, start: int):
    """The sectors of a chain already known to be sound."""
    sector = start
    while sector != _END_OF_CHAIN and sector < len(table):
        yield sector
        sector = table[sector]


def _directory(data: bytes, header: _Header, walker: _ChainWalker) -> bytes:
    if header.first_directory >= _MAX_REGULAR:
        raise HostileStructure("no directory")
    sectors = walker.chain(header.first_directory, "directory")
    if len(sectors) * header.sector_size // _DIRECTORY_ENTRY > _MAX_ENTRIES:
        raise HostileStructure("directory far larger than any workbook's")
    size = header.sector_size
    return b"".join(data[(s + 1) * size:(s + 2) * size] for s in sectors)


def _entries(directory: bytes, sector_size: int) -> tuple[Stream, list[Stream]]:
    """The root entry and every stream entry of the directory."""
    root, streams = None, []
    for at in range(0, len(directory) - _DIRECTORY_ENTRY + 1, _DIRECTORY_ENTRY):
        name_bytes, = struct.unpack_from("<H", directory, at + 64)
        kind = directory[at + 66]
        start, size = struct.unpack_from("<IQ", directory, at + 116)
        if sector_size == 512:
            size &= 0xFFFFFFFF  # version 3 writers may leave junk in the high half
        name = directory[at:at + min(name_bytes, 64)].decode("utf-16-le", "replace")
        name = name.rstrip("\0")
        if at == 0:
            if kind != _ROOT:
                raise HostileStructure("the first directory entry is not the root")
            root = Stream(name, size, start)
        elif kind == _STREAM:
            streams.append(Stream(name, size, start))
        elif kind not in (0, _STORAGE):
            raise HostileStructure("unknown directory entry type")
    if root is None:
        raise HostileStructure("empty directory")
    return root, streams


def _check_streams(streams: list[Stream], walker: _ChainWalker, mini_fat: array,
                   mini_stream: list[int], sector_size: int) -> None:
    """Each stream's chain must be sound and hold at least the bytes it declares."""
    mini_walker = _ChainWalker(mini_fat, len(mini_stream) * (sector_size // _MINI_SECTOR))
    for stream in streams:
        if stream.size == 0:
            continue
        if stream.size < _MINI_CUTOFF:
            held = mini_walker.length(stream.start, "mini-stream") * _MINI_SECTOR
        else:
            held = walker.length(stream.start, "stream") * sector_size
        if held < stream.size:
            raise HostileStructure(f"stream {stream.name!r} claims more bytes than it holds")
