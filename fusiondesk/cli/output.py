"""Printing results: JSON for scripts, aligned text for people.

JSON goes out compact (no indentation, one list item per line) unless stdout is a
terminal, where a person reads it and gets it indented. Python's indenting encoder
is pure Python: at 100,000 apps it alone took 20 s, the compact C encoder ~1 s.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable
from typing import Any

# Built once: json.dumps with options builds a new encoder on every call. What is printed
# is built fresh for printing and holds no cycles, so the check for them is skipped
# (a sixth of the encoding time).
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str,
                            check_circular=False)
_INDENTED = json.JSONEncoder(ensure_ascii=False, indent=2, default=str)
# Lines written to stdout in one call: few calls, yet a reader sees rows as they come. Not
# one call for everything: a write cut short by a reader closing the pipe returns without
# an error, so only a next write learns that the reader is gone.
_LINES_PER_WRITE = 256
# The widest a table cell gets, in terminal columns; longer text ends in "…".
MAX_CELL = 40


def encode_row(value: Any) -> str:
    """One value as compact JSON on one line (a JSON Lines record)."""
    return _COMPACT.encode(value)


def for_a_person() -> bool:
    """True when stdout is a terminal (indented JSON), False for a pipe or a file."""
    return sys.stdout.isatty()


def print_json(value: Any) -> None:
    """One JSON document on stdout: indented at a terminal, compact otherwise."""
    if for_a_person():
        sys.stdout.write(_INDENTED.encode(value) + "\n")
    elif isinstance(value, list):
        write_json_list(encode_row(item) for item in value)
    else:
        sys.stdout.write(encode_row(value) + "\n")


def write_json_list(lines: Iterable[str]) -> None:
    """A JSON array of already-encoded items, one item per line."""
    sys.stdout.write("[\n")
    write_lines(lines, ",\n")
    sys.stdout.write("]\n")


def write_lines(lines: Iterable[str], between: str = "\n") -> None:
    """Lines on stdout, written in batches as they come (a JSON Lines stream).

    `between` separates the lines (",\n" inside a JSON array); the last one ends in a newline.
    """
    batch: list[str] = []
    started = False
    for line in lines:
        batch.append(line)
        if len(batch) >= _LINES_PER_WRITE:
            sys.stdout.write((between if started else "") + between.join(batch))
            batch.clear()
            started = True
    if batch:
        sys.stdout.write((between if started else "") + between.join(batch))
    if batch or started:
        sys.stdout.write("\n")


def print_table(rows: list[dict], columns: list[str]) -> None:
    """An aligned table for people: widths from the content, numbers on the right.

    Cells are cut at MAX_CELL terminal columns, except in the last column, where a
    long text pushes nothing out of line.
    """
    if not rows:
        print("(none)")
        return
    last = columns[-1]
    cells = [[_cell_text(row.get(c), c != last) for c in columns] for row in rows]
    numeric = [all(_is_number(row.get(c)) for row in rows) for c in columns]
    widths = [max(display_width(c), *(display_width(line[i]) for line in cells))
              for i, c in enumerate(columns)]
    print(_table_line(columns, widths, numeric))  # a number column's heading sits over its digits
    for line in cells:
        print(_table_line(line, widths, numeric))


def _table_line(texts: list[str], widths: list[int], right: list[bool]) -> str:
    padded = [pad(text, width, right=r) for text, width, r in zip(texts, widths, right)]
    return "  ".join(padded).rstrip()


def _is_number(value: Any) -> bool:
    # bool is an int to Python, but "yes"/"no" columns read as words
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _cell_text(value: Any, clipped: bool = True) -> str:
    """A value in a cell: one line, at most MAX_CELL terminal columns when `clipped`."""
    if value is None:
        return ""
    text = " ".join(str(value).split())  # line breaks and tabs would break the row
    return clip(text, MAX_CELL) if clipped else text


def display_width(text: str) -> int:
    """How many terminal columns `text` takes: wide (CJK, emoji) characters take two."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal columns, ending in "…" when cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > width - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded with spaces to `width` terminal columns (on the left when `right`)."""
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill
