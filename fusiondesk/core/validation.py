"""Checks on canonical values before they are saved, with messages for people."""

from __future__ import annotations

import re
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


def require_valid(values: dict[str, Any], person: bool = False) -> None:
    """Raise InvalidValues when any value is refused."""
    problems = check_values(values, person)
    if problems:
        raise InvalidValues(problems)
