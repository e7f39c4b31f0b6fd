"""Planning what happens to every app a leaver owns, so no app is orphaned.

DOMAIN.md's "Ownership handover", step by step: an app another active owner or
team already maintains is covered (that owner is promoted; a team covers only while a
member who is staying is in it, and a leaver who is the last such member of an owning
team is handed that team's apps: the team needs a new member, or the app a new owner); every app is triaged
(urgent / normal / archive candidate) and given an action (migrate to pro-dev
ownership, reassign to a citizen developer, or name a new business owner);
successors are ranked with reasons (`successors.py`); each app gets a checklist
due before the leave date.

Apps are handed out most urgent first, across every leaver planned together, so
when capacity runs short it is the archive candidates that wait, and nobody is
proposed more apps than they have room for. The plan is deterministic: the same
portfolio always gives the same plan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Iterable, Mapping, Sequence

from fusiondesk.core.facts import AppFacts, Owner, PersonFacts
from fusiondesk.core.ownership import OwnershipMeasures, ownership_measures
from fusiondesk.core.policy import Policy
from fusiondesk.core.successors import (
    MIGRATE_TO_PRODEV,
    NAME_BUSINESS_OWNER,
    REASSIGN_TO_CITIZEN,
    Candidate,
    Need,
    SuccessorPool,
)
from fusiondesk.core.terms import (
    CRITICAL,
    Complexity,
    Lifecycle,
    OwnerRole,
    PersonStatus,
    PlanStatus,
    Triage,
    is_staying,
)
from fusiondesk.core.tiers import Classification, classify

__all__ = [  # the portfolio measures live in ownership.py and are offered here too
    "ARCHIVE_CANDIDATE", "CHECKLIST", "HandoverItem", "HandoverPlan", "NORMAL",
    "OwnershipMeasures", "URGENT", "Uncovered", "action_for", "due_date", "has_left",
    "leaver_role", "owned_counts", "ownership_measures", "plan_handover", "triage",
]

URGENT, NORMAL, ARCHIVE_CANDIDATE = Triage
TRIAGES = tuple(Triage)
PLANNED, IN_PROGRESS, DONE = PlanStatus
STATUSES = tuple(PlanStatus)
CHECKLIST: dict[str, str] = {
    "documentation_complete": "Documentation complete",
    "knowledge_transfer_held": "Knowledge-transfer session held",
    "platform_ownership_changed": "Ownership changed on the platform",
    "connections_reauthenticated": "Connections re-authenticated under the new owner",
    "business_owner_told": "Business owner told",
}
ACTION_LABELS = {MIGRATE_TO_PRODEV: "Migrate to pro-dev", REASSIGN_TO_CITIZEN: "Reassign to citizen",
                 NAME_BUSINESS_OWNER: "Name business owner"}
TRIAGE_LABELS = {URGENT: "Urgent", NORMAL: "Normal", ARCHIVE_CANDIDATE: "Archive candidate"}
LEAD_DAYS = 5  # the handover is due this many days before the leave date

# The leaver's most important role on an app is the one the successor takes.
ROLE_ORDER = (OwnerRole.PRIMARY, OwnerRole.CO_OWNER, OwnerRole.PRODEV_PARTNER,
              OwnerRole.BUSINESS_OWNER)
_BUILDER_ROLES = frozenset(ROLE_ORDER[:3])


@dataclass(frozen=True, slots=True)
class HandoverItem:
    """What happens to one app a leaver owns."""

    leaver: str
    app_id: str
    name: str
    tier: int
    role: str  # the leaver's role on the app, which the successor takes over
    triage: str
    triage_why: str
    action: str
    action_why: str
    covered_by: str | None  # an active owner (e-mail) or team (name) ALREADY on the app
    successor: str | None  # who takes the role: the promoted owner, or a proposal until accepted
    candidates: tuple[Candidate, ...]
    checklist: dict[str, bool]
    due: date
    uncovered_why: str | None = None


@dataclass(frozen=True, slots=True)
class Uncovered:
    """An app nobody could be proposed for, and why."""

    leaver: str
    app_id: str
    name: str
    why: str


@dataclass(frozen=True)
class HandoverPlan:
    """Every leaver's apps, what happens to each, and which could not be covered."""

    made_on: date
    leavers: tuple[PersonFacts, ...]
    items: tuple[HandoverItem, ...]
    uncovered: tuple[Uncovered, ...] = field(default=())

    def items_of(self, email: str) -> tuple[HandoverItem, ...]:
        """One leaver's items."""
        return self._by_leaver.get(email.lower(), ())

    @cached_property
    def _by_leaver(self) -> dict[str, tuple[HandoverItem, ...]]:
        grouped: dict[str, list[HandoverItem]] = defaultdict(list)
        for item in self.items:
            grouped[item.leaver].append(item)
        return {email: tuple(items) for email, items in grouped.items()}

    def uncovered_of(self, email: str) -> tuple[Uncovered, ...]:
        """One leaver's apps that nobody could take over."""
        return tuple(u for u in self.uncovered if u.leaver == email.lower())


@dataclass(slots=True)
class _Draft:
    """An item before its successor is chosen."""

    leaver: PersonFacts
    app: AppFacts
    tier: int
    role: str
    triage: str
    triage_why: str
    action: str
    action_why: str
    due: date


def plan_handover(leavers: list[PersonFacts], apps: list[AppFacts], people: list[PersonFacts],
                  policy: Policy, today: date,
                  classifications: Mapping[str, Classification] | None = None,
                  apps_owned: Mapping[str, int] | None = None,
                  certificates: Mapping[str, Sequence] | None = None) -> HandoverPlan:
    """Plan every app the leavers own; `apps_owned` (apps per e-mail) defaults to a count of `apps`."""
    # A handover is keyed by the leaver's e-mail: someone known only by name gets one
    # once their e-mail is filled in.
    known = [p for p in leavers if p.email]
    leaving = {p.email.lower(): p for p in sorted(known, key=lambda p: p.email.lower())}
    load = dict(apps_owned) if apps_owned is not None else owned_counts(apps)
    emails = set(leaving)
    pool = SuccessorPool(people, emails, load, certificates, today)
    owned = _owned_by(apps, emails)
    drafts = [_draft(leaver, app, policy, today, classifications or {})
              for email, leaver in leaving.items() for app in owned.get(email, ())]
    promised: dict[str, str] = {}  # app_id -> successor proposed earlier in this plan
    items = [_decide(d, pool, emails, promised) for d in sorted(drafts, key=_priority)]
    items.sort(key=_shown_order)
    uncovered = tuple(Uncovered(i.leaver, i.app_id, i.name, i.uncovered_why)
                      for i in items if i.uncovered_why)
    return HandoverPlan(today, tuple(leaving.values()), tuple(items), uncovered)


def owned_counts(apps: Iterable[AppFacts]) -> dict[str, int]:
    """How many apps each person owns, in any role (an app counts once per person)."""
    counts: Counter[str] = Counter()
    for app in apps:
        counts.update({o.email.lower() for o in app.owners if o.email})
    return dict(counts)


def due_date(leaver: PersonFacts, today: date) -> date:
    """When a leaver's handover must be done: before they go, never in the past."""
    if leaver.status == PersonStatus.LEFT or leaver.leave_date is None:
        return today  # gone already, or no date known: an unknown date is not a safe one
    return max(today, leaver.leave_date - timedelta(days=LEAD_DAYS))


def has_left(leaver: PersonFacts, today: date) -> bool:
    """True when the leaver is gone: marked left, or their leave date has passed."""
    return leaver.status == PersonStatus.LEFT or (
        leaver.leave_date is not None and leaver.leave_date <= today)


def leaver_role(app: AppFacts, email: str) -> str | None:
    """The most important role a person holds on an app, themselves or through a team they
    are the last active member of (None when they hold none)."""
    email = email.lower()
    roles = {o.role for o in app.owners if o.email and o.email.lower() == email}
    roles |= {o.role for o in app.owners if o.team and email in last_members(o, {email})}
    return next((role for role in ROLE_ORDER if role in roles), None)


def last_members(team: Owner, leavers: set[str]) -> set[str]:
    """The leavers (lower-case e-mails) a team's apps fall to: those in it when no member
    who is staying (active, not leaving) is left. A team with someone staying covers itself."""
    members = {key.lower(): status for key, status in team.members}
    if any(is_staying(status) and key not in leavers for key, status in members.items()):
        return set()
    return set(members) & leavers


def orphaning_team(app: AppFacts, email: str) -> str | None:
    """The team whose last active member `email` is, on this app (None when none)."""
    return next((o.team for o in app.owners
                 if o.team and email.lower() in last_members(o, {email.lower()})), None)


def triage(app: AppFacts, leaver: PersonFacts, policy: Policy, today: date) -> tuple[str, str]:
    """Urgent, normal or archive candidate, with why.

    A critical app is urgent used or not: archiving it is a decision someone must
    confirm, never a default. An unknown last-used date counts as in use.
    """
    idle = _idle(app, policy, today)
    if app.criticality in CRITICAL:
        if idle:
            return URGENT, f"{CRITICAL[app.criticality]}, though {idle}: someone must confirm it can go"
        return URGENT, f"{CRITICAL[app.criticality]} and in use"
    if idle:
        return ARCHIVE_CANDIDATE, idle
    if has_left(leaver, today):
        return URGENT, f"in use and {leaver.email} has already left"
    if app.last_used is None:
        return NORMAL, "in use (last use not recorded, so not assumed idle)"
    return NORMAL, f"in use (last used {app.last_used.isoformat()})"


def action_for(app: AppFacts, tier: int, role: str) -> tuple[str, str]:
    """The recommended action for an app, with why."""
    if role == OwnerRole.BUSINESS_OWNER:
        return NAME_BUSINESS_OWNER, "the leaver is its business owner, not a builder"
    reasons = [f"Tier {tier}"] if tier >= 3 else []
    if app.calc_complexity == Complexity.COMPLEX:
        reasons.append("complex calculations")
    if reasons:
        return MIGRATE_TO_PRODEV, f"{' and '.join(reasons)}: a pro-developer should own it"
    return REASSIGN_TO_CITIZEN, f"Tier {tier}: a trained or certified citizen developer can own it"


def first_checklist(app: AppFacts) -> dict[str, bool]:
    """A new checklist; documentation already complete on record is ticked."""
    documented = app.doc_functional is True and app.doc_data_sources is True and app.doc_logic is True
    return {key: key == "documentation_complete" and documented for key in CHECKLIST}


# --- steps -------------------------------------------------------------------------

def _owned_by(apps: Iterable[AppFacts], leavers: set[str]) -> dict[str, list[AppFacts]]:
    """Each leaver's apps, by app id (one pass over the apps, whoever many leave): those
    they own, and those of every team they are among the last active members of."""
    owned: dict[str, list[AppFacts]] = defaultdict(list)
    for app in apps:
        mine = {o.email.lower() for o in app.owners if o.email} & leavers
        for team in app.owners:
            if team.team:
                mine |= last_members(team, leavers)
        for email in mine:
            owned[email].append(app)
    return {email: sorted(mine, key=lambda a: a.app_id) for email, mine in owned.items()}


def _draft(leaver: PersonFacts, app: AppFacts, policy: Policy, today: date,
           classifications: Mapping[str, Classification]) -> _Draft:
    known = classifications.get(app.app_id)
    tier = known.tier if known is not None else classify(app, policy, today).tier
    role = leaver_role(app, leaver.email)
    triaged, triage_why = triage(app, leaver, policy, today)
    action, action_why = action_for(app, tier, role)
    team = orphaning_team(app, leaver.email)
    if team and not any(o.email and o.email.lower() == leaver.email.lower() for o in app.owners):
        action_why = (f"{leaver.email} is the last active member of team {team}: the team "
                      f"needs a new member, or the app a new owner; {action_why}")
    return _Draft(leaver, app, tier, role, triaged, triage_why, action, action_why,
                  due_date(leaver, today))


def _priority(draft: _Draft) -> tuple:
    """The order apps are handed out in: most urgent, soonest due, riskiest first."""
    return (TRIAGES.index(draft.triage), draft.due, -draft.tier, draft.app.app_id,
            draft.leaver.email.lower())


def _shown_order(item: HandoverItem) -> tuple:
    return (item.leaver, TRIAGES.index(item.triage), -item.tier, item.name.casefold(), item.app_id)


def _decide(draft: _Draft, pool: SuccessorPool, leavers: set[str],
            promised: dict[str, str]) -> HandoverItem:
    app, leaver = draft.app, draft.leaver
    need = Need(draft.action, app.department or leaver.department, app.platform, leaver)
    coverers = _coverers(app, draft.role, leavers)
    candidates = pool.rank(need, [o for o in coverers if o.email])
    covered_by, successor, why = _choose(draft, need, coverers, candidates, pool, promised)
    return HandoverItem(
        leaver.email.lower(), app.app_id, app.name, draft.tier, draft.role, draft.triage,
        draft.triage_why, draft.action, draft.action_why, covered_by, successor, candidates,
        first_checklist(app), draft.due, why,
    )


def _choose(draft: _Draft, need: Need, coverers: list[Owner], candidates: tuple[Candidate, ...],
            pool: SuccessorPool, promised: dict[str, str]) -> tuple[str | None, str | None, str | None]:
    """(covered_by, successor, why uncovered) for one app."""
    app_id = draft.app.app_id
    people = [o.email for o in coverers if o.email]
    if people:  # the best-ranked existing owner is promoted; nobody's capacity is used
        best = next(c.email for c in candidates if c.email in people)
        return best, best, None
    if coverers:
        return coverers[0].team, None, None
    if app_id in promised:  # another leaver's item already proposed a successor: the same
        return None, promised[app_id], None  # proposal (it covers nothing until accepted)
    chosen = next((c.email for c in candidates if pool.has_room(c.email)), None)
    if chosen is None:
        return None, None, pool.why_nobody(need)
    pool.take(chosen)
    promised[app_id] = chosen
    return None, chosen, None


def _coverers(app: AppFacts, role: str, leavers: set[str]) -> list[Owner]:
    """Owners still there who can do the leaver's part: people by role, then teams."""
    roles = _BUILDER_ROLES if role in _BUILDER_ROLES else {role}
    staying = [o for o in app.owners if o.role in roles and _stays(o, leavers)]
    people = sorted((o for o in staying if o.email),
                    key=lambda o: (ROLE_ORDER.index(o.role), o.email.lower()))
    teams = sorted((o for o in staying if o.team), key=lambda o: o.team)
    unique: dict[str, Owner] = {}
    for owner in people:  # one person in two roles counts once, in the more important one
        unique.setdefault(owner.email.lower(), owner)
    return [*unique.values(), *teams]


def _stays(owner: Owner, leavers: set[str]) -> bool:
    if owner.team:  # while someone staying is in it: a leaving member covers nothing
        return any(is_staying(status) and key.lower() not in leavers
                   for key, status in owner.members)
    # Leaving counts as active for flags, but a leaver cannot cover for another leaver.
    return is_staying(owner.status) and owner.email.lower() not in leavers


def _idle(app: AppFacts, policy: Policy, today: date) -> str | None:
    if app.lifecycle == Lifecycle.RETIRED:
        return "retired: no longer in use"
    if app.last_used is None:
        return None
    days = (today - app.last_used).days
    if days >= policy.inactivity_days:
        return (f"last used {app.last_used.isoformat()}, {days} days ago "
                f"(≥ {policy.inactivity_days}): archive candidate")
    return None


def item_status(accepted: bool, checklist: dict[str, bool]) -> str:
    """An item is done when accepted with every box ticked; in progress once anything happened."""
    if accepted and all(checklist.get(key) for key in CHECKLIST):
        return DONE
    return IN_PROGRESS if accepted or any(checklist.values()) else PLANNED


def plan_status(statuses: list[str]) -> str:
    """A plan is done when every item is (or it has none), in progress once any item moved."""
    if all(s == DONE for s in statuses):
        return DONE
    return IN_PROGRESS if any(s != PLANNED for s in statuses) else PLANNED
