"""Plain value objects for what the portfolio knows about an app and a person.

`None` always means *unknown* (a blank cell, a field never filled in); an empty
tuple means *known to be none*. The core never learns where facts came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True, slots=True)
class Integration:
    """A system an app connects to, and how.

    `approved`, `external_api` and `enterprise` are what the record says; None means
    the record does not say, and the policy's lists decide.
    """

    system: str
    direction: str | None = None  # read | write | bidirectional | None (unknown)
    approved: bool | None = None
    external_api: bool | None = None
    enterprise: bool | None = None
    asynchronous: bool = False  # event-driven / queued sync

    def to_text(self) -> str:
        """The flat-sheet form, `System:direction`."""
        return f"{self.system}:{self.direction}" if self.direction else self.system


@dataclass(frozen=True, slots=True)
class Owner:
    """One ownership of an app: a person (by email) or a team, in a role."""

    role: str  # primary | co_owner | business_owner | prodev_partner
    email: str | None = None
    team: str | None = None
    status: str | None = None  # the person's status; a team is always active
    person_role: str | None = None  # citizen_developer | pro_developer | ...

    @property
    def is_active(self) -> bool:
        """A person who left (or is unknown) never counts; a team always does."""
        if self.team:
            return True
        return self.status in ("active", "leaving")


@dataclass(frozen=True, slots=True)
class AppFacts:
    """Everything classification, flags and handover need to know about one app."""

    app_id: str
    name: str
    description: str | None = None
    platform: str | None = None
    environment: str | None = None
    lifecycle: str | None = None
    department: str | None = None
    scope: str | None = None
    users: int | None = None
    data_sensitivity: str | None = None
    data_categories: tuple[str, ...] | None = None
    compliance: tuple[str, ...] | None = None
    integrations: tuple[Integration, ...] | None = None
    criticality: str | None = None
    calc_complexity: str | None = None
    custom_code: bool | None = None
    support: str | None = None
    dr_plan: bool | None = None
    doc_functional: bool | None = None
    doc_data_sources: bool | None = None
    doc_logic: bool | None = None
    owners: tuple[Owner, ...] = ()
    created: date | None = None
    last_modified: date | None = None
    last_used: date | None = None
    approved_tier: int | None = None
    last_review: date | None = None
    users_at_last_review: int | None = None
    requested_on: date | None = None
    deployed_on: date | None = None
    notes: str | None = None
    # Derived from the review schedule (issue 7); None when nothing is scheduled.
    next_review_due: date | None = None

    def with_changes(self, **changes) -> "AppFacts":
        """A copy with some facts changed."""
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """A person who can own, build or review apps."""

    email: str
    name: str | None = None
    department: str | None = None
    role: str | None = None
    certification: str | None = None
    certified_platforms: tuple[str, ...] = field(default=())
    status: str | None = "active"
    leave_date: date | None = None
    manager_email: str | None = None
    capacity: int | None = None
