"""A raw cell as the user reads it, and the issue a cell can raise while converting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from fusiondesk.sheets.problems import ERROR

MAP_HINT = "or map it in the value mapping step"


@dataclass(frozen=True, slots=True)
class CellIssue:
    """A cell that converted with a problem: the value to keep (None for errors) and why."""

    value: object
    message: str
    severity: str = ERROR
    unrecognised: tuple[str, ...] = ()  # what a value map could fix


def cell_text(raw: object) -> str:
    """A raw cell as the user would read it: 1200.0 → "1200", a date → "2025-04-03"."""
    if raw is None:
        return ""
    if raw.__class__ is str:
        return raw
    if raw.__class__ is bool:
        return "TRUE" if raw else "FALSE"
    if raw.__class__ is float:
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if raw.__class__ is datetime:
        return raw.date().isoformat() if raw.time() == time() else raw.isoformat(sep=" ")
    if isinstance(raw, (date, time)):
        return raw.isoformat()
    return str(raw)


def unreadable(raw: object, message: str) -> CellIssue:
    """An error issue quoting the cell: “lots” is not a number…"""
    text = cell_text(raw)
    return CellIssue(None, f"“{text}” {message}", ERROR, (text,))


_EMAIL = re.compile(r"[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,.][^@\s<>;,]*")
_ANGLE = re.compile(r"<\s*([^<>]+?)\s*>")


def email_address(text: str) -> str | None:
    """One email address, trimmed and lower-cased, or None.

    "Ann <Ann@X.com>" and "Ann Lee (ann@x.com)" work: a name beside the one address a
    cell holds is how directories and mail clients write people.
    """
    angle = _ANGLE.search(text)
    candidate = (angle[1] if angle else text).strip().strip("'\"").removeprefix("mailto:")
    if _EMAIL.fullmatch(candidate):
        return candidate.casefold()
    found = _EMAIL.findall(text)
    if len(found) == 1:
        return found[0].strip("()[]'\".,").removeprefix("mailto:").casefold()
    return None
