"""Converters from one raw cell to one canonical value, one per field kind.

A converter takes a raw cell (str, int, float, bool, date, datetime, time, timedelta or
None) and returns the canonical value, or a `CellIssue` carrying the value to keep and
a message. Converters are pure, so `normalise.Normaliser` can memoise them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Callable, Mapping

from fusiondesk.core.facts import Integration
from fusiondesk.core.fields import (
    BOOL, DATE, EMAILS, ENUM, INT, INTEGRATIONS, LIST, TEXT, TIER, Field,
)
from fusiondesk.sheets import vocabulary as vocab
from fusiondesk.sheets.dates import (
    DMY, date_from_serial, parse_date_text, serial_warning,
)
from fusiondesk.sheets.problems import ERROR, WARNING

Converter = Callable[[object], object]

# Person fields of kind text that hold one email address: the key of a person.
EMAIL_TEXT_FIELDS = frozenset({"email", "manager_email"})
_MAP_HINT = "or map it in the value mapping step"


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


def _unreadable(raw: object, message: str) -> CellIssue:
    text = cell_text(raw)
    return CellIssue(None, f"“{text}” {message}", ERROR, (text,))


# --- text ---------------------------------------------------------------------------

def _text(raw: object) -> object:
    return raw if raw.__class__ is str else cell_text(raw)


_EMAIL = re.compile(r"[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,.][^@\s<>;,]*")
_ANGLE = re.compile(r"<\s*([^<>]+?)\s*>")


def email_address(text: str) -> str | None:
    """One email address, trimmed and lower-cased ("Ann <Ann@X.com>" works), or None."""
    angle = _ANGLE.search(text)
    candidate = (angle[1] if angle else text).strip().strip("'\"").removeprefix("mailto:")
    return candidate.casefold() if _EMAIL.fullmatch(candidate) else None


def _single_email(raw: object) -> object:
    address = email_address(cell_text(raw))
    if address:
        return address
    return _unreadable(raw, "is not an email address; write the full address, "
                            f"e.g. name@example.com, {_MAP_HINT}")


# --- numbers -------------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?\d+")
# Thousands grouped by one repeated separator: "1,200", "1 200", "1.200", "1'200".
# A dot followed by exact groups of three digits is read as grouping, because counts are
# whole numbers: "1.200" is 1200, while "1.5" or "1.20" are refused as not whole.
_GROUPED = re.compile(r"\d{1,3}([,. '’])\d{3}(?:\1\d{3})*")
_DECIMAL_POINT = re.compile(r"\d{1,3}(?:,\d{3})*\.\d+|\d+\.\d+")
_DECIMAL_COMMA = re.compile(r"\d{1,3}(?:\.\d{3})*,\d+|\d+,\d+")
_THOUSANDS_SUFFIX = re.compile(r"(\d+(?:[.,]\d+)?)\s*k", re.I)
_APPROX_PREFIX = re.compile(
    r"(?:~|≈|>=?|≥|approx\.?|approximately|about|around|ca?\.|over|more than|at least)\s*",
    re.I)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def parse_count(text: str) -> tuple[int, str | None]:
    """A whole, non-negative count written as text, and a warning if it was approximate."""
    body = text.translate(_SPACES).strip()
    prefix = _APPROX_PREFIX.match(body)
    plus = body.endswith("+")
    body = body[prefix.end() if prefix else 0:].rstrip("+").strip()
    number = _number(body)
    if number < 0:
        raise ValueError("is negative; a count cannot be below zero")
    if not float(number).is_integer():
        raise ValueError("is not a whole number; write a count such as 120")
    warning = (f"read “{text}” as {int(number)}; the exact number is not known"
               if prefix or plus else None)
    return int(number), warning


def _number(body: str) -> float:
    if _PLAIN.fullmatch(body):
        return int(body)
    if _GROUPED.fullmatch(body):
        return int(re.sub(r"\D", "", body))
    if _DECIMAL_POINT.fullmatch(body):
        return float(body.replace(",", ""))
    if _DECIMAL_COMMA.fullmatch(body):
        return float(body.replace(".", "").replace(",", "."))
    suffixed = _THOUSANDS_SUFFIX.fullmatch(body)
    if suffixed:
        return round(float(suffixed[1].replace(",", ".")) * 1000, 6)
    raise ValueError("is not a number; write a whole number such as 1200")


def _count(raw: object) -> object:
    if raw.__class__ is bool or isinstance(raw, (date, time, timedelta)):
        return _unreadable(raw, "is not a number; write a whole number such as 1200")
    if isinstance(raw, (int, float)):
        return _count_of_number(raw)
    try:
        number, warning = parse_count(raw)
    except ValueError as error:
        return _unreadable(raw, f"{error}, {_MAP_HINT}")
    return CellIssue(number, warning, WARNING) if warning else number


def _count_of_number(raw: int | float) -> object:
    if raw < 0:
        return _unreadable(raw, "is negative; a count cannot be below zero")
    if raw.__class__ is float and not raw.is_integer():
        return _unreadable(raw, "is not a whole number; write a count such as 120")
    return int(raw)


_TIER_TEXT = re.compile(r"(?:tier|level|t)?\s*[-:]?\s*([1-4])(?:\.0)?", re.I)


def _tier(raw: object) -> object:
    text = cell_text(raw)
    match = _TIER_TEXT.fullmatch(text.strip()) if raw.__class__ is not bool else None
    if match:
        return int(match[1])
    return _unreadable(raw, f"is not a tier; use 1, 2, 3 or 4, {_MAP_HINT}")


# --- yes / no and enumerations -------------------------------------------------------

def _yes_no(raw: object) -> object:
    if raw.__class__ is bool:
        return raw
    folded = cell_text(raw).strip().casefold()
    if folded in vocab.YES_WORDS:
        return True
    if folded in vocab.NO_WORDS:
        return False
    if folded in vocab.UNKNOWN_WORDS:
        return None
    return _unreadable(raw, f"is not yes or no; write Yes or No, {_MAP_HINT}")


def _enum_table(field: Field) -> dict[str, str]:
    table = {vocab.value_key(choice): choice for choice in field.choices}
    for key, choice in vocab.ENUM_SYNONYMS.get(field.name, {}).items():
        table.setdefault(key, choice)
    return table


def _enum(field: Field) -> Converter:
    table = _enum_table(field)
    allowed = ", ".join(field.choices)

    def convert(raw: object) -> object:
        found = table.get(vocab.value_key(cell_text(raw)))
        if found:
            return found
        return _unreadable(raw, f"is not a known {field.label.lower()}; use one of "
                                f"{allowed}, {_MAP_HINT}")
    return convert


# --- dates ---------------------------------------------------------------------------

def _date(order: str, date1904: bool) -> Converter:
    def convert(raw: object) -> object:
        if raw.__class__ is datetime:
            return raw.date()
        if raw.__class__ is date:
            return raw
        if raw.__class__ in (int, float):
            return _date_of_serial(raw, date1904)
        if raw.__class__ is not str:
            return _unreadable(raw, "is not a date; write it as 2025-04-03")
        try:
            day, warning = parse_date_text(raw, order, date1904)
        except ValueError as error:
            return _unreadable(raw, f"{error}, {_MAP_HINT}")
        return CellIssue(day, warning, WARNING) if warning else day
    return convert


def _date_of_serial(serial: float, date1904: bool) -> object:
    try:
        day = date_from_serial(serial, date1904)
    except ValueError as error:
        return _unreadable(serial, f"{error}; write the date as 2025-04-03")
    warning = serial_warning(serial, day)
    return CellIssue(day, warning, WARNING) if warning else day


# --- lists, emails and integrations ---------------------------------------------------

_LIST_SEPARATORS = re.compile(r"\s*(?:;|,|\r?\n|\r)\s*")


def split_items(text: str) -> list[str]:
    """The items of a list cell: separated by `;`, `,` or new lines, blanks dropped."""
    if "," not in text and "\n" not in text and "\r" not in text:
        return [item for item in map(str.strip, text.split(";")) if item]
    return [item for item in _LIST_SEPARATORS.split(text) if item]


def _list_of(field: Field, item_map: Mapping[str, str], kind: str) -> Converter:
    canonical = _cached(_item_converter(field, kind, item_map), item_map)
    noun = _item_noun(field, kind)
    split = _split_emails if kind == EMAILS else split_items

    def convert(raw: object) -> object:
        text = cell_text(raw).strip()
        if text.casefold() in vocab.NONE_WORDS:
            return ()
        found: list = []
        unknown: list[str] = []
        for item in split(text):
            value = canonical(item)
            if value is None:
                unknown.append(item)
            elif value not in found:
                found.append(value)
        if unknown:
            return _unknown_items(unknown, noun)
        return tuple(found)
    return convert


def _cached(canonical: Callable[[str], object], item_map: Mapping[str, str],
            ) -> Callable[[str], object]:
    """Memoise list items too: "a; b" and "b; a" share their items."""
    cache: dict[str, object] = {}

    def convert(item: str) -> object:
        try:
            return cache[item]
        except KeyError:
            value = cache[item] = canonical(item_map.get(item.casefold(), item))
            return value
    return convert


def _split_emails(text: str) -> list[str]:
    # Spaces separate addresses only when every part is one; "John Smith" stays one item.
    parts = text.replace(";", " ").replace(",", " ").split()
    if "<" not in text and all("@" in part for part in parts):
        return parts
    return split_items(text)


def _unknown_items(unknown: list[str], noun: str) -> CellIssue:
    quoted = ", ".join(f"“{item}”" for item in unknown)
    verb = "is not a known" if len(unknown) == 1 else "are not known"
    plural = noun if len(unknown) == 1 else _plural(noun)
    return CellIssue(None, f"{quoted} {verb} {plural}; {_ITEM_HINTS.get(noun, '')}{_MAP_HINT}",
                     ERROR, tuple(unknown))


def _plural(noun: str) -> str:
    if noun == "email address":
        return "email addresses"
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


_ITEM_HINTS = {
    "data category": "use pii, phi, payment, financial or credentials, ",
    "email address": "owners are matched by email, so write e.g. name@example.com, ",
    "integration": "write System:direction with read, write or bidirectional, e.g. SAP:write, ",
}


def _item_noun(field: Field, kind: str) -> str:
    if kind == EMAILS:
        return "email address"
    if kind == INTEGRATIONS:
        return "integration"
    return "data category" if field.name == "data_categories" else "item"


def _item_converter(field: Field, kind: str, item_map: Mapping[str, str],
                    ) -> Callable[[str], object]:
    if kind == EMAILS:
        return email_address
    if kind == INTEGRATIONS:
        return lambda item: _renamed(parse_integration(item), item_map)
    if field.name == "compliance":
        return lambda item: vocab.COMPLIANCE_SPELLINGS.get(vocab.value_key(item), item)
    if field.choices:
        table = {vocab.value_key(c): c for c in field.choices}
        table.update({k: v for k, v in vocab.DATA_CATEGORY_SYNONYMS.items()
                      if v in field.choices and k not in table})
        return lambda item: table.get(vocab.value_key(item))
    return lambda item: item


def parse_integration(item: str) -> Integration | None:
    """`System:direction[:async]` (or `System (direction)`) as an Integration; None if unreadable."""
    system, asynchronous = item.strip(), False
    bracketed = re.fullmatch(r"(.+?)\s*\(\s*([^()]+?)\s*\)", system)
    if bracketed and vocab.value_key(bracketed[2]) in vocab.DIRECTION_SYNONYMS:
        system = f"{bracketed[1]}:{bracketed[2]}"
    head, colon, tail = system.rpartition(":")
    if colon and vocab.value_key(tail) in vocab.ASYNC_WORDS:
        system, asynchronous = head, True
        head, colon, tail = system.rpartition(":")
    direction = None
    if colon:
        key = vocab.value_key(tail)
        if not key or key in vocab.DIRECTION_SYNONYMS:
            system, direction = head, vocab.DIRECTION_SYNONYMS.get(key)
        elif not (tail.startswith("//") or key.isdigit()):  # a URL or port stays in the name
            return None
    system = system.strip()
    if not system:
        return None
    return Integration(system=system, direction=direction, asynchronous=asynchronous)


def _renamed(integration: Integration | None, item_map: Mapping[str, str],
             ) -> Integration | None:
    """A value map may rename the system alone: "SFDC" → "Salesforce" keeps SFDC:read's direction."""
    if integration is None or not item_map:
        return integration
    system = item_map.get(integration.system.casefold())
    return replace(integration, system=system.strip()) if system else integration


# --- the converter for a field --------------------------------------------------------

def converter_for(field: Field, value_map: Mapping[str, str] | None = None,
                  date_order: str = DMY, date1904: bool = False) -> Converter:
    """The converter of one field, with the user's value map taking precedence."""
    value_map = {str(k).strip().casefold(): str(v) for k, v in (value_map or {}).items()}
    core = _core(field, value_map, date_order, date1904)
    return _with_blanks(core, value_map, skip_unknown_words=field.kind == BOOL)


def _core(field: Field, value_map: dict[str, str], date_order: str,
          date1904: bool) -> Converter:
    kind = field.kind
    if kind == TEXT:
        return _single_email if field.name in EMAIL_TEXT_FIELDS else _text
    if kind in (LIST, EMAILS, INTEGRATIONS):
        return _list_of(field, value_map, kind)
    simple = {INT: _count, TIER: _tier, BOOL: _yes_no}
    if kind in simple:
        return simple[kind]
    if kind == ENUM:
        return _enum(field)
    if kind == DATE:
        return _date(date_order, date1904)
    raise ValueError(f"unknown field kind {kind!r} for {field.name}")


def _with_blanks(core: Converter, value_map: dict[str, str],
                 skip_unknown_words: bool) -> Converter:
    """Blanks, "n/a" and Excel errors become unknown; a value map replaces the cell first."""
    def convert(raw: object) -> object:
        if raw is None:
            return None
        if value_map:
            mapped = value_map.get(cell_text(raw).strip().casefold())
            if mapped is not None:
                raw = mapped
        if raw.__class__ is not str:
            return core(raw)
        text = raw.strip()
        folded = text.casefold()
        if not text:
            return None
        if folded in vocab.EXCEL_ERRORS:
            return CellIssue(None, f"the cell holds the Excel error {text}; read as unknown",
                             WARNING)
        if folded in vocab.UNKNOWN_WORDS and not (skip_unknown_words
                                                  and folded in vocab.NO_WORDS):
            return None
        return core(text)
    return convert

