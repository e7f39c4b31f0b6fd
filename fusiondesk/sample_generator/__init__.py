"""A deterministic, realistic sample portfolio for demos, tests and benchmarks: generation only.

Pure Python: `generate` builds people, teams and apps as core facts; `inventory` writes them
as the messy spreadsheet a CoE lead really imports. The files shipped in sample_data/ are made
from it; fusiondesk.shipped_sample finds them and copies the portfolio for the GUI.
Every draw comes from one `random.Random(seed)`, so the same arguments always give the same
portfolio.
Hot paths index pre-expanded "bags" with `rng.random()` because `rng.choice` and
`rng.choices` are several times slower, and 100,000 apps must generate in a few seconds.
Layout: the API, people, then apps; the vocabulary and weights are in `vocabulary`.
"""

from __future__ import annotations

import gc
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from fusiondesk.core.facts import AppFacts, Integration, Owner, PersonFacts
from fusiondesk.core.fields import APP_FIELDS, OWNER_ROLES
from fusiondesk.core.terms import CRITICAL, Criticality, PersonStatus
from fusiondesk.sample_generator.deployers import with_deployers
from fusiondesk.sample_generator.item_types import item_type
from fusiondesk.sample_generator.people import (
    Team,
    make_certifications,
    make_people,
    make_teams,
    with_members,
)
from fusiondesk.sample_generator.reviews import SampleReview, review_history
from fusiondesk.sample_generator.value import ledger
from fusiondesk.sample_generator.vocabulary import (
    AGE_BY_LIFECYCLE,
    BIG_APP_CRITICALITY_BAG,
    BOUNDARY_USERS,
    COMPLEXITY_BAG,
    CRITICALITY_BAG,
    DATA_PROFILES,
    DEPARTMENTS,
    ENVIRONMENTS,
    ID_PREFIX,
    INTEGRATION_COUNT_BAG,
    INTEGRATION_VARIANTS,
    LEAD_WEEKS_BAG,
    LIFECYCLE_BAG,
    LIVE,
    NARROW_USER_BANDS,
    NOTES,
    PLATFORM_KIND,
    PLATFORMS,
    PRO_CODE_PLATFORMS,
    QUALIFIERS,
    SCOPE_BAG,
    SUBJECTS,
    SUFFIXES,
    SYSTEMS,
    UNKNOWABLE,
    UNKNOWN_COUNT_BAG,
    WIDE_SCOPES,
    WIDE_USER_BANDS,
    WRITES,
    _pick,
)


@dataclass(slots=True)
class SamplePortfolio:
    """People, teams and apps of one generated portfolio."""

    people: list[PersonFacts]
    teams: list[Team]
    apps: list[AppFacts]
    reviews: list[SampleReview] = field(default_factory=list)
    certifications: dict = field(default_factory=dict)  # e-mail -> dated certifications


def generate(apps: int = 400, people: int | None = None, seed: int = 7,
             today: date = date(2026, 11, 1)) -> SamplePortfolio:
    """A realistic portfolio; the same arguments always give the same result."""
    rng = random.Random(seed)
    # At least 10 people, so every role, a leaver and someone who left always exist.
    persons = make_people(max(10, people if people is not None else round(apps * 0.3)), rng, today)
    teams = with_members(make_teams(), persons, seed)
    cast, ids = Cast(persons, teams), AppIds(rng)
    # Facts added later draw from a stream of their own (a string seed hashes the same in
    # every process), so adding them left every earlier draw, and the sample, as it was.
    typing = random.Random(f"{seed}/kind-licence-environment-type").random
    hinting = random.Random(f"{seed}/registry-sample-ranges").random
    valuing = random.Random(f"{seed}/value-ledger").random
    with _no_cyclic_gc():
        day = today.toordinal()
        made = [_app(i, rng, cast, ids, day, typing, hinting, valuing) for i in range(apps)]
    # a stream of its own too (see review_history), so the apps are as they were
    reviews = review_history(made, persons, seed, today)
    made = with_deployers(made, persons, seed)  # its own stream as well (issue 17)
    certifications = make_certifications(persons, made, seed, today)  # a stream of its own too
    return SamplePortfolio(people=persons, teams=teams, apps=made, reviews=reviews,
                           certifications=certifications)


@contextmanager
def _no_cyclic_gc():
    # 100k apps allocate about a million acyclic objects; the cycle collector would rescan
    # them over and over and cost a quarter of the run.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Cast:
    """The people and teams apps can be owned by, indexed for fast draws."""

    def __init__(self, people: list[PersonFacts], teams: list[Team]):
        self.citizens = _by_department(people, "citizen_developer")
        self.prodevs = _by_department(people, "pro_developer")
        self.sponsors = _by_department(people, "business_owner")
        self.team_owners: dict[str, list[Owner]] = {}
        for team in teams:  # a team owns as a co-owner beside the person who built the app
            self.team_owners.setdefault(team.department, []).append(
                Owner("co_owner", team=team.name))
        self.left_builders = [p.email for p in people if p.status == PersonStatus.LEFT
                              and p.role in ("citizen_developer", "pro_developer")]
        self._owners: dict[str, dict[str, Owner]] = {role: {} for role in OWNER_ROLES}

    def owner(self, role: str, email: str) -> Owner:
        """The shared Owner of this role and person: Owners are immutable, so apps share them."""
        known = self._owners[role]
        found = known.get(email)
        if found is None:
            found = known[email] = Owner(role, email=email)
        return found

    def pick(self, pool: dict[str, list[str]], department: str, rnd) -> str:
        """Someone from the department most of the time, else from anywhere."""
        names = (pool.get(department) if rnd() < 0.85 else None) or pool[""]
        return names[int(rnd() * len(names))]


def _by_department(people: list[PersonFacts], role: str) -> dict[str, list[str]]:
    pool: dict[str, list[str]] = {"": []}
    for p in people:
        if p.role == role:
            pool.setdefault(p.department, []).append(p.email)
            pool[""].append(p.email)
    return pool


class AppIds:
    """Platform-flavoured, unique app ids: GUIDs for Power Platform, "SN-00123" for ServiceNow."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counters = {p: 100 + int(rng.random() * 400) for p in dict.fromkeys(PLATFORMS)}
        self.seen: set[str] = set()

    def next(self, platform: str) -> str:
        """A fresh id in the platform's own style."""
        while True:
            app_id = self._draw(platform)
            if app_id not in self.seen:
                self.seen.add(app_id)
                return app_id

    def _draw(self, platform: str) -> str:
        prefix = ID_PREFIX[platform]
        if prefix == "guid":
            h = f"{self.rng.getrandbits(128):032x}"
            return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
        if prefix == "sf":
            return "a0B" + _base62(self.rng.getrandbits(71), 12)
        # Counters with small random gaps look like ids after deletions.
        self.counters[platform] += 1 + int(self.rng.random() * 3)
        return f"{prefix}{self.counters[platform]:05d}"


def _base62(n: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(width):
        n, r = divmod(n, 62)
        out.append(digits[r])
    return "".join(out)




def _app(i: int, rng: random.Random, cast: Cast, ids: AppIds, today: int, typing,
         hinting, valuing) -> AppFacts:
    rnd = rng.random
    platform, department = _pick(PLATFORMS, rnd), _pick(DEPARTMENTS, rnd)
    lifecycle, scope = _pick(LIFECYCLE_BAG, rnd), _pick(SCOPE_BAG, rnd)
    boundary = BOUNDARY_USERS.get(i % 100)
    if boundary and lifecycle not in ("pilot", "production"):
        lifecycle = "production"  # only apps in use have active users to count
    users = boundary or _users(lifecycle, scope, rnd)
    facts = {"app_id": ids.next(platform), "platform": platform, "department": department,
             "lifecycle": lifecycle, "scope": scope, "users": users,
             "environment": _environment(platform, lifecycle, rnd),
             "integrations": _integrations(platform, rnd),
             "notes": _pick(NOTES, rnd) if rnd() < 0.2 else None}
    facts.update(item_type(platform, facts["environment"], facts["integrations"], typing))
    facts.update(_naming(platform, department, rnd))
    facts.update(_data(department, scope, rnd))
    facts.update(_operations(platform, users, rnd))
    facts.update(_dates(lifecycle, today, rnd))
    tier = likely_tier(facts)
    facts["deployed_on"] = _deployed_for_tier(facts, tier, today)
    facts.update(_governance(tier, users, facts, today, rnd))
    owners = _owners(department, tier, facts["custom_code"], cast, rnd)
    _forget_some(facts, "users" if boundary else None, rnd)
    facts.update(_hinted(hinting))
    facts.update(ledger(facts, tier, valuing))  # the value ledger (issue 18), its own stream
    return AppFacts(owners=owners, **facts)


# Registry fields no rule here fills, and the (low, high) range their sample values come from.
HINTED = tuple((f.name, f.sample_range) for f in APP_FIELDS if f.sample_range)


def _hinted(rnd) -> dict:
    """A value for each hinted field; about one in five unknown, as hand-kept inventories have."""
    return {name: None if rnd() < 0.2 else low + int(rnd() * (high - low + 1))
            for name, (low, high) in HINTED}


def _users(lifecycle: str, scope: str, rnd) -> int:
    if lifecycle in ("idea", "retired"):
        return 0
    if lifecycle == "development":
        return 1 + int(rnd() * 8)  # the builder and a few testers
    bands = NARROW_USER_BANDS if scope in ("team", "department") else WIDE_USER_BANDS
    low, high = _pick(bands, rnd)
    return low + int(rnd() * (high - low + 1))


def _environment(platform: str, lifecycle: str, rnd) -> str:
    family = "power" if platform.startswith("Power") else "other"
    return _pick(ENVIRONMENTS[family, lifecycle in LIVE], rnd)


def _naming(platform: str, department: str, rnd) -> dict:
    subject = _pick(SUBJECTS[department], rnd)
    suffix = _pick(SUFFIXES[PLATFORM_KIND.get(platform, "app")], rnd)
    # A subject ending in "!" is a whole name already ("Shift Roster"), so often stands alone.
    if subject.endswith("!"):
        subject = subject[:-1]
        name = subject if rnd() < 0.35 else f"{subject} {suffix}"
    else:
        name = f"{subject} {suffix}"
    if rnd() < 0.12:
        name += _pick(QUALIFIERS, rnd)
    verb = "Automates" if platform in PLATFORM_KIND else "Tracks"
    return {"name": name, "description": f"{verb} {subject.lower()} work for {department}."}


def _data(department: str, scope: str, rnd) -> dict:
    categories, compliance = _pick(DATA_PROFILES[department], rnd)
    r = rnd()
    if r < 0.03 and "credentials" not in categories:
        categories += ("credentials",)  # the odd app that keeps passwords in a list
    elif 0.03 <= r < 0.05:
        compliance += ("ISO 27001",) if r < 0.045 else ("CCPA",)
    return {"data_categories": categories, "compliance": compliance,
            "data_sensitivity": _sensitivity(categories, compliance, scope, rnd())}


def _sensitivity(categories: tuple, compliance: tuple, scope: str, r: float) -> str:
    if "phi" in categories or "payment" in categories or compliance:
        return "regulated" if r < 0.85 else "confidential"
    if categories:
        return "confidential" if r < 0.7 else ("regulated" if r < 0.75 else "internal")
    public = 0.7 if scope == "team" else 0.3  # a team's own tracker rarely holds company data
    return "public" if r < public else ("internal" if r < 0.96 else "confidential")


def _integrations(platform: str, rnd) -> tuple[Integration, ...]:
    count = _pick(INTEGRATION_COUNT_BAG, rnd)
    if count == 0 and platform in PLATFORM_KIND:
        count = 1  # an automation always talks to something
    chosen: dict[str, Integration] = {}
    for _ in range(count):
        system = _pick(SYSTEMS, rnd)
        if system.name not in chosen:
            key = (system.name, _pick(system.directions, rnd), _pick(system.approvals, rnd),
                   rnd() < 0.08)
            chosen[system.name] = INTEGRATION_VARIANTS[key]
    return tuple(chosen.values())


def _operations(platform: str, users: int, rnd) -> dict:
    criticality = _pick(BIG_APP_CRITICALITY_BAG if users >= 500 else CRITICALITY_BAG, rnd)
    r = rnd()
    if criticality in CRITICAL:
        support = "it" if r < 0.5 else "team" if r < 0.85 else "none"
    else:
        support = "none" if r < 0.45 else "team" if r < 0.85 else "it"
    docs = rnd()  # one draw, so documented apps tend to be documented throughout
    return {
        "criticality": criticality,
        "calc_complexity": _pick(COMPLEXITY_BAG, rnd),
        "custom_code": rnd() < (0.2 if platform in PRO_CODE_PLATFORMS else 0.03),
        "support": support,
        "dr_plan": rnd() < (0.6 if support == "it" else 0.1),
        "doc_functional": docs < 0.7, "doc_data_sources": docs < 0.5, "doc_logic": docs < 0.35,
    }


def _dates(lifecycle: str, today: int, rnd) -> dict:
    # Day ordinals, not timedelta: five dates per app, 100k apps.
    low, high = AGE_BY_LIFECYCLE.get(lifecycle, (90, 2190))
    created = today - low - int(rnd() * (high - low))
    requested = created - int(rnd() * 21)
    deployed = None
    if lifecycle in LIVE:
        deployed = min(today, requested + 7 * _pick(LEAD_WEEKS_BAG, rnd))
    last_used = None
    if lifecycle != "idea":
        age = today - created
        stale = lifecycle == "retired" or (age > 200 and rnd() < 0.12)
        last_used = today - (181 + int(rnd() * (age - 181)) if stale else int(rnd() * min(45, age)))
    span = (last_used or today) - created
    modified = created + (max(1, int(rnd() * span)) if span > 0 else 0)
    day = date.fromordinal
    return {"created": day(created), "last_modified": day(modified),
            "last_used": last_used and day(last_used), "requested_on": day(requested),
            "deployed_on": deployed and day(deployed)}


# Lead time grows with the tier, as the tier table's paths say: Tier 1 deploys itself, Tier 2
# waits for an asynchronous review, Tier 3 and 4 for design reviews and joint deployment.
_LEAD_TIME_BY_TIER = {1: 0.5, 2: 1.0, 3: 1.6, 4: 2.2}


def _deployed_for_tier(facts: dict, tier: int, today: int):
    """The deployment day with the drawn lead time scaled by the tier (no new random draw,
    so every other generated value stays as it was); never before the app was created."""
    deployed, requested = facts["deployed_on"], facts["requested_on"]
    if deployed is None:
        return None
    days = (deployed - requested).days * _LEAD_TIME_BY_TIER[tier]
    day = max(requested.toordinal() + round(days), facts["created"].toordinal() + 1)
    return date.fromordinal(min(today, day))


def likely_tier(facts: dict) -> int:
    """A rough tier from generated facts, so approved tiers mostly agree with the classifier."""
    integrations = facts.get("integrations") or ()
    users = facts.get("users") or 0
    sensitivity, criticality = facts.get("data_sensitivity"), facts.get("criticality")
    if (sensitivity == "regulated" or facts.get("compliance") or users >= 500
            or criticality == Criticality.MISSION_CRITICAL or facts.get("custom_code")
            or facts.get("calc_complexity") == "complex"
            or any(i.enterprise and i.direction in WRITES for i in integrations)
            or sum(i.direction == "bidirectional" for i in integrations) >= 2):
        return 4
    if (facts.get("scope") in WIDE_SCOPES or users >= 50 or sensitivity == "confidential"
            or criticality == "high"
            or any(i.direction in WRITES or i.external_api or i.approved is False
                   for i in integrations)):
        return 3
    if (facts.get("scope") == "department" or integrations or sensitivity == "internal"
            or facts.get("calc_complexity") == "moderate"):
        return 2
    return 1


def _governance(tier: int, users: int, facts: dict, today: int, rnd) -> dict:
    if facts["lifecycle"] not in LIVE and rnd() < 0.6:
        return {"approved_tier": None, "last_review": None, "users_at_last_review": None}
    r = rnd()
    # Most records match; some were approved lower and the app has since drifted upward.
    approved = max(1, tier - (1 if r < 0.12 else 2 if r < 0.15 else 0))
    start = (facts["deployed_on"] or facts["created"]).toordinal()
    last_review = today - int(rnd() * min(today - start + 1, 540))
    if users and rnd() < 0.08:
        then = max(1, users // (2 + int(rnd() * 2)))  # the user base has doubled since review
    else:
        then = int(users * (0.75 + 0.25 * rnd()))
    return {"approved_tier": approved, "last_review": date.fromordinal(last_review),
            "users_at_last_review": then}


def _forget_some(facts: dict, keep: str | None, rnd) -> None:
    """Blank a few non-key facts (~5% overall), as hand-kept inventories do."""
    for _ in range(_pick(UNKNOWN_COUNT_BAG, rnd)):
        name = _pick(UNKNOWABLE, rnd)
        if name != keep:
            facts[name] = None


def _owners(department: str, tier: int, custom_code: bool, cast: Cast, rnd) -> tuple[Owner, ...]:
    if cast.left_builders and rnd() < 0.04:
        # The builder left and nobody else was ever named: an orphaned app.
        return (cast.owner("primary", _pick(cast.left_builders, rnd)),)
    pro_first = rnd() < (0.5 if custom_code or tier == 4 else 0.12)
    primary = cast.pick(cast.prodevs if pro_first else cast.citizens, department, rnd)
    owners = [cast.owner("primary", primary)]
    taken, r = {primary}, rnd()
    for _ in range(2 if r < 0.06 else 1 if r < 0.35 else 0):
        co = cast.pick(cast.citizens, department, rnd)
        if co not in taken:
            taken.add(co)
            owners.append(cast.owner("co_owner", co))
    if rnd() < 0.5:
        owners.append(cast.owner("business_owner", cast.pick(cast.sponsors, department, rnd)))
    if not pro_first and rnd() < (0.6 if tier >= 3 else 0.04):
        owners.append(cast.owner("prodev_partner", cast.pick(cast.prodevs, department, rnd)))
    team_owners = cast.team_owners.get(department)
    if team_owners and rnd() < 0.1:
        owners.append(_pick(team_owners, rnd))
    return tuple(owners)
