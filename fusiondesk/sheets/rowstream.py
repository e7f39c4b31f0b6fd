"""The data rows of big sheets, written as sheet XML straight to a scratch file.

XlsxWriter spends ~8 µs on each cell (its cell tuples, attribute lists and per-tag
escaping); the audit workbook of 100,000 apps has ~7 million, so XlsxWriter alone could
not meet issue 15's 30 s budget. Here a row is one f-string per cell (~1 µs), and
XlsxWriter still writes everything else: the header row, styles, column widths, frozen
panes, filters, conditional formats, print setup, the Summary and its charts. Once it
has closed the package, `splice_rows` copies every entry as it is except the streamed
sheets, whose XML gets these rows inserted after XlsxWriter's header row and its
`<dimension>` widened to the real last row.

The cells are written exactly as XlsxWriter writes them in constant-memory mode, so
every reader (Excel, LibreOffice, openpyxl, calamine, the app's own importer) sees the
same workbook as before: numbers `<v>` with 16 significant digits, text as inline
strings with Excel's `_xHHHH_` escapes, dates as serial numbers with the date style,
booleans `t="b"`, blanks omitted (tests/sheets/test_rowstream.py compares the two
writers' cells, types and styles read back by openpyxl and python-calamine).
"""

from __future__ import annotations

import math
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

# Excel's limit on the text of one cell, in UTF-16 units (XlsxWriter cuts there too).
MAX_TEXT = 32767
# Measured on the audit workbook of 20,000 apps (the whole export, two runs each, load ~4.4):
# level 1 takes 3.2-3.4 CPU s and writes 12.1 MB; zipfile's default 6 takes 3.9-4.4 and 9.9 MB.
COMPRESS_LEVEL = 1
_ROWS_PER_WRITE = 500  # rows joined before one write to the scratch file
_COPY_CHUNK = 1 << 20
_ZIP64_FROM = (1 << 31) - (1 << 20)  # only a giant sheet needs zip64 (old Excel dislikes it)

# XlsxWriter's escaping (xmlwriter._escape_control_characters, then _escape_data): a typed
# "_x000D_" gets its underscore escaped, so it is not read back as a carriage return; the
# control characters XML 1.0 cannot hold (and U+FFFE, U+FFFF) become _xHHHH_; then & < >.
_NEEDS_ESCAPING = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("([\x00-\x08\x0b-\x1f])")
# Excel counts 1900 as a leap year, so serials from 1 March 1900 are one day ahead.
_EPOCH = datetime(1899, 12, 31)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_SECONDS_A_DAY = 60 * 60 * 24


class Styled(NamedTuple):
    """A value written with a style of its own (a `StreamedWorkbook.style` format)."""

    value: object
    style: Format


def cell_text(text: str) -> str:
    """`text` as the body of an inline string, as XlsxWriter escapes it."""
    if len(text) > MAX_TEXT // 2 and _utf16_units(text) > MAX_TEXT:
        text = _utf16_cut(text, MAX_TEXT)
    if not needs_escaping(text):
        return text  # nearly every cell: letters, digits, spaces, @ . - ;
    text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda found: f"_x{ord(found.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def needs_escaping(text: str) -> bool:
    """True when `text` holds anything `cell_text` escapes (as `_NEEDS_ESCAPING` finds it)."""
    # The regex's alternation costs ~15 ns a character, ~1 s over the 100,000-app audit's
    # 500 million; these C scans (~2 ns) clear nearly every row, and only a row with a
    # line break, a tab, & < > or "_x" is left to the regex to decide.
    if text.isprintable() and "_x" not in text and "&" not in text and "<" not in text \
            and ">" not in text:
        return False
    return _NEEDS_ESCAPING.search(text) is not None


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf16_cut(text: str, units: int) -> str:
    # Cut at `units` UTF-16 units without splitting a character above U+FFFF.
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def excel_serial(moment: date | datetime) -> float:
    """Excel's serial number of a date or a (naive or aware) datetime, as XlsxWriter computes it."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:  # the workbook's remove_timezone: the wall-clock time
            moment = moment.replace(tzinfo=None)
        delta = moment - _EPOCH
        serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / _SECONDS_A_DAY
        if moment.isocalendar() == (1900, 1, 1):  # XlsxWriter's own correction, kept to match it
            serial -= 1
    else:
        serial = float(moment.toordinal() - _EPOCH_ORDINAL)
    return serial + 1 if serial > 59 else serial


def _cell_start(column: int) -> str:
    """A cell's opening up to its row number: '<c r="B'."""
    return f'<c r="{xl_col_to_name(column)}'


# Whole numbers below this print the same with `str` as with `.16G` (which a float needs).
_EXACT_DIGITS = 10**15


class RowStream:
    """The data rows of one sheet, below its header row, spooled to an anonymous scratch file.

    `styles` gives the xf index of the date and datetime styles and of any `Styled`
    value's format (`StreamedWorkbook.xf_index`): the style numbers in styles.xml.
    """

    def __init__(self, width: int, styles, keep_in: Path | None = None):
        self._styles = styles
        self._date = styles.xf_index(styles.date)
        self._datetime = styles.xf_index(styles.datetime)
        self._starts = [_cell_start(index) for index in range(width)]
        if keep_in is None:
            self._file = tempfile.TemporaryFile(prefix="fusiondesk-rows-")  # gone when closed
        else:  # rows for another process's package: see `kept`
            self._file = tempfile.NamedTemporaryFile(prefix="rows-", dir=keep_in, delete=False)
        self._pending: list[str] = []
        self.rows = 0
        self.width = width
        self.size = 0  # bytes of row XML written

    def append(self, values: Sequence) -> None:
        """One row below the last: text as text, numbers as numbers, dates as dates; blanks omitted."""
        self.rows += 1
        number = self.rows + 1  # row 1 is the header XlsxWriter writes
        if len(values) > len(self._starts):
            self._starts += [_cell_start(i) for i in range(len(self._starts), len(values))]
            self.width = len(values)
        row, text = self._row(values, number, careful=False)
        # One search over the row's text instead of one a cell: nearly no row needs escaping,
        # and one that does (or one long enough to be cut) is simply written again with care.
        if len(text) > MAX_TEXT // 2 or needs_escaping(text):
            row, _text = self._row(values, number, careful=True)
        self._pending.append(row)
        if len(self._pending) >= _ROWS_PER_WRITE:
            self._flush()

    def _row(self, values: Sequence, number: int, careful: bool) -> tuple[str, str]:
        # The inner loop of the export: 6 million cells at 100,000 apps. Returns the row's
        # XML and its text cells' values run together (for the check in `append`). Each
        # cell's `<c r="A` is made once per column and the row number once per row.
        n = str(number)
        cells = [f'<row r="{n}">']
        add, date_style = cells.append, self._date
        for start, value in zip(self._starts, values):
            kind = type(value)
            if kind is str:
                if value:
                    if careful:
                        value = cell_text(value)
                    add(f'{start}{n}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>')
            elif value is None:
                continue
            elif kind is int and -_EXACT_DIGITS < value < _EXACT_DIGITS:  # as `.16G` writes it
                add(f'{start}{n}"><v>{value}</v></c>')
            elif kind is date:  # whole days: the serial is an integer, 1 March 1900 on one ahead
                serial = value.toordinal() - _EPOCH_ORDINAL
                add(f'{start}{n}" s="{date_style}"><v>{serial + 1 if serial > 59 else serial}</v></c>')
            else:
                cell = self._other(f"{start[6:]}{n}", value)
                if cell:
                    add(cell)
        add("</row>")
        return "".join(cells), "" if careful else "".join([v for v in values if type(v) is str])

    def extend(self, rows: Iterable[Sequence]) -> None:
        """Many rows, in order."""
        for row in rows:
            self.append(row)

    def _other(self, ref: str, value, style: int | None = None) -> str:
        # The rarer kinds, off the hot path of text and whole numbers.
        s = "" if style is None else f' s="{style}"'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            if not math.isfinite(value):
                raise TypeError(f"{value} is not a number Excel can hold")  # as XlsxWriter refuses it
            return f'<c r="{ref}"{s}><v>{value:.16G}</v></c>'
        if isinstance(value, datetime):
            return f'<c r="{ref}" s="{self._datetime if style is None else style}"><v>{excel_serial(value):.16G}</v></c>'
        if isinstance(value, date):
            return f'<c r="{ref}" s="{self._date if style is None else style}"><v>{excel_serial(value):.16G}</v></c>'
        if isinstance(value, Styled) and style is None:
            return self._other(ref, value.value, self._styles.xf_index(value.style))
        if value is None:  # blank; a styled one keeps its style, as XlsxWriter writes it
            return f'<c r="{ref}"{s}/>' if s else ""
        text = value.isoformat() if isinstance(value, time) else str(value)  # a StrEnum, a Decimal...
        if not text and not s:
            return ""  # an unstyled empty text is a blank; XlsxWriter keeps a styled one as text
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{cell_text(text)}</t></is></c>'

    def _flush(self) -> None:
        if self._pending:
            data = "".join(self._pending).encode("utf-8")
            self._file.write(data)
            self.size += len(data)
            self._pending.clear()

    def copy_to(self, out) -> None:
        """Write every row's XML to `out`, then drop the scratch file."""
        self._flush()
        self._file.seek(0)
        while chunk := self._file.read(_COPY_CHUNK):
            out.write(chunk)
        self.close()

    def close(self) -> None:
        """Drop the scratch file (a failed save calls this too)."""
        self._file.close()

    def kept(self) -> RowFile:
        """The rows written so far, left in the named file of `keep_in` for another process."""
        self._flush()
        self._file.close()
        return RowFile(Path(self._file.name), self.rows, self.width, self.size)


class RowFile(NamedTuple):
    """Rows a `RowStream` wrote to a file in another process; spliced like the stream itself."""

    path: Path
    rows: int
    width: int
    size: int

    def copy_to(self, out) -> None:
        """Write every row's XML to `out`, then drop the file."""
        with open(self.path, "rb") as rows:
            while chunk := rows.read(_COPY_CHUNK):
                out.write(chunk)
        self.close()

    def close(self) -> None:
        """Drop the file (its folder goes with the export in any case)."""
        self.path.unlink(missing_ok=True)


class StyleNumbers(NamedTuple):
    """The xf numbers of a workbook's date and datetime styles, for a `RowStream` in another
    process (which has no workbook): `StreamedWorkbook.style_numbers`."""

    date: int
    datetime: int

    @staticmethod
    def xf_index(number: int) -> int:
        """The style's number: here the numbers are the styles."""
        return number


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def splice_rows(path: Path, streams: Mapping[str, RowStream]) -> None:
    """Rewrite the package at `path` with each stream's rows in its sheet (`xl/worksheets/sheetN.xml`).

    XlsxWriter's package holds the big sheets' header rows only, so it is small enough to
    read whole; the rewrite goes back to the same (temporary) path.
    """
    package = BytesIO(Path(path).read_bytes())
    with zipfile.ZipFile(package) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as target:
        for entry in source.infolist():
            stream = streams.get(entry.filename)
            if stream is None:
                target.writestr(entry, source.read(entry))
            else:
                _write_sheet(target, entry, source.read(entry), stream)


def _write_sheet(target: zipfile.ZipFile, entry: zipfile.ZipInfo, xml: bytes, stream: RowStream) -> None:
    if b"</sheetData>" in xml:
        head, tail = xml.split(b"</sheetData>", 1)
        tail = b"</sheetData>" + tail
    else:  # a sheet with no header either: XlsxWriter writes an empty element
        head, tail = xml.split(b"<sheetData/>", 1)
        head, tail = head + b"<sheetData>", b"</sheetData>" + tail
    if stream.rows:
        last = f"{xl_col_to_name(max(stream.width, 1) - 1)}{stream.rows + 1}"
        head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), head, count=1)
    info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = COMPRESS_LEVEL  # noqa: SLF001 - ZipFile.open(ZipInfo) reads the level only here
    with target.open(info, "w", force_zip64=stream.size > _ZIP64_FROM) as out:
        out.write(head)
        stream.copy_to(out)
        out.write(tail)
