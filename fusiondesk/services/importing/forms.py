"""Canonical app values in the form the app table stores them, and back again.

An import compares and writes up to 100,000 rows. Comparing in the *stored* form
(dates as ISO text, lists as `; `-joined text, integrations as their summary) lets an
unchanged row be recognised by one tuple comparison against the raw database row,
and the same converted values are what a created app's INSERT needs. Each converter
runs once per distinct value; repeats are dict hits in C.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from fusiondesk.core.fields import APP_FIELD_BY_NAME, BOOL, DATE, LIST, OWNER_COLUMNS
from fusiondesk.core.values import (
    TEAM_COLUMN,
    carry_integrations,
    join_list,
    parse_integrations,
    split_list,
)

# The flat-sheet owner columns: compared as tuples of emails (or team names).
OWNER_FIELDS = (*OWNER_COLUMNS, TEAM_COLUMN)
# Fields that hold a collection: their order carries no meaning when comparing.
COLLECTION_FIELDS = frozenset({*OWNER_FIELDS, "data_categories", "compliance"})
# Fields kept as rows of their own, where "none" and "unknown" read back alike.
EMPTY_IS_NONE = frozenset({*OWNER_FIELDS, "integrations"})


class StoredForm(dict):
    """Canonical value → stored value, remembered; None (the file does not say) stays None."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert
        self[None] = None

    def __missing__(self, value: Any) -> Any:
        stored = self[value] = self.convert(value)
        return stored


def integration_summary(integrations) -> str:
    """The stored summary of integrations: `System:direction` items joined by `; `."""
    return join_list(tuple(item.to_text() for item in integrations or ()))


def _date_text(day: date) -> str:
    # The text SQLAlchemy's SQLite Date type stores; raw rows read it back as is.
    return day.isoformat()


def stored_form(field_name: str) -> StoredForm | None:
    """The converter of one app field to its stored form; None where it is stored as is."""
    if field_name == "integrations":
        return StoredForm(integration_summary)
    if field_name in OWNER_FIELDS:
        return StoredForm(join_list)  # as the portfolio's owners are read: `; `-joined
    kind = APP_FIELD_BY_NAME[field_name].kind
    if kind == DATE:
        return StoredForm(_date_text)
    if kind == LIST:
        return StoredForm(join_list)
    return None


def canonical_value(field_name: str, stored: Any) -> Any:
    """A stored value as the canonical value a user reads in a diff."""
    if stored is None:
        return stored
    if field_name in OWNER_FIELDS:
        return split_list(stored)
    if field_name == "integrations":
        return parse_integrations(stored)
    kind = APP_FIELD_BY_NAME[field_name].kind
    if kind == DATE:
        return date.fromisoformat(stored[:10])
    if kind == LIST:
        return split_list(stored)
    if kind == BOOL:
        return bool(stored)
    return stored


def same_value(field_name: str, new: Any, old: Any) -> bool:
    """True if a stored-form value from the file says what the portfolio already holds."""
    if new == old:
        return True
    if field_name == "integrations" and new and old:
        # a plain `SAP:write` keeps what the portfolio knows of the connector, so it says
        # nothing new when only the stored text carries qualifiers
        stored = parse_integrations(old)
        return carry_integrations(parse_integrations(new), stored) == stored
    if not new and not old:
        # Nobody and no integrations are stored as no rows, which reads as None; but a
        # list column keeps '' (known none) apart from NULL (unknown).
        return field_name in EMPTY_IS_NONE
    if field_name in COLLECTION_FIELDS and new and old:
        # "a; b" and "b; a" name the same owners or categories
        return set(_items(new)) == set(_items(old))
    return False


def _items(value: Any) -> tuple:
    return split_list(value) if isinstance(value, str) else tuple(value)
