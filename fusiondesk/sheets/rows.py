"""Rows under a header that are not records: totals, repeated headers, notes below the table.

Hand-kept registers add a subtotal per department and a "Total" at the foot, repeat
the header on every printed page, and leave a "Source: …" line under the table. None
of them is an app; each is skipped with a warning naming its row.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Sequence

from fusiondesk.sheets.headers import is_blank
from fusiondesk.sheets.mapping import header_key

# "Total", "Grand total", "Subtotal Finance", "Finance total", "Summe", "Gesamt" …
# The label is a total word with at most one word beside it, so an app called "Total
# Rewards Portal" is still an app.
_TOTAL_WORD = r"(?:grand\s*|sub\s*-?\s*|overall\s*|zwischen|gesamt)?(?:totals?|summe|gesamt|somme)"
_TOTAL = re.compile(rf"^(?:{_TOTAL_WORD}\W*(?:(?:for|of|für)\s+)?[\w&/-]*|[\w&/-]+\s+{_TOTAL_WORD})"
                    r"\W*$|^total général\W*$", re.IGNORECASE)
_HINT_WORDS = ("total", "summe", "gesamt", "somme")
_TOTAL_HINT = re.compile("|".join(_HINT_WORDS), re.IGNORECASE)  # cheap first sieve
_NOTE = re.compile(r"^(?:notes?|source|sources|prepared by|compiled by|last updated|updated|"
                   r"as of|stand|quelle|hinweis|disclaimer|\*|†)\b", re.IGNORECASE)
_LONG_NOTE = 40  # characters: a lone cell this long under a table is prose, not a record


LABEL_COLUMNS = 4  # a total's label stands in one of the first columns


def non_records(rows: Sequence[tuple[int, tuple]], headers: Sequence[str],
                texts: Sequence[set[str]] | None = None) -> dict[int, str]:
    """{1-based row: why it is not a record} for every total, header repeat or note row.

    `texts`: the distinct texts of each of the first `LABEL_COLUMNS` columns, if known.
    """
    suspects = _suspect_rows(rows, headers, texts)
    found = {rows[i][0]: why for i in sorted(suspects)
             if (why := _total_or_header(rows[i][1], headers))}
    found.update(_notes_below(rows, found))
    return found


def _suspect_rows(rows: Sequence[tuple[int, tuple]], headers: Sequence[str],
                  texts: Sequence[set[str]] | None = None) -> set[int]:
    """Positions of rows whose first cells hold a total label or a header.

    A 100,000-row import cannot afford a Python check per row: each leading column's
    distinct values are judged once, and only rows holding a suspect value are looked at.
    """
    names = {h.strip().casefold() for h in headers}
    suspects: set[int] = set()
    rows_values = None
    for column in range(min(LABEL_COLUMNS, len(headers))):
        if texts is None:
            rows_values = rows_values or list(map(itemgetter(1), rows))
            cells = list(map(itemgetter(column), rows_values))
            odd = _odd_values(column_texts(cells), names)
        else:  # the cells are gathered only in the rare column that has a suspect
            odd = _odd_values(texts[column], names)
            cells = list(map(itemgetter(column), map(itemgetter(1), rows))) if odd else []
        if odd:
            suspects.update(i for i, v in enumerate(cells) if v in odd)
    return suspects


def column_texts(cells: Sequence[object]) -> set[str]:
    """The distinct texts among a column's cells (what a total's label is looked for in)."""
    return {v for v in set(cells) if v.__class__ is str}


def _odd_values(texts: set[str], names: set[str]) -> set[str]:
    """The texts holding a total word or a header name, found with one scan in C.

    A column of 100,000 ids holds 100,000 distinct texts: a substring search over them
    joined and case-folded (faster than the regex, and no less inclusive) says whether
    any is worth a look one by one.
    """
    folded = "\n".join(texts).casefold()
    hinted = any(word in folded for word in _HINT_WORDS)
    named = not names.isdisjoint(map(str.casefold, map(str.strip, texts)))
    if not (hinted or named):
        return set()
    return {v for v in texts if _TOTAL_HINT.search(v) or v.strip().casefold() in names}


def _total_or_header(values: tuple, headers: Sequence[str]) -> str | None:
    filled = [v for v in values if not is_blank(v)]
    texts = [v.strip() for v in filled if v.__class__ is str]
    label = next((t for t in texts[:2] if _is_total_label(t)), None)
    if label is not None and len(texts) <= 2:
        return f"a total row (“{label}”)"
    keys = {header_key(h) for h in headers}
    if len(texts) >= 2 and sum(header_key(t) in keys for t in texts) >= 0.6 * len(filled):
        return "a repeat of the header row"
    return None


def _is_total_label(text: str) -> bool:
    return len(text) <= 60 and bool(_TOTAL.match(text))


def _notes_below(rows: Sequence[tuple[int, tuple]], skipped: dict[int, str]) -> dict[int, str]:
    """Lone cells of prose after the last row that reads as a record."""
    notes: dict[int, str] = {}
    for number, values in reversed(rows):
        if number in skipped:
            continue
        filled = [v for v in values if not is_blank(v)]
        if len(filled) != 1 or filled[0].__class__ is not str:
            break
        text = filled[0].strip()
        if not (_NOTE.match(text) or len(text) >= _LONG_NOTE):
            break
        notes[number] = f"a note below the table (“{text[:50]}”)"
    return notes
