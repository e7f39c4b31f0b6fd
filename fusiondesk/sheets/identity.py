"""Columns whose values are platform ids: GUIDs, or record numbers such as APM0001234.

Platform exports name their id column in many ways ("AppName" and "FlowName" in
PowerShell hold GUIDs, not names). What the column holds says more than its header: a
column of distinct GUIDs is an id, never an app's name.
"""

from __future__ import annotations

import re
from typing import Sequence

from fusiondesk.sheets.mapping import header_key

_GUID = re.compile(r"(?:default-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                   re.IGNORECASE)
_RECORD_NUMBER = re.compile(r"[A-Z]{2,8}\d{4,12}")  # ServiceNow and most ticketing tools
_SAMPLE = 500
_SHARE = 0.9

# Words that make an id column the app's own id, and words that make it someone else's.
_OWN = frozenset({"app", "flow", "item", "bot", "agent", "solution", "application", "record",
                  "name", "id", "number", "resource", "object", "workflow", "sys"})
_OTHERS = frozenset({"owner", "user", "tenant", "environment", "env", "maker", "creator",
                     "by", "connection", "connector", "manager", "parent", "group", "team"})


def id_columns(headers: Sequence[str], rows: Sequence[tuple[int, tuple]]) -> set[str]:
    """Headers of the columns that hold a distinct platform id on (nearly) every row."""
    sample = [values for _, values in rows[:_SAMPLE]]
    found = set()
    for position, header in enumerate(headers):
        cells = [v.strip() for values in sample if (v := values[position]).__class__ is str
                 and v.strip()]
        if len(cells) < 3 or len(set(cells)) < _SHARE * len(cells):
            continue
        ids = sum(1 for c in cells if _GUID.fullmatch(c) or _RECORD_NUMBER.fullmatch(c))
        if ids >= _SHARE * len(cells):
            found.add(header)
    return found


def email_columns(headers: Sequence[str], rows: Sequence[tuple[int, tuple]]) -> set[str]:
    """Headers of the columns that hold e-mail addresses on (nearly) every filled row."""
    sample = [values for _, values in rows[:_SAMPLE]]
    found = set()
    for position, header in enumerate(headers):
        cells = [v for values in sample if (v := values[position]).__class__ is str and v.strip()]
        if cells and sum(1 for c in cells if _EMAIL.search(c)) >= _SHARE * len(cells):
            found.add(header)
    return found


_EMAIL = re.compile(r"[^@\s<>;,]+@[^@\s<>;,]+\.[a-z]{2,}", re.IGNORECASE)


def could_be_own_id(header: str) -> bool:
    """True when an id column's header says it identifies the row's own item."""
    words = set(header_key(header).split())
    return bool(words & _OWN) and not words & _OTHERS
