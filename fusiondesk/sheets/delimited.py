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


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-8 with or without BOM, UTF-16 with BOM, else cp1252 (Excel's ANSI)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
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
    text = decode_text(path.read_bytes())
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
