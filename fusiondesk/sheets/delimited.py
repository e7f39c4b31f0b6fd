"""CSV, TSV and text exports: decode whatever Excel or a platform wrote, find the delimiter."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from fusiondesk.sheets.problems import SheetError

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_RECORDS = 50
_EXCEL_SEPARATOR_HINT = re.compile(r'"?sep=(.)"?\s*$')


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
WIDE_ENCODINGS = frozenset({"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})
_NAMES = {"utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32",
          "utf-32-be": "UTF-32"}


def text_encoding(head: bytes) -> str | None:
    """The encoding a BOM names, or that the NUL bytes of BOM-less UTF-16/32 betray; else None.

    Excel's "Unicode Text" is UTF-16 LE with a BOM, but exports from other tools drop the
    BOM, and a few write UTF-32. In mostly-ASCII text every other byte (UTF-16) or three
    bytes in four (UTF-32) are NUL, in fixed positions; 8-bit text has no NULs at all.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    sample = head[:4096]
    sample = sample[:len(sample) // 4 * 4]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    zero_at = [sum(1 for byte in sample[lane::4] if byte == 0) / (len(sample) // 4)
               for lane in range(4)]
    if min(zero_at[1:]) > 0.9 and zero_at[0] < 0.1:
        return "utf-32-le"
    if min(zero_at[:3]) > 0.9 and zero_at[3] < 0.1:
        return "utf-32-be"
    even, odd = (zero_at[0] + zero_at[2]) / 2, (zero_at[1] + zero_at[3]) / 2
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, name: str = "The file") -> str:
    """Text from bytes: UTF-8, UTF-16 or UTF-32 (with or without BOM), else cp1252 (ANSI).

    SheetError, naming the encoding, when the bytes are UTF-16/32 that do not decode.
    """
    encoding = text_encoding(data[:4096])
    if encoding in WIDE_ENCODINGS:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise SheetError(f"{name} looks like {_NAMES[encoding]} text but its bytes do not "
                             "decode as such (it may be cut short); save it again as CSV "
                             "UTF-8 and try again.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so nothing is lost.
        return data.decode("latin-1")


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    """The delimiter among , ; tab | that splits the most records into the same field count."""
    sample = text[:65536]
    best, best_score = preferred, (0, 0, 0)
    for delimiter in DELIMITERS:
        counts = [len(record) for record in _sample_records(sample, delimiter)]
        if not counts:
            continue
        width, agreeing = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (agreeing, width, delimiter == preferred)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_records(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append(record)
            if len(records) >= _SAMPLE_RECORDS:
                break
    except csv.Error:
        pass  # the sample may end inside a quoted field
    return records[:-1] if len(records) > 1 else records


def read_delimited(path: Path) -> list[list[str]]:
    """Every record of a delimited text file, as lists of strings padded to equal width."""
    text = decode_text(path.read_bytes(), path.name)
    first_line, _, rest = text.partition("\n")
    hint = _EXCEL_SEPARATOR_HINT.match(first_line.strip())
    if hint:
        # Excel's "sep=;" line: it names the delimiter and Excel does not show it as a row.
        delimiter, text = hint[1], rest
    else:
        delimiter = sniff_delimiter(text, "\t" if path.suffix.casefold() == ".tsv" else ",")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SheetError(f"{path.name} could not be read as CSV ({error}); open it in Excel, "
                         "save it as .xlsx and try again.") from None
    width = max((len(record) for record in records), default=0)
    for record in records:
        if len(record) < width:
            record.extend([""] * (width - len(record)))
    return records
