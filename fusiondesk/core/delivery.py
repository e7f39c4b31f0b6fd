"""Delivery: solutions delivered per quarter and request-to-deployment lead time per tier.

DOMAIN.md's programme measures: the time from request to deployment, with a target of
2–4 weeks for Tier 1–2, and the solutions delivered each quarter. A quarter is written
as sponsors write it, `2026-Q3`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

TARGET_DAYS = (14, 28)  # 2–4 weeks, Tier 1–2
TARGET_TIERS = (1, 2)
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def quarter_of(day: date | None) -> str | None:
    """'2026-Q3' for a day in July to September 2026; None for no day."""
    return None if day is None else f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_quarter(text: str) -> tuple[date, date]:
    """The first and last day of a quarter written YYYY-Qn; ValueError saying how to write it."""
    found = _QUARTER.match(text or "")
    if not found:
        raise ValueError(f"'{text}' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q3")
    year, quarter = int(found[1]), int(found[2])
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def quarter_name(text: str) -> str:
    """A quarter as FusionDesk writes it ('2026q3' -> '2026-Q3')."""
    return quarter_of(parse_quarter(text)[0])


@dataclass(slots=True)
class Delivery:
    """Solutions delivered per quarter and lead times per tier, counted from grouped rows."""

    delivered_by_quarter: Counter = field(default_factory=Counter)
    lead_days_by_tier: dict[int | None, Counter] = field(default_factory=dict)
    backlog_items: int = 0  # IT backlog items absorbed by delivered solutions

    def add_delivered(self, quarter: str, apps: int, backlog_items: int = 0) -> None:
        """`apps` solutions deployed in `quarter`, `backlog_items` of them absorbing one."""
        self.delivered_by_quarter[quarter] += apps
        self.backlog_items += backlog_items

    def add_lead_time(self, tier: int | None, days: int, apps: int) -> None:
        """`apps` solutions of `tier` took `days` from request to deployment."""
        if days < 0:
            return  # deployed before requested: a data error, not a lead time
        counts = self.lead_days_by_tier.get(tier)
        if counts is None:
            counts = self.lead_days_by_tier[tier] = Counter()
        counts[days] += apps

    @property
    def solutions_delivered(self) -> int:
        """Every solution counted as delivered."""
        return sum(self.delivered_by_quarter.values())

    def median_lead_days(self) -> dict[int | None, float]:
        """The median lead time in days of each tier that has one."""
        return {tier: median(days) for tier, days in sorted(
            self.lead_days_by_tier.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
            if days}

    def within_target(self) -> tuple[int, int]:
        """(Tier 1–2 solutions delivered within 4 weeks, Tier 1–2 solutions with a lead time)."""
        counted = Counter()
        for tier in TARGET_TIERS:
            counted.update(self.lead_days_by_tier.get(tier, Counter()))
        within = sum(n for days, n in counted.items() if days <= TARGET_DAYS[1])
        return within, sum(counted.values())


def median(counts: Counter) -> float:
    """The median of values given with how often each occurs (the mean of the two middles)."""
    total = sum(counts.values())
    if not total:
        raise ValueError("no values")
    low, high = (total + 1) // 2, total // 2 + 1
    seen, found = 0, []
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen >= (low, high)[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def lead_time_reason(tier: int | None, days: Counter) -> str:
    """Why a tier's median lead time reads as it does, against the target where one applies."""
    name = f"Tier {tier}" if tier else "Unclassified"
    total = sum(days.values())
    text = f"{name}: median of {total:,} solutions with both a request and a deployment date"
    if tier in TARGET_TIERS:
        within = sum(n for d, n in days.items() if d <= TARGET_DAYS[1])
        text += (f"; {within:,} ({within / total:.0%}) within the "
                 f"{TARGET_DAYS[0] // 7}–{TARGET_DAYS[1] // 7} week target")
    return text + "."
