"""Canonical field values as text, as JSON, and between flat columns and facts.

One place decides how a value is written down, so the table, the change log,
the CLI and the exported workbook all say the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from fusiondesk.core.facts import AppFacts, Integration, Owner, split_qualifiers
from fusiondesk.core.fields import (
    APP_FIELD_BY_NAME,
    APP_FIELDS,
    BOOL,
    DATE,
    EMAILS,
    INTEGRATIONS,
    LIST,
    OWNER_COLUMNS,
    PERSON_FIELD_BY_NAME,
)
from fusiondesk.core.terms import OwnerRole

LIST_SEPARATOR = "; "
TEAM_COLUMN = "owner_team"
_FACT_NAMES = {f.name for f in dataclass_fields(AppFacts)}


def _kind(field_name: str) -> str:
    spec = APP_FIELD_BY_NAME.get(field_name) or PERSON_FIELD_BY_NAME.get(field_name)
    return spec.kind if spec else "text"


def format_value(field_name: str, value: Any) -> str:
    """A value as a person reads it in a cell: '' for unknown."""
    if value is None:
        return ""
    kind = _kind(field_name)
    if kind == BOOL:
        return "yes" if value else "no"
    if kind == INTEGRATIONS:
        return LIST_SEPARATOR.join(i.to_text() for i in value)
    if kind in (LIST, EMAILS):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def json_value(field_name: str, value: Any) -> Any:
    """A value in the JSON the CLI prints: ISO dates, lists, integration objects."""
    if value is None:
        return None
    kind = _kind(field_name)
    if kind == INTEGRATIONS:
        return [
            {"system": i.system, "direction": i.direction, "approved": i.approved,
             "external_api": i.external_api, "enterprise": i.enterprise,
             "asynchronous": i.asynchronous}
            for i in value
        ]
    if kind in (LIST, EMAILS):
        return list(value)
    if kind == DATE or isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


@lru_cache(maxsize=16384)  # list cells repeat heavily across a portfolio; tuples are immutable
def split_list(text: str | None) -> tuple[str, ...] | None:
    """`a; b;c` → ('a', 'b', 'c'); None stays unknown, '' is known-empty."""
    if text is None:
        return None
    return tuple(part.strip() for part in text.split(";") if part.strip())


def join_list(values: tuple[str, ...] | None) -> str | None:
    """The stored form of a list field."""
    if values is None:
        return None
    return LIST_SEPARATOR.join(values)


def parse_integrations(text: str | None) -> tuple[Integration, ...] | None:
    """`SAP:write; SharePoint:read` → integrations (direction unknown when absent)."""
    parts = split_list(text)
    if parts is None:
        return None
    result = []
    for part in parts:
        head, known = split_qualifiers(part)
        system, _, direction = head.rpartition(":") if ":" in head else (head, "", "")
        direction = direction.strip().lower() or None
        result.append(Integration(system.strip(), direction, **known))
    return tuple(result)


def carry_integrations(incoming, stored) -> tuple[Integration, ...]:
    """Incoming integrations, keeping what the record knows and the incoming text does not say."""
    known = {i.system.casefold(): i for i in stored or ()}
    return tuple(_carry(i, known.get(i.system.casefold())) for i in incoming or ())


def _carry(new: Integration, old: Integration | None) -> Integration:
    if old is None:
        return new
    return replace(new,
                   approved=old.approved if new.approved is None else new.approved,
                   external_api=old.external_api if new.external_api is None else new.external_api,
                   enterprise=old.enterprise if new.enterprise is None else new.enterprise,
                   asynchronous=new.asynchronous or old.asynchronous)


def owner_columns(owners: tuple[Owner, ...]) -> dict[str, tuple[str, ...]]:
    """The flat-sheet owner columns of an app's owners."""
    columns: dict[str, list[str]] = {column: [] for column in OWNER_COLUMNS}
    columns[TEAM_COLUMN] = []
    role_to_column = {role: column for column, role in OWNER_COLUMNS.items()}
    for owner in owners:
        if owner.team:
            columns[TEAM_COLUMN].append(owner.team)
        elif owner.key:
            columns[role_to_column[owner.role]].append(owner.key)
    return {column: tuple(names) for column, names in columns.items()}


def person_owner(role: str, person: str) -> Owner:
    """An owner from an owner cell's item: an e-mail, or the name of someone without one."""
    person = person.strip()
    if "@" in person:
        return Owner(role=role, email=person.lower())
    return Owner(role=role, name=" ".join(person.split()))


def name_key(name: object) -> str:
    """A person's name as matching compares it: no case, accents, spacing or word order.

    "José  Álvarez", "jose alvarez", "JOSÉ ÁLVAREZ" and "Álvarez, José" (family name
    first, as many directories list people) are the same key.
    """
    if not name:
        return ""
    text = str(name)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(sorted(_NAME_WORDS.findall(text.casefold())))


_NAME_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def owners_from_columns(values: dict[str, Any]) -> tuple[Owner, ...]:
    """Owners from the flat-sheet owner columns.

    A team is the primary owner when no person is named as primary, else a co-owner,
    so the same columns always give the same owners.
    """
    owners = []
    for column, role in OWNER_COLUMNS.items():
        for person in values.get(column) or ():
            owners.append(person_owner(role, person))
    team_role = OwnerRole.CO_OWNER if values.get("primary_owner") else OwnerRole.PRIMARY
    for team in values.get(TEAM_COLUMN) or ():
        owners.append(Owner(role=team_role, team=team.strip()))
    return tuple(owners)


def app_values(facts: AppFacts) -> dict[str, Any]:
    """Every canonical column of an app, in template order."""
    flat = owner_columns(facts.owners)
    return {
        f.name: flat[f.name] if f.name in flat else getattr(facts, f.name)
        for f in APP_FIELDS
    }


def facts_from_values(values: dict[str, Any], base: AppFacts | None = None) -> AppFacts:
    """Facts from canonical column values (over `base` when only some are given)."""
    changes = {k: v for k, v in values.items() if k in _FACT_NAMES}
    if any(column in values for column in (*OWNER_COLUMNS, TEAM_COLUMN)):
        merged = app_values(base) if base else {}
        merged.update(values)
        changes["owners"] = owners_from_columns(merged)
    if base is not None:
        return base.with_changes(**changes)
    return AppFacts(**changes)
