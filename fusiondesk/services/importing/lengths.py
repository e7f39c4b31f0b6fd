"""Cells longer than their column holds: a row problem in the preview, never a failed write.

SQLite would store such a value whole and PostgreSQL refuse the import half-way; both now
refuse the cell before anything is written. A key (app ID, name, e-mail) too long to store
skips its row; any other field's cell is left out of the import, as an unreadable cell is.
"""

from __future__ import annotations

from collections.abc import Mapping

from fusiondesk.core.fields import APP_FIELD_BY_NAME, INTEGRATIONS, PERSON_FIELD_BY_NAME, Field
from fusiondesk.core.validation import check_length
from fusiondesk.core.values import LIST_SEPARATOR
from fusiondesk.db.store.limits import limits_for
from fusiondesk.sheets.mapping import PEOPLE
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import ERROR, Problem

_KEYS = {"app_id", "name", "email"}  # without these a row cannot be told apart: skipped
_SHOWN = 80  # characters of a refused cell repeated in the problem


def refuse_too_long(table: NormalisedTable, labels: Mapping[str, str]) -> None:
    """Take every too-long value out of the table's records, each with an error problem."""
    person = table.entity == PEOPLE
    specs = PERSON_FIELD_BY_NAME if person else APP_FIELD_BY_NAME
    limits = {name: limit for name, limit in limits_for(person).items() if name in labels}
    if not limits or not table.records:
        return
    found = len(table.problems)
    for name, limit in limits.items():
        column = table.column(name)
        # The usual case (nothing too long) is settled in C, without looking at a row.
        if _bound(specs[name], column) <= limit.chars:
            continue
        table.values_changed()  # some of this column's values are taken out below
        for record, value in zip(table.records, column):
            message = None if value is None else check_length(specs[name], value, limit)
            if message is None:
                continue
            record.values[name] = None
            record.valid = record.valid and name not in _KEYS
            table.problems.append(Problem(
                table.sheet, record.row, labels[name], _shown(value),
                f"{specs[name].label} of {_whose(record.values, person)} {message}; "
                + ("this row is skipped" if name in _KEYS else "the cell is left out"), ERROR))
    if len(table.problems) > found:
        table.problems.sort(key=lambda problem: problem.row)  # stable: columns keep their order


def _bound(spec: Field, column: list) -> float:
    """No value of the column is stored longer than this (a list: joined, so its items too)."""
    present = list(filter(None, column))
    if not present:
        return 0
    try:
        if spec.kind == INTEGRATIONS:
            return max(len(item.system) for value in present for item in value)
        if present[0].__class__ is tuple:
            return max(map(len, map(LIST_SEPARATOR.join, present)))
        return max(map(len, present))
    except (TypeError, AttributeError):  # not the shape expected: measure value by value
        return float("inf")


def _whose(values: Mapping[str, object], person: bool) -> str:
    key = values.get("email") if person else values.get("app_id")
    key = key or values.get("name")
    if not isinstance(key, str) or not key:
        return "this person" if person else "this app"
    return f"{'person' if person else 'app'} {key}"


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else "; ".join(map(str, value))
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
