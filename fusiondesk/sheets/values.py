"""Converters from one raw cell to one canonical value, one per field kind.

A converter takes a raw cell (str, int, float, bool, date, datetime, time, timedelta or
None) and returns the canonical value, or a `CellIssue` carrying the value to keep and
a message. Converters are pure, so `normalise.Normaliser` can memoise them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Mapping

from fusiondesk.core.fields import (
    BOOL,
    DATE,
    EMAILS,
    ENUM,
    INT,
    INTEGRATIONS,
    LIST,
    TEXT,
    TIER,
    Field,
)
from fusiondesk.sheets import vocabulary as vocab
from fusiondesk.sheets.cells import MAP_HINT, CellIssue, cell_text, email_address, unreadable
from fusiondesk.sheets.dates import (
    DMY,
    date_from_serial,
    parse_date_text,
    serial_warning,
)
from fusiondesk.sheets.items import Converter, list_converter, owner_reference
from fusiondesk.sheets.problems import WARNING

# Person fields of kind text that hold one email address: the key of a person.
EMAIL_TEXT_FIELDS = frozenset({"email", "manager_email"})

__all__ = ["CellIssue", "Converter", "cell_text", "converter_for", "parse_count"]


# --- text ---------------------------------------------------------------------------

def _text(raw: object) -> object:
    return raw if raw.__class__ is str else cell_text(raw)


def _single_email(raw: object) -> object:
    address = email_address(cell_text(raw))
    if address:
        return address
    return unreadable(raw, "is not an email address; write the full address, "
                            f"e.g. name@example.com, {MAP_HINT}")


def _manager(raw: object) -> object:
    # Directories often give the manager by display name: kept as a name here, matched
    # to the one person who has it when the import is planned (see import_people).
    address = email_address(cell_text(raw))
    if address:
        return address
    name = owner_reference(cell_text(raw))
    if name:
        return name
    return unreadable(raw, "is neither an e-mail address nor a person's name; write the "
                           f"manager's e-mail, e.g. name@example.com, {MAP_HINT}")


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
        return unreadable(raw, "is not a number; write a whole number such as 1200")
    if isinstance(raw, (int, float)):
        return _count_of_number(raw)
    try:
        number, warning = parse_count(raw)
    except ValueError as error:
        return unreadable(raw, f"{error}, {MAP_HINT}")
    return CellIssue(number, warning, WARNING) if warning else number


def _count_of_number(raw: int | float) -> object:
    if raw < 0:
        return unreadable(raw, "is negative; a count cannot be below zero")
    if raw.__class__ is float and not raw.is_integer():
        return unreadable(raw, "is not a whole number; write a count such as 120")
    return int(raw)


_TIER_TEXT = re.compile(r"(?:tier|level|t)?\s*[-:]?\s*([1-4])(?:\.0)?", re.I)


def _tier(raw: object) -> object:
    text = cell_text(raw)
    match = _TIER_TEXT.fullmatch(text.strip()) if raw.__class__ is not bool else None
    if match:
        return int(match[1])
    return unreadable(raw, f"is not a tier; use 1, 2, 3 or 4, {MAP_HINT}")


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
    return unreadable(raw, f"is not yes or no; write Yes or No, {MAP_HINT}")


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
        return unreadable(raw, f"is not a known {field.label.lower()}; use one of "
                                f"{allowed}, {MAP_HINT}")
    return convert


# --- dates ---------------------------------------------------------------------------

def _date(order: str, date1904: bool, settled: bool = False) -> Converter:
    def convert(raw: object) -> object:
        if raw.__class__ is datetime:
            return raw.date()
        if raw.__class__ is date:
            return raw
        if raw.__class__ in (int, float):
            return _date_of_serial(raw, date1904)
        if raw.__class__ is not str:
            return unreadable(raw, "is not a date; write it as 2025-04-03")
        try:
            day, warning = parse_date_text(raw, order, date1904)
        except ValueError as error:
            return unreadable(raw, f"{error}, {MAP_HINT}")
        if warning and not (settled and warning.startswith("ambiguous")):
            return CellIssue(day, warning, WARNING)
        return day
    return convert


def _date_of_serial(serial: float, date1904: bool) -> object:
    try:
        day = date_from_serial(serial, date1904)
    except ValueError as error:
        return unreadable(serial, f"{error}; write the date as 2025-04-03")
    warning = serial_warning(serial, day)
    return CellIssue(day, warning, WARNING) if warning else day


# --- the converter for a field --------------------------------------------------------

def converter_for(field: Field, value_map: Mapping[str, str] | None = None,
                  date_order: str = DMY, date1904: bool = False,
                  order_settled: bool = False, literal_text: bool = False) -> Converter:
    """The converter of one field, with the user's value map taking precedence.

    With `order_settled`, the date order is known (the column's own values or the
    source's profile say it), so ambiguous dates are read without a warning.
    """
    value_map = {str(k).strip().casefold(): str(v) for k, v in (value_map or {}).items()}
    core = _core(field, value_map, date_order, date1904, order_settled)
    return _with_blanks(core, value_map, skip_unknown_words=field.kind == BOOL,
                        literal=literal_text and field.kind == TEXT)


def _core(field: Field, value_map: dict[str, str], date_order: str,
          date1904: bool, order_settled: bool = False) -> Converter:
    kind = field.kind
    if kind == TEXT:
        if field.name == "manager_email":
            return _manager
        return _single_email if field.name in EMAIL_TEXT_FIELDS else _text
    if kind in (LIST, EMAILS, INTEGRATIONS):
        return list_converter(field, value_map, kind)
    simple = {INT: _count, TIER: _tier, BOOL: _yes_no}
    if kind in simple:
        return simple[kind]
    if kind == ENUM:
        return _enum(field)
    if kind == DATE:
        return _date(date_order, date1904, order_settled)
    raise ValueError(f"unknown field kind {kind!r} for {field.name}")


def _with_blanks(core: Converter, value_map: dict[str, str],
                 skip_unknown_words: bool, literal: bool = False) -> Converter:
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
        if not text:
            return None
        if not literal and text[0] in _SPECIAL_FIRST:  # most cells can be neither "n/a" nor "#REF!"
            special = _special(text, skip_unknown_words)
            if special is not _ORDINARY:
                return special
        return core(text)
    return convert


_ORDINARY = object()
_SPECIAL_FIRST = frozenset(
    ch for word in vocab.UNKNOWN_WORDS | vocab.EXCEL_ERRORS for ch in (word[0], word[0].upper()))


def _special(text: str, skip_unknown_words: bool) -> object:
    folded = text.casefold()
    if folded in vocab.EXCEL_ERRORS:
        return CellIssue(None, f"the cell holds the Excel error {text}; read as unknown",
                         WARNING)
    if folded in vocab.UNKNOWN_WORDS and not (skip_unknown_words and folded in vocab.NO_WORDS):
        return None
    return _ORDINARY
