"""Who can take over an app from a leaver, ranked with reasons, within everyone's capacity.

Ranking follows DOMAIN.md's handover step 4: existing co-owners (or a backup)
first, then people who fit (same department, certified on the platform, the
right kind of builder, free capacity), then the leaver's manager, then the CoE.
The score bands never overlap, so the score alone gives that order.

Capacity is counted across a whole plan: every app proposed to someone uses one
of their free places, so a reorganisation that plans many leavers at once never
loads anyone past what they can own. A person whose capacity is unknown has no
free place that can be checked, so they are never proposed for a new app.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from fusiondesk.core.certification import (
    Certificate,
    certified_platforms_now,
    highest_current,
    level_on,
)
from fusiondesk.core.facts import Owner, PersonFacts
from fusiondesk.core.policy import name_key
from fusiondesk.core.terms import Action, Certification, OwnerRole, PersonRole, is_staying

MIGRATE_TO_PRODEV, REASSIGN_TO_CITIZEN, NAME_BUSINESS_OWNER = Action
ACTIONS = tuple(Action)

MAX_CANDIDATES = 5
# Score bands: existing owner > a good fit > the leaver's manager > the CoE.
_EXISTING, _FIT, _MANAGER, _COE = 200, 100, 50, 0
_SAME_DEPARTMENT, _CERTIFIED_ON_PLATFORM, _QUALIFIED, _ROLE_FIT_POINTS, _ACTIVE = 30, 25, 10, 20, 5
_FREE_POINTS_MAX = 10  # one point per free place, so load spreads among equals

_FITTING_ROLE = {MIGRATE_TO_PRODEV: PersonRole.PRO_DEVELOPER,
                 REASSIGN_TO_CITIZEN: PersonRole.CITIZEN_DEVELOPER,
                 NAME_BUSINESS_OWNER: PersonRole.BUSINESS_OWNER}
_ROLE_LABEL = {PersonRole.PRO_DEVELOPER: "pro-developer",
               PersonRole.CITIZEN_DEVELOPER: "citizen developer",
               PersonRole.BUSINESS_OWNER: "business owner", PersonRole.COE_ADMIN: "CoE admin"}
_OWNER_LABEL = {OwnerRole.PRIMARY: "already primary owner", OwnerRole.CO_OWNER: "existing co-owner",
                OwnerRole.PRODEV_PARTNER: "existing pro-dev partner",
                OwnerRole.BUSINESS_OWNER: "existing business owner"}
_QUALIFIED_CERTIFICATIONS = frozenset((Certification.TRAINED, Certification.CERTIFIED))
_WHO_FITS = {MIGRATE_TO_PRODEV: "pro-developer",
             REASSIGN_TO_CITIZEN: "trained or certified citizen developer (or pro-developer)",
             NAME_BUSINESS_OWNER: "business owner"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible successor: who, how well they fit, and why."""

    email: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Need:
    """What one app needs from a successor."""

    action: str
    department: str | None
    platform: str | None
    leaver: PersonFacts


def can_take_over(person: PersonFacts, action: str, qualified: bool | None = None) -> bool:
    """Whether someone is the right kind of person for the action (before capacity).

    `qualified` is what their dated certifications say (SuccessorPool works it out);
    None falls back on the person-level level.
    """
    if person.role == PersonRole.PRO_DEVELOPER:
        return action != NAME_BUSINESS_OWNER
    if person.role == PersonRole.CITIZEN_DEVELOPER:
        if qualified is None:
            qualified = person.certification in _QUALIFIED_CERTIFICATIONS
        return action == REASSIGN_TO_CITIZEN and qualified
    return person.role == PersonRole.BUSINESS_OWNER and action == NAME_BUSINESS_OWNER


class SuccessorPool:
    """The people who can take apps over, and how many more apps each can take."""

    def __init__(self, people: Iterable[PersonFacts], leavers: set[str],
                 load: Mapping[str, int], certificates: Mapping[str, Sequence[Certificate]] | None = None,
                 today: date | None = None):
        # Someone without an e-mail cannot be proposed or asked: complete them first.
        self.people = {p.email.lower(): p for p in people if p.email}
        self.leavers = leavers
        self.load = load
        self.today = today or date.today()
        # Only active people who are not leaving; unknown capacity means no checked place.
        self.free = {
            email: p.capacity - load.get(email, 0)
            for email, p in self.people.items()
            if is_staying(p.status) and email not in leavers and p.capacity is not None
        }
        by_email = sorted(self.free)
        self._coe = [e for e in by_email if self.people[e].role == PersonRole.COE_ADMIN]
        # Ranking compares candidates with every app: normalise their names once.
        self._department = {e: name_key(p.department or "") for e, p in self.people.items()}
        # A person's dated certifications, when they have any, decide (expired ones do not
        # count: core.certification); else the person-level level and platforms as imported.
        self._records = {e.lower(): tuple(c) for e, c in (certificates or {}).items() if c}
        self._platforms, self._qualified = {}, {}
        for email, person in self.people.items():
            records = self._records.get(email)
            if records is None:
                self._qualified[email] = person.certification in _QUALIFIED_CERTIFICATIONS
                if person.certification == Certification.CERTIFIED:
                    self._platforms[email] = frozenset(map(name_key, person.certified_platforms))
            else:
                self._qualified[email] = highest_current(records, today) != Certification.NONE
                self._platforms[email] = certified_platforms_now(records, today)
        self._fits = {action: _FitIndex(self, action) for action in ACTIONS}
        for email in by_email:
            for index in self._fits.values():
                index.place(email)

    def has_room(self, email: str) -> bool:
        """True when the person can be proposed one more app."""
        return self.free.get(email, 0) > 0

    def take(self, email: str) -> None:
        """Use one of a person's free places."""
        before = self.free[email]
        for index in self._fits.values():
            index.unplace(email)
        self.free[email] = before - 1
        for index in self._fits.values():
            index.place(email)

    def rank(self, need: Need, existing: Iterable[Owner]) -> tuple[Candidate, ...]:
        """The best successors for one app, best first (existing owners need no free place)."""
        found: dict[str, Candidate] = {}
        for owner in existing:
            if owner.email and owner.email not in found:
                found[owner.email] = self._existing(owner, need)
        for email in self._fits[need.action].best(need, set(found), MAX_CANDIDATES):
            found[email] = self._fit(email, need)
        self._add_fallbacks(found, need)
        ranked = sorted(found.values(), key=lambda c: (-c.score, c.email))
        return tuple(ranked[:MAX_CANDIDATES])

    def _add_fallbacks(self, found: dict[str, Candidate], need: Need) -> None:
        manager = (need.leaver.manager_email or "").lower()
        if manager and manager not in found and self.has_room(manager):
            found[manager] = self._fallback(manager, _MANAGER, "leaver's manager (fallback)")
        coe = sorted((e for e in self._coe if e not in found and self.has_room(e)),
                     key=lambda e: (-self.free[e], e))
        if coe:  # one CoE admin is enough as the last resort: the one with most room
            found[coe[0]] = self._fallback(coe[0], _COE, "the CoE (last resort)")

    # --- scores and reasons ------------------------------------------------------

    def _same_department(self, email: str, need: Need) -> bool:
        return bool(need.department) and self._department.get(email) == name_key(need.department)

    def _certified_on(self, email: str, need: Need) -> bool:
        return bool(need.platform) and name_key(need.platform) in self._platforms.get(email, ())

    def _points(self, person: PersonFacts, need: Need) -> int:
        """How well someone fits an app, leaving their free places aside."""
        email, points = person.email.lower(), 0
        if self._same_department(email, need):
            points += _SAME_DEPARTMENT
        if self._certified_on(email, need):
            points += _CERTIFIED_ON_PLATFORM
        elif self._qualified.get(email):
            points += _QUALIFIED
        if person.role == _FITTING_ROLE[need.action]:
            points += _ROLE_FIT_POINTS
        return points

    def _reasons(self, person: PersonFacts, need: Need) -> list[str]:
        email, reasons = person.email.lower(), []
        if self._same_department(email, need):
            reasons.append(f"same department ({person.department})")
        records = self._records.get(email)
        if self._certified_on(email, need):
            reasons.append(f"certified on {need.platform}")
        elif records is not None:
            reasons.extend(_record_reasons(records, need.platform, self.today))
        elif person.certification == Certification.CERTIFIED and need.platform:
            reasons.append(f"certified, not on {need.platform}")
        elif person.certification in _QUALIFIED_CERTIFICATIONS:
            reasons.append(person.certification)
        if person.role in _ROLE_LABEL:
            reasons.append(_ROLE_LABEL[person.role])
        return reasons

    def _fit_score(self, email: str, need: Need) -> int:
        free = min(self.free[email], _FREE_POINTS_MAX)
        return _FIT + _ACTIVE + free + self._points(self.people[email], need)

    def _fit(self, email: str, need: Need) -> Candidate:
        person = self.people[email]
        reasons = [*self._reasons(person, need), "active, not leaving", self._room_text(email)]
        return Candidate(email, self._fit_score(email, need), tuple(reasons))

    def _existing(self, owner: Owner, need: Need) -> Candidate:
        person = self.people.get(owner.email)
        label = _OWNER_LABEL.get(owner.role, "existing owner")
        if person is None:
            return Candidate(owner.email, _EXISTING, (label, "active, not leaving"))
        return Candidate(owner.email, _EXISTING + _ACTIVE + self._points(person, need),
                         (label, *self._reasons(person, need), "active, not leaving"))

    def _fallback(self, email: str, band: int, label: str) -> Candidate:
        free = min(self.free[email], _FREE_POINTS_MAX)
        return Candidate(email, band + _ACTIVE + free,
                         (label, "active, not leaving", self._room_text(email)))

    def _room_text(self, email: str) -> str:
        capacity = self.people[email].capacity
        return f"{self.free[email]} of {capacity} places free"

    # --- why nobody could be proposed ---------------------------------------------

    def why_nobody(self, need: Need) -> str:
        """Why an app has no successor: what was looked for and what stood in the way."""
        parts = ["no other active owner or team",
                 f"no {_WHO_FITS[need.action]} with free capacity",
                 self._manager_gap(need.leaver.manager_email), "no CoE admin with free capacity"]
        return "; ".join(parts)

    def _manager_gap(self, manager: str | None) -> str:
        if not manager:
            return "no manager on record"
        manager = manager.lower()
        person = self.people.get(manager)
        if person is None:
            return f"manager {manager} is not in the portfolio"
        if manager in self.leavers:
            return f"manager {manager} is leaving too"
        if not is_staying(person.status):
            return f"manager {manager} is {person.status or 'of unknown status'}"
        if person.capacity is None:
            return f"manager {manager} has no capacity on record"
        owned = self.load.get(manager, 0)
        proposed = person.capacity - owned - self.free[manager]
        return (f"manager {manager} has no free capacity (capacity {person.capacity}: "
                f"{owned} owned, {proposed} proposed in this plan)")


def _record_reasons(records: Sequence[Certificate], platform: str | None, today: date) -> list[str]:
    """What a person's dated certifications say about an app's platform (a lapsed one named)."""
    level = level_on(records, platform, today) if platform else Certification.NONE
    if level != Certification.NONE:
        return [f"{level} on {platform}"]
    lapsed = [c for c in records if platform and c.covers(platform) and not c.is_current(today)]
    if lapsed:
        return [f"{lapsed[0].level} on {platform} expired {lapsed[0].expires.isoformat()}"]
    held = highest_current(records, today)
    return [] if held == Certification.NONE else [f"{held}, not on {platform}" if platform else held]


# --- the index that finds the best few at once -----------------------------------------

class _Ladder:
    """E-mails by score: one sorted list per score, walked from the top."""

    __slots__ = ("rungs",)

    def __init__(self) -> None:
        self.rungs: dict[int, list[str]] = {}

    def add(self, email: str, score: int) -> None:
        """File an e-mail under a score."""
        insort(self.rungs.setdefault(score, []), email)

    def remove(self, email: str, score: int) -> None:
        """Take an e-mail out from under the score it was filed at."""
        rung = self.rungs[score]
        del rung[bisect_left(rung, email)]
        if not rung:
            del self.rungs[score]

    def walk(self, bonus: int, skip: Callable[[str], bool]) -> Iterator[tuple[int, str]]:
        """(-score, email), best first, as heapq.merge wants them."""
        for score in sorted(self.rungs, reverse=True):
            for email in self.rungs[score]:
                if not skip(email):
                    yield -(score + bonus), email


_EMPTY = _Ladder()


class _FitIndex:
    """Everyone who fits one action and has room, so the best few for an app are found at once.

    A candidate's fit is a base score (qualification, role, free places) plus a bonus
    for the app's department and one for a certification on its platform. Four
    disjoint groups (department and platform, department only, platform only, the
    rest) each keep their people ordered by base score; merging the four walks gives
    everyone in order of full score, and only the first few are looked at. Without
    it, ranking every app against every person made a large reorganisation take minutes.
    """

    def __init__(self, pool: SuccessorPool, action: str):
        self.pool, self.action = pool, action
        self.placed: dict[str, int] = {}  # email -> base score it is filed under
        self.everyone = _Ladder()
        self.departments: dict[str, _Ladder] = {}
        self.platforms: dict[str, _Ladder] = {}
        self.pairs: dict[tuple[str, str], _Ladder] = {}

    def _base(self, email: str) -> int:
        person, pool = self.pool.people[email], self.pool
        qualified = _QUALIFIED if pool._qualified.get(email) else 0
        fits = _ROLE_FIT_POINTS if person.role == _FITTING_ROLE[self.action] else 0
        return qualified + fits + min(pool.free[email], _FREE_POINTS_MAX)

    def _ladders(self, email: str) -> Iterator[_Ladder]:
        department = self.pool._department.get(email)
        yield self.everyone
        if department:
            yield self.departments.setdefault(department, _Ladder())
        for platform in self.pool._platforms.get(email, ()):
            yield self.platforms.setdefault(platform, _Ladder())
            if department:
                yield self.pairs.setdefault((department, platform), _Ladder())

    def place(self, email: str) -> None:
        """File someone who fits and has room under their current score."""
        pool = self.pool
        if not pool.has_room(email) or not can_take_over(pool.people[email], self.action,
                                                         pool._qualified.get(email)):
            return
        score = self.placed[email] = self._base(email)
        for ladder in self._ladders(email):
            ladder.add(email, score)

    def unplace(self, email: str) -> None:
        """Take someone out (before their free places change)."""
        score = self.placed.pop(email, None)
        if score is not None:
            for ladder in self._ladders(email):
                ladder.remove(email, score)

    def best(self, need: Need, skip: set[str], n: int) -> list[str]:
        """The `n` best-fitting e-mails for an app, best first, leaving out `skip`."""
        department = name_key(need.department or "")
        platform = name_key(need.platform or "")
        in_department = self.pool._department.get
        certified = self.pool._platforms.get
        walks = [
            self.pairs.get((department, platform), _EMPTY).walk(
                _SAME_DEPARTMENT + _CERTIFIED_ON_PLATFORM - _QUALIFIED, skip.__contains__),
            self.departments.get(department, _EMPTY).walk(
                _SAME_DEPARTMENT, lambda e: e in skip or platform in certified(e, ())),
            self.platforms.get(platform, _EMPTY).walk(
                _CERTIFIED_ON_PLATFORM - _QUALIFIED,
                lambda e: e in skip or bool(department) and in_department(e) == department),
            self.everyone.walk(0, lambda e: e in skip or platform in certified(e, ())
                               or bool(department) and in_department(e) == department),
        ]
        return [email for _score, email in islice(heapq.merge(*walks), n)]
