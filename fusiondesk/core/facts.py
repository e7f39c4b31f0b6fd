"""Plain value objects for what the portfolio knows about an app and a person.

`None` always means *unknown* (a blank cell, a field never filled in); an empty
tuple means *known to be none*. The core never learns where facts came from.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, make_dataclass, replace
from datetime import date
from itertools import repeat
from operator import call

from fusiondesk.core.fields import APP_FIELDS, BOOL, DATE, ENUM, INT, LIST, OWNER_FIELDS, TEXT, TIER
from fusiondesk.core.terms import PersonStatus, is_active_status


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
        """The flat-sheet form: `System:direction`, then what is known of the connector.

        E.g. `SAP:write:approved:internal:enterprise` or `Stripe:write:external:async`;
        an attribute the record does not know is left out, so a plain `SAP:write` still
        reads back as it was written.
        """
        parts = [self.system, self.direction or ""] if self.direction else [self.system]
        for known, yes, no in ((self.approved, "approved", "unapproved"),
                               (self.external_api, "external", "internal"),
                               (self.enterprise, "enterprise", "non-enterprise")):
            if known is not None:
                parts.append(yes if known else no)
        if self.asynchronous:
            parts.append("async")
        return ":".join(parts)


# The qualifier words of the flat-sheet form, and the attribute each one sets.
INTEGRATION_QUALIFIERS: dict[str, tuple[str, object]] = {
    "approved": ("approved", True), "unapproved": ("approved", False),
    "external": ("external_api", True), "internal": ("external_api", False),
    "enterprise": ("enterprise", True), "non-enterprise": ("enterprise", False),
    "nonenterprise": ("enterprise", False), "async": ("asynchronous", True),
}


def split_qualifiers(text: str) -> tuple[str, dict[str, object]]:
    """`SAP:write:approved:async` → ('SAP:write', {'approved': True, 'asynchronous': True})."""
    found: dict[str, object] = {}
    head = text.strip()
    while ":" in head:
        rest, _, word = head.rpartition(":")
        known = INTEGRATION_QUALIFIERS.get(word.strip().lower())
        if known is None:
            break
        found.setdefault(known[0], known[1])
        head = rest
    return head, found


@dataclass(frozen=True, slots=True)
class Owner:
    """One ownership of an app: a person (by email) or a team, in a role.

    A person a platform export names only by display name has no e-mail yet: `name`
    identifies them until the directory fills the e-mail in.
    """

    role: str  # primary | co_owner | business_owner | prodev_partner
    email: str | None = None
    team: str | None = None
    status: str | None = None  # the person's status; a team is always active
    person_role: str | None = None  # citizen_developer | pro_developer | ...
    name: str | None = None  # only for a person without an e-mail
    # What counts of their certifications (core.certification.standing), None when unknown;
    # read from the store for the qualification flag, never part of who the owner is.
    certificates: tuple | None = field(default=None, compare=False)
    # A team's members as (e-mail or name, status): the team is only as active as they are.
    members: tuple[tuple[str, str | None], ...] = ()

    @property
    def key(self) -> str | None:
        """Who this owner is: the person's e-mail, else their name, else the team."""
        return self.email or self.name or self.team

    @property
    def is_active(self) -> bool:
        """A person who left (or is unknown) never counts; a team counts while a member does."""
        if self.team:
            return any(is_active_status(status) for _, status in self.members)
        return is_active_status(self.status)


@dataclass(frozen=True, slots=True)
class DeclaredAppFacts:
    """Everything classification, flags and handover need to know about one app.

    The facts a rule reads are declared here with their types. `AppFacts` (below) adds
    every other canonical field of the registry, so a new field is carried from sheet to
    store to editor before any rule reads it; the rule that comes to read it declares it here.
    """

    app_id: str
    name: str
    description: str | None = None
    platform: str | None = None
    kind: str | None = None  # canvas_app | cloud_flow | agent | ... (fields.KINDS)
    licence: str | None = None  # the plan as written: "Standard", "Premium", "Per app"
    environment: str | None = None
    environment_type: str | None = None  # default | sandbox | production | ...
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
    # Derived from the reviews: a production-readiness review was passed (approved, with
    # or without conditions). False when none was; the production gate reads it.
    readiness_passed: bool = False
    # Derived from the people (issue 17): the one person `deployed_by` names (their e-mail,
    # else their name, as an Owner's key) and that person's role; None when the field is
    # blank or names nobody known, or several people. The production gate reads them.
    deployer: str | None = None
    deployer_role: str | None = None

    def with_changes(self, **changes) -> "AppFacts":
        """A copy with some facts changed."""
        return replace(self, **changes)


# The type of a fact of each registry kind; None (unknown) is always allowed as well.
FACT_TYPES: dict[str, object] = {
    TEXT: str, ENUM: str, INT: int, TIER: int, DATE: date, BOOL: bool, LIST: tuple[str, ...],
}


def _undeclared_facts() -> list[tuple[str, object, object]]:
    """The registry's app fields no rule declares yet, as dataclass fields defaulting to unknown."""
    declared = {f.name for f in fields(DeclaredAppFacts)}
    return [(f.name, FACT_TYPES[f.kind] | None, field(default=None)) for f in APP_FIELDS
            if f.name not in declared and f.name not in OWNER_FIELDS]


AppFacts = make_dataclass(
    "AppFacts", _undeclared_facts(), bases=(DeclaredAppFacts,), frozen=True, slots=True,
    namespace={"__module__": __name__,  # so pickling (worker processes) finds it here
               "__doc__": "An app's facts: the declared ones, then the registry's other fields."},
)

# A frozen dataclass's __init__ sets each of its 45 fields through object.__setattr__:
# 9 µs an app, a tenth of listing 100,000 apps. Facts made in bulk set the slots directly.
_FACT_SLOTS = tuple(getattr(AppFacts, f.name).__set__ for f in fields(AppFacts))
_new = object.__new__


def facts_of_columns(*columns: Iterable) -> Iterator[AppFacts]:
    """AppFacts(*values) for each position of `columns` side by side (one column per field,
    every field, in field order), made a third as fast as calling AppFacts."""
    if len(columns) != len(_FACT_SLOTS):
        raise TypeError(f"AppFacts has {len(_FACT_SLOTS)} fields, not {len(columns)}")
    return map(_facts_of_values, *columns)


def _facts_of_values(*values) -> AppFacts:
    facts = _new(AppFacts)
    deque(map(call, _FACT_SLOTS, repeat(facts), values), maxlen=0)  # a loop in C
    return facts


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """A person who can own, build or review apps (known by e-mail, or by name until then)."""

    email: str | None
    name: str | None = None
    department: str | None = None
    role: str | None = None
    certification: str | None = None
    certified_platforms: tuple[str, ...] = field(default=())
    status: str | None = PersonStatus.ACTIVE
    leave_date: date | None = None
    manager_email: str | None = None
    capacity: int | None = None
