"""Finding the header row under title rows, and naming columns (merged and blank headers)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count
from operator import itemgetter
from typing import Sequence

from fusiondesk.sheets.mapping import is_known_header
from fusiondesk.sheets.problems import column_letter

HEADER_SCAN_ROWS = 30
_MIN_LABEL_SHARE = 0.6  # of a header row's filled cells, how many must read as labels
_MAX_LABEL_LENGTH = 120

Merge = tuple[tuple[int, int], tuple[int, int]]  # 0-based (row, col) corners, inclusive


@dataclass(frozen=True, slots=True)
class HeaderLayout:
    """Where the header is and what each kept column is called (0-based positions)."""

    row: int  # the header row directly above the data
    headers: list[str]
    columns: list[int]


def is_blank(value: object) -> bool:
    """True for an empty cell: None, "" or only spaces."""
    return value is None or (value.__class__ is str and not value.strip())


def find_header_row(rows: Sequence[Sequence[object]]) -> int | None:
    """The first row that reads like a header, preferring rows of known field names.

    Only rows at least half as wide as the widest row count, so a title or a two-cell
    legend above the table is never taken for its header.
    """
    scanned = range(min(HEADER_SCAN_ROWS, len(rows)))
    widest = max((sum(not is_blank(c) for c in rows[i]) for i in scanned), default=0)
    candidates = {i: score for i in scanned
                  if (score := _header_score(rows[i])) and score[1] >= widest / 2}
    if not candidates:
        return None
    most_known = max(known for known, _ in candidates.values())
    return min(i for i, (known, _) in candidates.items() if known == most_known)


def _header_score(cells: Sequence[object]) -> tuple[int, int] | None:
    filled = [cell for cell in cells if not is_blank(cell)]
    labels = [cell for cell in filled if _reads_as_label(cell)]
    if len(labels) < 2 or len(labels) < _MIN_LABEL_SHARE * len(filled):
        return None
    return sum(1 for label in labels if is_known_header(label)), len(labels)


def _reads_as_label(cell: object) -> bool:
    # A header has letters; data such as emails, numbers and dates does not read as one.
    return (cell.__class__ is str and "@" not in cell and len(cell) <= _MAX_LABEL_LENGTH
            and any(ch.isalpha() for ch in cell))


def header_layout(rows: Sequence[Sequence[object]], header: int,
                  merges: Sequence[Merge] = ()) -> HeaderLayout:
    """Name every column under the header; a merged group row above adds its name."""
    filled = _filled_header_rows(rows, merges, header)
    header, group = _header_and_group(rows, filled, merges, header)
    grouped = _grouped_columns(merges, group) if group is not None else set()
    width = max((len(row) for row in rows), default=0)
    names, columns = [], []
    for column in range(width):
        sub = _label(filled.get(header, {}).get(column, _cell(rows, header, column)))
        top = _label(filled.get(group, {}).get(column)) if group is not None else ""
        name = f"{top} {sub}" if column in grouped and top and sub and top != sub else (
            sub or (top if column in grouped else ""))
        if not name:
            if _column_is_blank(rows, header + 1, column):
                continue  # a blank header over blank data is just spacing
            name = f"Column {column_letter(column + 1)}"
        names.append(name)
        columns.append(column)
    return HeaderLayout(header, _unique(names), columns)


def _cell(rows: Sequence[Sequence[object]], row: int, column: int) -> object:
    cells = rows[row] if 0 <= row < len(rows) else ()
    return cells[column] if column < len(cells) else None


def _label(value: object) -> str:
    if is_blank(value):
        return ""
    if value.__class__ is float and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())  # line breaks inside header cells become spaces


def _filled_header_rows(rows: Sequence[Sequence[object]], merges: Sequence[Merge],
                        header: int) -> dict[int, dict[int, object]]:
    """Around the header, every cell of a merged range carries the range's top-left value."""
    filled: dict[int, dict[int, object]] = {}
    near = range(header - 1, header + 2)
    for (top, left), (bottom, right) in merges:
        value = _cell(rows, top, left)
        for row in range(max(top, near.start), min(bottom, near.stop - 1) + 1):
            for column in range(left, right + 1):
                filled.setdefault(row, {})[column] = value
    return filled


def _header_and_group(rows: Sequence[Sequence[object]], filled: dict[int, dict[int, object]],
                      merges: Sequence[Merge], header: int) -> tuple[int, int | None]:
    """Two-level headers: a row of merged group names above a row of column names."""
    if header + 1 < len(rows) and _is_group_row(rows, filled, merges, header, header + 1):
        return header + 1, header
    if header > 0 and _is_group_row(rows, filled, merges, header - 1, header):
        return header, header - 1
    return header, None


def _is_group_row(rows: Sequence[Sequence[object]], filled: dict[int, dict[int, object]],
                  merges: Sequence[Merge], group: int, header: int) -> bool:
    """True when `group` names groups of the columns named on `header`.

    The shape is strict so that a title above, or the first data row below, is never
    mistaken for it: at least two different names on the group row, a name under every
    merged group, and every other column merged down from the group row or blank on it.
    """
    grouped = _grouped_columns(merges, group)
    if not grouped:
        return False
    width = max(len(rows[group]), len(rows[header]))
    top = [_label(filled.get(group, {}).get(c, _cell(rows, group, c))) for c in range(width)]
    sub = [_label(filled.get(header, {}).get(c, _cell(rows, header, c))) for c in range(width)]
    if len({name for name in top if name}) < 2:
        return False
    if any(not sub[c] for c in grouped if c < width):
        return False
    spanning = _vertical_columns(merges, group, header)
    return all(not top[c] or c in spanning for c in range(width) if c not in grouped)


def _vertical_columns(merges: Sequence[Merge], upper: int, lower: int) -> set[int]:
    return {column for (top, left), (bottom, right) in merges
            if top <= upper and bottom >= lower for column in range(left, right + 1)}


def _grouped_columns(merges: Sequence[Merge], row: int) -> set[int]:
    """Columns covered by a merge that spans several columns on this row."""
    return {column for (top, left), (bottom, right) in merges
            if top <= row <= bottom and right > left for column in range(left, right + 1)}


def _column_is_blank(rows: Sequence[Sequence[object]], start: int, column: int) -> bool:
    # Rows are padded to one width. The distinct values are gathered in C; a blank column
    # has only one or two of them.
    return all(map(is_blank, set(map(itemgetter(column), rows[start:]))))


def _unique(names: list[str]) -> list[str]:
    """Repeated headers get a number: "Owner", "Owner 2", so each column can be mapped."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        key = name.casefold()
        seen[key] = seen.get(key, 0) + 1
        unique.append(name if seen[key] == 1 else f"{name} {seen[key]}")
    return unique


def fill_merged_cells(rows: list[list[object]], merges: Sequence[Merge], below: int) -> None:
    """Give every cell of a merged range below the header the range's value.

    Hand-kept inventories merge a department down the rows of all its apps; each of
    those apps belongs to that department, not to none. A range may reach past the
    rows or columns the sheet holds (writers record merges over empty cells too): only
    the cells that exist are filled, and a range whose first cell is missing fills none.
    """
    for (top, left), (bottom, right) in merges:
        if top <= below or top >= len(rows) or not 0 <= left < len(rows[top]):
            continue
        value = rows[top][left]
        for row in rows[top:bottom + 1]:
            for column in range(left, min(right + 1, len(row))):
                row[column] = value


def data_rows(rows: Sequence[Sequence[object]], layout: HeaderLayout,
              start: int | None = None, end: int | None = None) -> list[tuple[int, tuple]]:
    """(1-based row number, values under the headers) for every row below the header.

    Blank rows are dropped, and so are repeats of the header row (paged exports).
    `start` and `end` (0-based, below the header): only the rows in between.
    """
    columns = layout.columns
    pick = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    start = layout.row + 1 if start is None else start
    picked = map(pick, rows[start:end])  # C-speed; the filter below is one pass
    blank, header_values = ("",) * len(columns), tuple(layout.headers)
    return [(number, values) for number, values in zip(count(start + 1), picked)
            if values != blank and values != header_values and _has_content(values)]


def _has_content(values: tuple) -> bool:
    first = values[0]
    # Most rows start with a filled cell, so the full check is rarely needed.
    if first.__class__ is str:
        if first and not first.isspace():
            return True
    elif first is not None:
        return True
    return any(map(_has_value, values))


def _has_value(value: object) -> bool:
    # `any` stops at the first filled cell, so most rows cost one call.
    if value.__class__ is str:
        return bool(value) and not value.isspace()
    return value is not None
