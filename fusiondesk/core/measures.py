"""The portfolio's ownership measures, each defined once.

The Dashboard, the Ownership page, the command line and the audit workbook all count
with these, so a figure never differs between them: apps with no active owner and
single-owner apps are counted among the apps in service (a retired app needs no owner),
the abandonment rate is DOMAIN's (below), an upcoming leaver is someone marked
leaving whose leave date is today or within the window (never someone already gone), and
a review is overdue while it is open after its due day.

Who counts as an active owner is decided here once (`active_keepers`): the warning signs
`builder_gone` and `single_owner`, the Ownership page, the handover plan and every count
of them follow it.

The abandonment rate (DOMAIN.md, "Teams own apps"): of the apps in service that a builder
who has left built or owned (as primary, co-owner or pro-dev partner, as a member of an
owning team, or as the leaver of a handover plan), the share left with no active owner.
Each such app is counted in the quarter of its builder's leave date (the latest, when
several left); a mature programme keeps it under 10%.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from fusiondesk.core.terms import ACTIVE_STATUSES, Lifecycle, OwnerRole, PersonStatus, values_of

if TYPE_CHECKING:
    from fusiondesk.core.facts import Owner

ABANDONMENT_TARGET = 0.10  # mature programmes keep apps with no active owner under 10%
LEAVER_HORIZON_DAYS = 90  # how far ahead "upcoming" leavers are looked for
# The roles that build and can fix an app; a business owner does not build, so does not count.
MAINTAINER_ROLES = frozenset(values_of((OwnerRole.PRIMARY, OwnerRole.CO_OWNER,
                                        OwnerRole.PRODEV_PARTNER)))
_ACTIVE = frozenset(ACTIVE_STATUSES)
UNDATED = "undated"  # the quarter of a builder who left with no leave date recorded


def in_service(lifecycle: str | None) -> bool:
    """Whether an app counts in the ownership measures (every app but a retired one)."""
    return lifecycle != Lifecycle.RETIRED


def active_keepers(owners: Iterable[Owner]) -> set[str]:
    """The people who can still fix an app, each once: THE "active owner" rule.

    A person owner counts when they build it (primary, co-owner, pro-dev partner) and are
    still with the organisation (active or leaving: a leaver keeps the app until they go;
    the handover plans what follows). A team, in whatever role, counts as its members do:
    each active member is one keeper. So an app with no keeper has no active owner (a team
    whose members all left, or that has none recorded, is orphaned); an app with exactly
    one depends on a single person, whether that person owns it alone or is the only
    active member of its team; a team with two or more active members is no single point
    of failure.
    """
    # Runs for every app a classification sees (100,000 at a time): no property calls.
    found: set[str] = set()
    for owner in owners:
        if owner.team:
            found.update(key for key, status in owner.members if status in _ACTIVE)
        elif owner.status in _ACTIVE and owner.role in MAINTAINER_ROLES:
            found.add(owner.email or owner.name or "")
    return found


@dataclass(frozen=True, slots=True)
class DepartedApp:
    """An app in service that a builder who has left built or owned."""

    app_id: str
    left_on: date | None  # their leave date (the latest, when several builders left)
    has_active_owner: bool


@dataclass(frozen=True, slots=True)
class Abandonment:
    """Departed builders' apps left with no active owner, over all their apps."""

    numerator: int  # of those apps, the ones with no active owner
    denominator: int  # apps in service a builder who left built or owned
    by_quarter: tuple[tuple[str, int, int], ...] = ()  # ("2026-Q3", numerator, denominator)

    @property
    def rate(self) -> float:
        """The share (0 when no builder has left)."""
        return self.numerator / self.denominator if self.denominator else 0.0

    @property
    def within_target(self) -> bool:
        """True when under the 10% a mature programme keeps."""
        return within_abandonment_target(self.rate)

    def explained(self) -> str:
        """The figure with its numerator and denominator, as a hover shows it."""
        return (f"{self.numerator:,} of {self.denominator:,} apps of builders who left have no "
                f"active owner ({self.rate:.1%}; target under {ABANDONMENT_TARGET:.0%})")


def abandonment_rate(departed: Iterable[DepartedApp]) -> Abandonment:
    """DOMAIN's abandonment rate, overall and per quarter of the builders' leave dates."""
    quarters: dict[str, list[int]] = {}
    orphaned = total = 0
    for app in departed:
        counts = quarters.setdefault(quarter_of(app.left_on), [0, 0])
        counts[1] += 1
        total += 1
        if not app.has_active_owner:
            counts[0] += 1
            orphaned += 1
    ordered = sorted(quarters.items(), key=lambda kv: (kv[0] == UNDATED, kv[0]))
    return Abandonment(orphaned, total, tuple((q, n, d) for q, (n, d) in ordered))


def quarter_of(day: date | None) -> str:
    """'2026-Q3' for a day in July to September 2026; UNDATED for no day."""
    return UNDATED if day is None else f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def within_abandonment_target(rate: float) -> bool:
    """True when the abandonment rate is under the 10% a mature programme keeps."""
    return rate < ABANDONMENT_TARGET


def leaver_window(today: date) -> tuple[date, date]:
    """The first and last leave date (both inclusive) of an upcoming leaver."""
    return today, today + timedelta(days=LEAVER_HORIZON_DAYS)


def is_upcoming_leaver(status: str | None, leave_date: date | None, today: date) -> bool:
    """Marked leaving, with a leave date today or later within the window."""
    first, last = leaver_window(today)
    return status == PersonStatus.LEAVING and leave_date is not None and first <= leave_date <= last


def is_overdue_review(due: date | None, completed: date | None, today: date) -> bool:
    """An open review whose due day has passed (due today is not yet overdue)."""
    return completed is None and due is not None and due < today
