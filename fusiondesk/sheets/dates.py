"""Dates as inventories write them: Excel serials, ISO text, 03/04/2025, 3 Apr 2025."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterable

DMY, MDY = "dmy", "mdy"
DATE_ORDERS = (DMY, MDY)

# Excel's 1900 system counts a 29 February 1900 that never was (Lotus 1-2-3 compatibility),
# so serials from 61 on are one day ahead of a plain count from 31 December 1899.
_BASE_1900_EARLY = date(1899, 12, 31)
_BASE_1900 = date(1899, 12, 30)
_BASE_1904 = date(1904, 1, 1)
_FICTITIOUS_LEAP_DAY = 60
_MAX_SERIAL_1900 = 2_958_465  # 31 December 9999

_MONTHS = {
    name: number
    for number, names in enumerate((
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
        ("dec", "december"),
    ), start=1)
    for name in names
}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

# An optional time of day after the date: " 10:15", "T10:15:00Z", " 3:30 pm".
_TIME = (r"(?:[ T,]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
         r"\s*(?:z|[+-]\d{2}:?\d{2})?)?")
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME, re.I)
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME, re.I)
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/.]*([a-z]{3,9})\.?,?[\s\-/.]+(\d{4}|\d{2})" + _TIME,
    re.I)
_MONTH_DAY_YEAR = re.compile(
    r"([a-z]{3,9})\.?[\s\-/.]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]+(\d{4}|\d{2})" + _TIME, re.I)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")
_WEEKDAY = re.compile(r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.I)

_EARLIEST_PLAUSIBLE_YEAR = 1970


def date_from_serial(serial: float, date1904: bool = False) -> date:
    """The date of an Excel serial number in the 1900 or 1904 date system."""
    days = int(serial)
    if date1904:
        if days < 0 or days > _MAX_SERIAL_1900 - 1462:
            raise ValueError("is outside the range of Excel dates")
        return _BASE_1904 + timedelta(days=days)
    if days < 1 or days > _MAX_SERIAL_1900:
        raise ValueError("is outside the range of Excel dates")
    if days == _FICTITIOUS_LEAP_DAY:
        raise ValueError("is Excel's non-existent 29 February 1900")
    base = _BASE_1900_EARLY if days < _FICTITIOUS_LEAP_DAY else _BASE_1900
    return base + timedelta(days=days)


def spell_date(day: date) -> str:
    """A date as people read it: "3 April 2025"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def serial_warning(serial: float, day: date) -> str | None:
    """A warning when a number read as an Excel date gives an implausibly early year."""
    if day.year >= _EARLIEST_PLAUSIBLE_YEAR:
        return None
    number = int(serial) if float(serial).is_integer() else serial
    return (f"read the number {number} as the Excel date {spell_date(day)}; "
            "check that this column holds dates")


def parse_date_text(text: str, order: str = DMY, date1904: bool = False,
                    ) -> tuple[date, str | None]:
    """A date written as text, and a warning when it was ambiguous; ValueError if unreadable."""
    text = _WEEKDAY.sub("", text.strip(), count=1) if text[:1].isalpha() else text.strip()
    for parse in (_year_first, _numeric, _day_month_year, _month_day_year, _compact):
        found = parse(text, order)
        if found:
            return found
    if _SERIAL.fullmatch(text):
        day = date_from_serial(float(text), date1904)
        return day, serial_warning(float(text), day)
    raise ValueError("is not a date FusionDesk can read; write it as 2025-04-03")


def settled_order(texts: Iterable[object]) -> str | None:
    """The day/month order a column's own values prove, or None if none (or both) do.

    One "25/03/2025" settles a column as day first: its "03/04/2025" is then 3 April,
    not a guess to warn about on every row.
    """
    seen = set()
    for text in texts:
        match = _NUMERIC.fullmatch(text.strip()) if text.__class__ is str else None
        if match:
            first, second = int(match[1]), int(match[2])
            if first > 12 >= second:
                seen.add(DMY)
            elif second > 12 >= first:
                seen.add(MDY)
    return seen.pop() if len(seen) == 1 else None


def _year_first(text: str, order: str) -> tuple[date, None] | None:
    match = _YEAR_FIRST.fullmatch(text)
    if not match:
        return None
    year, month, day = map(int, match.groups())
    return _make(year, month, day), None


def _numeric(text: str, order: str) -> tuple[date, str | None] | None:
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    first, second, year = int(match[1]), int(match[2]), _full_year(match[3])
    day, month = (first, second) if order == DMY else (second, first)
    if month > 12 and day <= 12:
        # Only the other order makes a date, so the text is not ambiguous.
        day, month = month, day
        return _make(year, month, day), None
    parsed = _make(year, month, day)
    if first != second and first <= 12 and second <= 12:
        how = "day/month" if order == DMY else "month/day"
        return parsed, (f"ambiguous date, read as {spell_date(parsed)} ({how}); "
                        "set the date order if wrong")
    return parsed, None


def _day_month_year(text: str, order: str) -> tuple[date, None] | None:
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if not match or match[2].casefold() not in _MONTHS:
        return None
    month = _MONTHS[match[2].casefold()]
    return _make(_full_year(match[3]), month, int(match[1])), None


def _month_day_year(text: str, order: str) -> tuple[date, None] | None:
    match = _MONTH_DAY_YEAR.fullmatch(text)
    if not match or match[1].casefold() not in _MONTHS:
        return None
    month = _MONTHS[match[1].casefold()]
    return _make(_full_year(match[3]), month, int(match[2])), None


def _compact(text: str, order: str) -> tuple[date, None] | None:
    match = _COMPACT.fullmatch(text)
    if not match or not 1900 <= int(match[1]) <= 2100:
        return None
    year, month, day = map(int, match.groups())
    return _make(year, month, day), None


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years: 00-69 are this century, 70-99 the last (the usual pivot).
        return 2000 + year if year < 70 else 1900 + year
    return year


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("is not a real calendar date; check the day and month") from None
