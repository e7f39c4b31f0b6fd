"""Checks on canonical values before they are saved, with messages for people."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fusiondesk.core.facts import Integration
from fusiondesk.core.fields import (
    APP_FIELD_BY_NAME,
    BOOL,
    DATE,
    DIRECTIONS,
    EMAILS,
    ENUM,
    INT,
    INTEGRATIONS,
    LIST,
    PERSON_FIELD_BY_NAME,
    TEXT,
    TIER,
    Field,
)
from fusiondesk.core.values import LIST_SEPARATOR

EMAIL = re.compile(r"^[^@\s;]+@[^@\s;]+\.[^@\s;]+$")


class InvalidValues(ValueError):
    """One or more values were refused; `problems` maps field name to message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def is_email(text: str) -> bool:
    """Loose but useful: something@somewhere.tld, no spaces."""
    return bool(EMAIL.match(text))


def check_value(spec: Field, value: Any) -> str | None:
    """Why `value` cannot be stored in `spec` (None when it can)."""
    if value is None:
        return "is required" if spec.required else None
    checker = _CHECKS.get(spec.kind)
    return checker(spec, value) if checker else None


def _text(spec: Field, value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if spec.required and not value.strip():
        return "is required"
    return None


def _int(spec: Field, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    return "cannot be negative" if value < 0 else None


def _tier(spec: Field, value: Any) -> str | None:
    if isinstance(value, bool) or value not in (1, 2, 3, 4):
        return "must be a tier from 1 to 4"
    return None


def _enum(spec: Field, value: Any) -> str | None:
    if value not in spec.choices:
        return f"must be one of {', '.join(spec.choices)} (got '{value}')"
    return None


def _bool(spec: Field, value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be yes or no"


def _date(spec: Field, value: Any) -> str | None:
    return None if isinstance(value, date) else "must be a date (YYYY-MM-DD)"


def _list(spec: Field, value: Any) -> str | None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        return "must be a list of names"
    if spec.choices:
        unknown = [v for v in value if v not in spec.choices]
        if unknown:
            return f"has {', '.join(unknown)}; allowed: {', '.join(spec.choices)}"
    return None


def _emails(spec: Field, value: Any) -> str | None:
    # An owner is an e-mail, or the name of someone whose e-mail is not known yet.
    bad = [v for v in value if ("@" in v and not is_email(v)) or not v.strip()]
    return f"has invalid e-mail {', '.join(bad)}" if bad else None


def _integrations(spec: Field, value: Any) -> str | None:
    for item in value:
        if not isinstance(item, Integration) or not item.system.strip():
            return "each integration needs a system name"
        if item.direction is not None and item.direction not in DIRECTIONS:
            return f"direction of {item.system} must be one of {', '.join(DIRECTIONS)}"
    return None


_CHECKS = {
    TEXT: _text, INT: _int, TIER: _tier, ENUM: _enum, BOOL: _bool, DATE: _date,
    LIST: _list, EMAILS: _emails, INTEGRATIONS: _integrations,
}


def check_values(values: dict[str, Any], person: bool = False) -> dict[str, str]:
    """Every refused value of an app (or person), as field → message."""
    specs = PERSON_FIELD_BY_NAME if person else APP_FIELD_BY_NAME
    problems = {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            problems[name] = "is not a field FusionDesk knows"
            continue
        message = check_value(spec, value)
        if message:
            problems[name] = f"{spec.label} {message}"
    return problems


def require_valid(values: dict[str, Any], person: bool = False,
                  limits: Mapping[str, Limit] | None = None, whose: str | None = None) -> None:
    """Raise InvalidValues when any value is refused (or, given limits, would not fit)."""
    problems = check_values(values, person)
    if limits:
        problems.update(check_lengths(values, limits, person, whose))
    if problems:
        raise InvalidValues(problems)


# --- lengths --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Limit:
    """How many characters a field's stored text holds (the database's column length).

    `each`: the limit is per item (an owner, a team, an integration's system), not of the
    joined list; `names`: an owner given by name, not e-mail, is held in a shorter column.
    """

    chars: int
    each: bool = False
    names: int | None = None


def stored_length(spec: Field, value: Any, limit: Limit) -> int:
    """How far `value` goes past its limit's unit: its stored length, or its longest item's."""
    if isinstance(value, str):
        return len(value)
    if spec.kind == INTEGRATIONS:
        return max((len(item.system) for item in value if isinstance(item, Integration)), default=0)
    if not isinstance(value, tuple):
        return 0
    if not limit.each:
        return sum(map(len, value)) + len(LIST_SEPARATOR) * max(len(value) - 1, 0)
    return max((len(item) for item in value if isinstance(item, str)), default=0)


def check_length(spec: Field, value: Any, limit: Limit) -> str | None:
    """Why `value` would not fit its column (None when it does), e.g. "is 612 characters..."."""
    if value is None:
        return None
    if spec.kind == EMAILS and limit.names and isinstance(value, tuple):
        for item in value:
            chars = limit.chars if "@" in item else limit.names
            if len(item) > chars:
                return f"has an owner of {len(item)} characters; at most {chars} fit"
        return None
    length = stored_length(spec, value, limit)
    if length <= limit.chars:
        return None
    what = "an item" if limit.each else "text"
    return f"has {what} of {length} characters; at most {limit.chars} fit"


def check_lengths(values: dict[str, Any], limits: Mapping[str, Limit], person: bool = False,
                  whose: str | None = None) -> dict[str, str]:
    """Every value too long for its column, as field → "Name of app PA-1 has text of ..."."""
    specs = PERSON_FIELD_BY_NAME if person else APP_FIELD_BY_NAME
    problems = {}
    for name, value in values.items():
        spec, limit = specs.get(name), limits.get(name)
        message = check_length(spec, value, limit) if spec and limit else None
        if message:
            problems[name] = f"{spec.label} of {whose} {message}" if whose else f"{spec.label} {message}"
    return problems
