"""Portfolio-level ownership measures: how exposed the portfolio is to people leaving.

DOMAIN.md's measures: apps that depend on a single person (one active person
maintains them, alone or as the only active member of their team), apps with no
active owner (a team counts only while a member is active), people's load
against their capacity, and the citizen-to-pro-dev ratio per department (4–8
when mature, 2–3 in a pilot).

Retired apps are left out of the dependency and abandonment figures: nobody needs
to maintain them, so counting them would only blur the rate. They still count in
a person's load, as the People page counts them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from fusiondesk.core.facts import AppFacts, PersonFacts
from fusiondesk.core.measures import Abandonment, active_keepers, in_service
from fusiondesk.core.terms import PersonRole, PersonStatus, is_active_status

RATIO_TARGET = (4, 8)
PILOT_RATIO = (2, 3)
NO_DEPARTMENT = "(no department)"
_BUILDERS = (PersonRole.CITIZEN_DEVELOPER, PersonRole.PRO_DEVELOPER)
WITHIN, BELOW, ABOVE, NO_PRODEV = "within", "below", "above", "no_pro_developer"
RATIO_VERDICTS = {
    WITHIN: "within the 4–8 target",
    BELOW: "below 4: pro-devs are under-used, or a pilot (2–3)",
    ABOVE: "above 8: pro-devs are stretched",
    NO_PRODEV: "no pro-developer to partner with",
}


@dataclass(frozen=True, slots=True)
class AppOwnership:
    """An app listed on the ownership page, with who maintains it."""

    app_id: str
    name: str
    department: str | None
    maintainers: tuple[str, ...]  # active maintainers' e-mails (or team names)


@dataclass(frozen=True, slots=True)
class PersonLoad:
    """How many apps a person owns against how many they can."""

    email: str
    name: str | None
    department: str | None
    role: str | None
    status: str | None
    apps_owned: int
    capacity: int | None

    @property
    def over_capacity(self) -> bool:
        """True when they own more apps than their capacity."""
        return self.capacity is not None and self.apps_owned > self.capacity

    @property
    def load(self) -> float | None:
        """Apps owned as a share of capacity (None when capacity is unknown)."""
        if self.capacity is None:
            return None
        if self.capacity == 0:  # any app at all is beyond a capacity of none
            return float("inf") if self.apps_owned else 0.0
        return self.apps_owned / self.capacity


@dataclass(frozen=True, slots=True)
class DepartmentRatio:
    """Citizen developers per pro-developer in one department."""

    department: str
    citizen_developers: int
    pro_developers: int

    @property
    def ratio(self) -> float | None:
        """Citizens per pro-dev (None when the department has no pro-dev)."""
        return self.citizen_developers / self.pro_developers if self.pro_developers else None

    @property
    def verdict(self) -> str:
        """within | below | above | no_pro_developer, against the 4–8 target."""
        ratio = self.ratio
        if ratio is None:
            return NO_PRODEV
        low, high = RATIO_TARGET
        return WITHIN if low <= ratio <= high else BELOW if ratio < low else ABOVE


@dataclass(frozen=True)
class OwnershipMeasures:
    """The ownership figures of a whole portfolio."""

    apps_counted: int  # apps not retired
    single_person_dependency: tuple[AppOwnership, ...]
    no_active_owner: tuple[AppOwnership, ...]
    people: tuple[PersonLoad, ...]
    departments: tuple[DepartmentRatio, ...]
    # DOMAIN's rate (departed builders' apps), counted from the store's history of who
    # left: the service fills it in (services.handover.abandonment).
    abandonment: Abandonment = Abandonment(0, 0)

    @property
    def over_capacity(self) -> tuple[PersonLoad, ...]:
        """People who own more apps than their capacity."""
        return tuple(p for p in self.people if p.over_capacity)


def ownership_measures(apps: Iterable[AppFacts], people: Iterable[PersonFacts]) -> OwnershipMeasures:
    """Single-person dependencies, abandonment, load against capacity and ratios per department."""
    apps = list(apps)
    counted = [a for a in apps if in_service(a.lifecycle)]
    single, orphaned = [], []
    for app in counted:
        keepers = active_keepers(app.owners)  # as the warning signs count them
        if not keepers:
            orphaned.append(_listed(app, ()))
        elif len(keepers) == 1:
            single.append(_listed(app, tuple(keepers)))
    people = list(people)
    return OwnershipMeasures(
        len(counted), _by_name(single), _by_name(orphaned),
        people_load(apps, people), department_ratios(people),
    )


def people_load(apps: Iterable[AppFacts], people: Iterable[PersonFacts]) -> tuple[PersonLoad, ...]:
    """Everyone who owns an app or has a capacity, most loaded first."""
    # People are counted by e-mail, or by name while their e-mail is not known.
    owned: Counter[str] = Counter()
    for app in apps:
        owned.update({o.key.lower() for o in app.owners if not o.team and o.key})
    loads = [PersonLoad(p.email or p.name, p.name, p.department, p.role, p.status,
                        owned.get((p.email or p.name).lower(), 0), p.capacity)
             for p in people if owned.get((p.email or p.name).lower()) or p.capacity is not None]
    return tuple(sorted(loads, key=_load_order))


def department_ratios(people: Iterable[PersonFacts]) -> tuple[DepartmentRatio, ...]:
    """Citizen developers and pro-developers still with the organisation, per department."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for person in people:
        if person.status != PersonStatus.LEFT and person.role in _BUILDERS:
            counts[person.department or NO_DEPARTMENT][person.role] += 1
    return tuple(DepartmentRatio(d, c[PersonRole.CITIZEN_DEVELOPER], c[PersonRole.PRO_DEVELOPER])
                 for d, c in sorted(counts.items(), key=lambda kv: kv[0].casefold()))


def _listed(app: AppFacts, maintainers: tuple[str, ...]) -> AppOwnership:
    return AppOwnership(app.app_id, app.name, app.department, maintainers)


def _by_name(apps: list[AppOwnership]) -> tuple[AppOwnership, ...]:
    return tuple(sorted(apps, key=lambda a: (a.name.casefold(), a.app_id)))


def _load_order(person: PersonLoad) -> tuple:
    # Over capacity first, then fullest; unknown capacity after every known one.
    load = person.load
    return (load is None, -(load or 0.0), -person.apps_owned, person.email)


# --- teams (DOMAIN.md, "Teams own apps") ---------------------------------------------

ORPHANED, SINGLE_MEMBER, AT_RISK, COVERED = "orphaned", "single_member", "at_risk", "covered"
TEAM_STANDINGS = {
    ORPHANED: "Orphaned: no active member",
    SINGLE_MEMBER: "One active member: a single point of failure",
    AT_RISK: "Every active member is leaving",
    COVERED: "Covered",
}


def team_standing(statuses: Iterable[str | None]) -> str:
    """How exposed a team's apps are, from its members' statuses.

    Counted as `core.measures.active_keepers` counts a team (a leaver is still active
    until they go), so "orphaned" here is "no active owner" on its apps and "single
    member" is their single-owner sign; "at risk" adds that everyone still active is
    leaving, so the team is orphaned on the last leave date unless someone joins.
    """
    active = [s for s in statuses if is_active_status(s)]
    if not active:
        return ORPHANED
    if len(active) == 1:
        return SINGLE_MEMBER
    return AT_RISK if all(s == PersonStatus.LEAVING for s in active) else COVERED
