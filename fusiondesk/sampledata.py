"""A deterministic, realistic sample portfolio for demos, tests and benchmarks.

Pure Python: `generate` builds people, teams and apps as core facts; the xlsx writer in
sample_data/ turns them into the messy spreadsheet a CoE lead really imports. Every draw
comes from one `random.Random(seed)`, so the same arguments always give the same portfolio.
Hot paths index pre-expanded "bags" with `rng.random()` because `rng.choice` and
`rng.choices` are several times slower, and 100,000 apps must generate in a few seconds.
Layout: the API, people, apps, cell messiness, then the vocabulary and weights.
"""

from __future__ import annotations

import gc
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from fusiondesk.core.facts import AppFacts, Integration, Owner, PersonFacts
from fusiondesk.core.fields import (
    APP_FIELD_BY_NAME, BOOL, DATE, EMAILS, INT, INTEGRATIONS, LIST, OWNER_ROLES,
    PERSON_FIELD_BY_NAME, TIER,
)


@dataclass(frozen=True, slots=True)
class Team:
    """A group that can own apps together, e.g. "Finance Automation Team"."""

    name: str
    department: str


@dataclass(slots=True)
class SamplePortfolio:
    """People, teams and apps of one generated portfolio."""

    people: list[PersonFacts]
    teams: list[Team]
    apps: list[AppFacts]


def generate(apps: int = 400, people: int | None = None, seed: int = 7,
             today: date = date(2026, 11, 1)) -> SamplePortfolio:
    """A realistic portfolio; the same arguments always give the same result."""
    rng = random.Random(seed)
    # At least 10 people, so every role, a leaver and someone who left always exist.
    persons = make_people(max(10, people if people is not None else round(apps * 0.3)), rng, today)
    teams = make_teams()
    cast, ids = Cast(persons, teams), AppIds(rng)
    with _no_cyclic_gc():
        day = today.toordinal()
        made = [_app(i, rng, cast, ids, day) for i in range(apps)]
    return SamplePortfolio(people=persons, teams=teams, apps=made)


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


def make_teams() -> list[Team]:
    """An automation team per department, a few fusion teams and the CoE's own team."""
    departments = list(dict.fromkeys(DEPARTMENTS))
    return ([Team(f"{d} Automation Team", d) for d in departments]
            + [Team(f"{d} Fusion Team", d) for d in departments[::3]]
            + [Team("CoE Platform Team", "IT")])


def make_people(count: int, rng: random.Random, today: date) -> list[PersonFacts]:
    """Builders, pro-devs, business owners and CoE admins, some leaving and some gone."""
    rnd = rng.random
    roles = _role_list(count, rng)
    statuses = _status_list(roles, rng)
    seen: dict[str, int] = {}
    drafts = [_person(role, status, seen, rnd, today) for role, status in zip(roles, statuses)]
    managers = _managers_by_department(drafts)
    for draft in drafts:
        draft["manager_email"] = _manager_for(draft, managers, rnd)
    return [PersonFacts(**draft) for draft in drafts]


def _role_list(count: int, rng: random.Random) -> list[str]:
    # Exact counts, then shuffled: every role exists even in a tiny portfolio.
    admins = 2 + count // 1000
    prodevs = max(1, round(count * 0.15))
    sponsors = max(1, round(count * 0.18))
    roles = (["coe_admin"] * admins + ["pro_developer"] * prodevs + ["business_owner"] * sponsors
             + ["citizen_developer"] * (count - admins - prodevs - sponsors))
    rng.shuffle(roles)
    return roles


def _status_list(roles: list[str], rng: random.Random) -> list[str]:
    statuses = ["active"] * len(roles)
    leaving = max(1, round(len(roles) * 0.08))
    left = max(1, round(len(roles) * 0.06))
    candidates = [i for i, role in enumerate(roles) if role != "coe_admin"]
    for n, i in enumerate(rng.sample(candidates, leaving + left)):
        statuses[i] = "leaving" if n < leaving else "left"
    return statuses


def _person(role: str, status: str, seen: dict[str, int], rnd, today: date) -> dict:
    first, last = _pick(FIRST_NAMES, rnd), _pick(LAST_NAMES, rnd)
    local = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
    seen[local] = seen.get(local, 0) + 1
    if seen[local] > 1:
        local += str(seen[local])  # a second Maria Garcia gets maria.garcia2
    certification = _pick(CERTIFICATION_BAGS[role], rnd)
    low, high = CAPACITY_RANGES[role]
    leave_date = None
    if status == "leaving":
        leave_date = today + timedelta(days=1 + int(rnd() * 60))
    elif status == "left":
        leave_date = today - timedelta(days=1 + int(rnd() * 540))
    return {
        "email": f"{local}@contoso.example", "name": f"{first} {last}",
        "department": "IT" if role == "coe_admin" else _pick(DEPARTMENTS, rnd), "role": role,
        "certification": certification,
        "certified_platforms": _certified_platforms(role, certification, rnd),
        "status": status, "leave_date": leave_date,
        "capacity": low + int(rnd() * (high - low + 1)) if rnd() > 0.04 else None,
    }


def _certified_platforms(role: str, certification: str, rnd) -> tuple[str, ...]:
    if certification != "certified":
        return ()
    wanted = 3 if role == "coe_admin" else 2 if rnd() < 0.35 else 1
    platforms: dict[str, None] = {}
    while len(platforms) < wanted:
        platforms[_pick(PLATFORMS, rnd)] = None
    return tuple(platforms)


def _managers_by_department(drafts: list[dict]) -> dict[str, list[str]]:
    # Business owners manage their department; where there are none, its pro-devs, else anyone.
    by_role: dict[tuple, list[str]] = {}
    for d in drafts:
        if d["role"] != "coe_admin":
            by_role.setdefault((d["department"], d["role"]), []).append(d["email"])
    managers = {}
    for department in dict.fromkeys(d["department"] for d in drafts):
        for role in ("business_owner", "pro_developer", "citizen_developer"):
            if (department, role) in by_role:
                managers[department] = by_role[(department, role)]
                break
    return managers


def _manager_for(draft: dict, managers: dict[str, list[str]], rnd) -> str | None:
    options = managers.get(draft["department"])
    if draft["role"] == "coe_admin" or not options or rnd() < 0.04:
        return None  # CoE admins report outside the portfolio; a few records just don't say
    i = int(rnd() * len(options))
    if options[i] == draft["email"]:  # nobody manages themselves: take the next one
        i = (i + 1) % len(options)
    return options[i] if options[i] != draft["email"] else None


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
        self.left_builders = [p.email for p in people if p.status == "left"
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


def _pick(seq, rnd):
    return seq[int(rnd() * len(seq))]


def _app(i: int, rng: random.Random, cast: Cast, ids: AppIds, today: int) -> AppFacts:
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
    facts.update(_naming(platform, department, rnd))
    facts.update(_data(department, scope, rnd))
    facts.update(_operations(platform, users, rnd))
    facts.update(_dates(lifecycle, today, rnd))
    tier = likely_tier(facts)
    facts.update(_governance(tier, users, facts, today, rnd))
    owners = _owners(department, tier, facts["custom_code"], cast, rnd)
    _forget_some(facts, "users" if boundary else None, rnd)
    return AppFacts(owners=owners, **facts)


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
    if criticality in ("high", "mission_critical"):
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


def likely_tier(facts: dict) -> int:
    """A rough tier from generated facts, so approved tiers mostly agree with the classifier."""
    integrations = facts.get("integrations") or ()
    users = facts.get("users") or 0
    sensitivity, criticality = facts.get("data_sensitivity"), facts.get("criticality")
    if (sensitivity == "regulated" or facts.get("compliance") or users >= 500
            or criticality == "mission_critical" or facts.get("custom_code")
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


MESSY_BOOLS = {"yes": ("Yes", "Y", "TRUE", "1", "y", "True"), "no": ("No", "N", "FALSE", "0", "n")}
EMAIL_FIELDS = {"email", "manager_email"}


def messify(value, field_name: str, rng: random.Random):
    """The same cell spelled as real exports spell it: "Y", "1,200", "03/04/2025", "X "."""
    if value is None or value == "":
        return value
    field = APP_FIELD_BY_NAME.get(field_name) or PERSON_FIELD_BY_NAME.get(field_name)
    kind = field.kind if field else None
    if kind == BOOL and value in MESSY_BOOLS:
        return rng.choice(MESSY_BOOLS[value])
    if kind in (INT, TIER):
        return f"{value:,}"  # a number stored as text, with a thousands separator
    if kind == DATE:
        return value.isoformat() if rng.random() < 0.5 else value.strftime("%d/%m/%Y")
    if kind == EMAILS or field_name in EMAIL_FIELDS:
        return value.upper() if rng.random() < 0.7 else value + " "
    if kind in (LIST, INTEGRATIONS) and "; " in value and rng.random() < 0.5:
        return value.replace("; ", ";")
    return f"{value}{' ' if rng.random() < 0.7 else '  '}"  # stray trailing spaces


# --- Vocabulary and weights --------------------------------------------------------------
# Only module-level data below; the functions above read it at call time.


def bag(weights: dict) -> tuple:
    """Values repeated by weight, so one `rng.random()` index makes a weighted draw."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


PLATFORMS = bag({"Power Apps": 26, "Power Automate": 24, "Salesforce": 9, "ServiceNow": 8,
                 "OutSystems": 5, "Mendix": 5, "Zapier": 8, "UiPath": 7, "Kissflow": 4, "Appian": 4})
PLATFORM_KIND = {"Power Automate": "flow", "Zapier": "flow", "UiPath": "rpa"}  # others: "app"
PRO_CODE_PLATFORMS = ("OutSystems", "Mendix", "Appian")  # where custom code is routine
# "guid" and "sf" are drawn; anything else is a prefix for a per-platform counter.
ID_PREFIX = {"Power Apps": "guid", "Power Automate": "guid", "Mendix": "guid", "Salesforce": "sf",
             "ServiceNow": "SN-", "OutSystems": "OS-", "Zapier": "ZAP-", "UiPath": "UIP-",
             "Kissflow": "KF-", "Appian": "APN-"}
SUFFIXES = {
    "app": ("Tracker", "App", "Portal", "Register", "Manager", "Dashboard", "Hub", "Log", "Form"),
    "flow": ("Flow", "Approval Flow", "Notifier", "Sync", "Reminder", "Automation", "Alert"),
    "rpa": ("Bot", "Robot", "Reconciliation Bot", "Data Entry Bot", "Automation"),
}
QUALIFIERS = (" v2", " (EMEA)", " (APAC)", " (Americas)", " - UK", " 2.0", " (Pilot)", " Legacy")
DEPARTMENTS = bag({"Operations": 14, "Finance": 12, "Sales": 12, "Customer Service": 10, "HR": 9,
                   "IT": 9, "Supply Chain": 8, "Marketing": 7, "Procurement": 6, "R&D": 5,
                   "Facilities": 4, "Legal": 4})
# Department-flavoured subjects; a trailing "!" marks one that is a whole app name on its own.
SUBJECTS = {d: tuple(s.split("|")) for d, s in {
    "Finance": "Expense Claim|Invoice Approval|Budget Forecast!|Month-End Close|Petty Cash!|"
               "Payment Run|Cost Centre Report!|Travel Advance|Accruals|Credit Check",
    "HR": "Leave Request|Onboarding|Shift Roster!|Training Record|Recruitment Pipeline!|"
          "Exit Interview|Timesheet|Performance Review|Holiday Planner!|Benefits Enrolment",
    "Sales": "Lead|Quote|Opportunity|Commission|Territory Plan!|Price Approval|Deal Desk!|"
             "Customer Visit|Sales Forecast!|Discount Request",
    "Marketing": "Campaign|Event Registration|Brand Asset|Content Calendar!|Social Post|"
                 "Webinar Signup|Newsletter|Sponsorship|Lead Scoring|Press Release",
    "Operations": "Shift Handover|Incident Log!|Equipment Checklist!|Production Schedule!|"
                  "Quality Inspection|Maintenance Request|Site Audit|Safety Observation|Downtime|Work Order",
    "IT": "Asset Inventory!|Access Request|Licence|Change Request|Laptop Refresh|Password Reset|"
          "Service Catalogue!|Patch Compliance|Software Request|On-Call Rota!",
    "Legal": "Contract Review|NDA Request|Matter Intake|Policy Attestation|Litigation Hold|"
             "Trademark Renewal|Legal Spend|Conflict Check",
    "Procurement": "Vendor Onboarding|Purchase Request|Supplier Risk|Tender Evaluation|"
                   "Contract Renewal|Catalogue Request|PO Approval|Supplier Scorecard!",
    "Customer Service": "Complaint|Case Escalation|Callback Request|Returns|Warranty Claim|"
                        "Customer Feedback|Knowledge Article|Refund Approval",
    "Supply Chain": "Stock Level|Delivery Schedule!|Shipment Tracking|Demand Forecast!|"
                    "Inventory Count|Carrier Booking|Goods Receipt|Reorder",
    "R&D": "Lab Sample|Experiment Log!|Clinical Trial Site|Patent Disclosure|Prototype Request|"
           "Test Result|Research Grant|Study Participant",
    "Facilities": "Room Booking|Desk Booking!|Visitor Sign-In|Maintenance Ticket|Parking Permit|"
                  "Cleaning Checklist!|Energy Meter|Fire Drill",
}.items()}
# Chance per department that an app holds each category of data.
DATA_CATEGORY_ODDS = {
    "Finance": (("financial", 0.7), ("payment", 0.12), ("pii", 0.15)),
    "HR": (("pii", 0.6), ("phi", 0.08), ("financial", 0.1)),
    "Sales": (("pii", 0.35), ("payment", 0.06), ("financial", 0.2)),
    "Customer Service": (("pii", 0.5), ("payment", 0.06)),
    "R&D": (("phi", 0.3), ("pii", 0.2)),
    "IT": (("credentials", 0.25), ("pii", 0.15)),
    "Procurement": (("financial", 0.4), ("payment", 0.08)),
    "Marketing": (("pii", 0.3),),
    "Legal": (("pii", 0.4), ("financial", 0.1)),
}
OTHER_DATA_ODDS = (("pii", 0.1), ("financial", 0.08))
COMPLIANCE_BY_CATEGORY = {"phi": (("HIPAA", 0.8),), "payment": (("PCI DSS", 0.7),),
                          "pii": (("GDPR", 0.3),), "financial": (("SOX", 0.3),)}
NOTES = (
    "Built in the 2023 hackathon; never formally handed over.",
    "Connector to SAP runs under the builder's personal account.",
    "Stores bank details in a SharePoint list - check encryption.",
    "Broke twice when the vendor changed its API.",
    "Users asked for a mobile version.",
    "Duplicate customer records after the last sync run.",
    "Forecast logic is in a hidden sheet nobody else understands.",
    "Candidate for rebuild by the pro-dev team.",
    "Owner on extended leave; ask their manager.",
    "Concurrent edits sometimes lose updates.",
    "Migrated from Access in 2021.",
    "Licence renewal due next quarter.",
)
FIRST_NAMES = (
    "James Maria Wei Aisha Oliver Sofia Liam Priya Noah Fatima Lucas Emma Mateo Yuki Ethan Chloe "
    "Arjun Olivia Mohammed Hannah Diego Amara Lars Ingrid Kenji Zara Samuel Leila Tomasz Nadia "
    "Daniel Grace Rafael Mei Ahmed Isabel Kwame Elena Hugo Anika David Sarah Pedro Aaliyah Jonas "
    "Freya Ivan Chen Omar Julia Thomas Ava Carlos Nia Felix Laura Ravi Sanne Michael Rosa Erik "
    "Amelia Hiroshi Lucia Patrick Ama Sean Ines Viktor Eva Joseph Mia Andrei Nora Benjamin Alice "
    "Gabriel Sunita George Helena"
).split()
LAST_NAMES = (
    "Smith Garcia Wang Khan Johnson Müller Rossi Patel Brown Nguyen Silva Kim Martin Novak Ali "
    "Jones Tanaka Lopez Schmidt O'Brien Dubois Kowalski Singh Andersson Okafor Haddad Costa Chen "
    "Williams Fischer Hansen Ivanova Mensah Moreau Yamamoto Hernandez Taylor Cohen Berg Rahman "
    "Jansen Petrov Murphy Sato Gonzalez Wilson Ahmed Larsen Romano Park Davies Nowak Bianchi "
    "Mahmoud Clarke Lindqvist Oliveira Zhang Evans Kaur Thompson Schneider Walsh Adeyemi Ferrari "
    "Kumar Hughes Svensson Laurent Reyes Morgan Fernandes Wright Becker Sharma Lee Campbell "
    "Varga Owusu Stewart"
).split()


class System(NamedTuple):
    """An integration target as a real inventory records it."""

    name: str
    directions: tuple
    approvals: tuple  # what the record says about the connector: True, False or None
    external_api: bool | None = None
    enterprise: bool | None = None


_READS = bag({"read": 76, "write": 16, "bidirectional": 8})
_SENDS = bag({"write": 40, "read": 60})  # mail and chat connectors often post messages
_OFFICE = bag({True: 82, None: 15, False: 3})
_BUSINESS = bag({True: 65, None: 27, False: 8})
_EXTERNAL = bag({True: 20, None: 35, False: 45})
SYSTEMS = tuple(system for system, weight in (
    (System("SharePoint", _READS, _OFFICE), 20), (System("Dataverse", _READS, _OFFICE), 12),
    (System("SQL Server", _READS, _OFFICE), 8), (System("Excel Online", _READS, _OFFICE), 12),
    (System("Outlook", _SENDS, _OFFICE), 12), (System("Teams", _SENDS, _OFFICE), 10),
    (System("Salesforce", _READS, _BUSINESS), 5), (System("ServiceNow", _READS, _BUSINESS), 4),
    (System("SAP", _READS, _BUSINESS, enterprise=True), 5),
    (System("Workday", _READS, _BUSINESS, enterprise=True), 3),
    (System("Dynamics 365", _READS, _BUSINESS, enterprise=True), 3),
    (System("Oracle EBS", _READS, _BUSINESS, enterprise=True), 2),
    (System("NetSuite", _READS, _BUSINESS, enterprise=True), 1),
    (System("Stripe API", _READS, _EXTERNAL, external_api=True), 1),
    (System("Twilio API", _SENDS, _EXTERNAL, external_api=True), 1),
    (System("DocuSign API", _READS, _EXTERNAL, external_api=True), 1),
    (System("Exchange Rates API", _READS, _EXTERNAL, external_api=True), 1),
    (System("Partner REST API", _READS, _EXTERNAL, external_api=True), 2),
) for _ in range(weight))

# Integrations are immutable, so every variant is made once and shared by all apps.
INTEGRATION_VARIANTS = {
    (sys.name, direction, approved, asynchronous): Integration(
        sys.name, direction, approved, sys.external_api, sys.enterprise, asynchronous)
    for sys in dict.fromkeys(SYSTEMS) for direction in set(sys.directions)
    for approved in set(sys.approvals) for asynchronous in (False, True)
}


def _outcomes(events) -> list[tuple[tuple, float]]:
    """Every outcome of independent (label, chance) events, with its probability."""
    outcomes = [((), 1.0)]
    for label, p in events:
        outcomes = [(chosen + (label,), q * p) for chosen, q in outcomes] + \
                   [(chosen, q * (1 - p)) for chosen, q in outcomes]
    return outcomes


def _data_profiles(odds_by_category) -> tuple[tuple[tuple, tuple], ...]:
    """(categories, compliance) pairs repeated by likelihood: one draw per app, not ten."""
    weights = {}
    for categories, p in _outcomes(odds_by_category):
        regimes = [r for c in categories for r in COMPLIANCE_BY_CATEGORY.get(c, ())]
        for compliance, q in _outcomes(regimes):
            weights[categories, compliance] = round(p * q * 1000)
    return bag(weights)


DATA_PROFILES = {d: _data_profiles(DATA_CATEGORY_ODDS.get(d, OTHER_DATA_ODDS)) for d in SUBJECTS}
WRITES = ("write", "bidirectional")
# Facts that may be blank in a real inventory; keys and owners never are.
UNKNOWABLE = (
    "description", "platform", "environment", "lifecycle", "department", "scope", "users",
    "data_sensitivity", "data_categories", "compliance", "integrations", "criticality",
    "calc_complexity", "custom_code", "support", "dr_plan", "doc_functional",
    "doc_data_sources", "doc_logic", "created", "last_modified", "last_used",
    "approved_tier", "last_review", "users_at_last_review", "requested_on", "deployed_on",
)
# Apps at these positions (mod 100) get exactly the tier-threshold user counts.
BOUNDARY_USERS = {7: 49, 19: 50, 31: 499, 43: 500}

LIVE = ("pilot", "production", "retired")  # lifecycles that were deployed
WIDE_SCOPES = ("cross_department", "enterprise", "external")
LIFECYCLE_BAG = bag({"production": 55, "pilot": 12, "development": 13, "idea": 8, "retired": 12})
SCOPE_BAG = bag({"team": 55, "department": 28, "cross_department": 11, "enterprise": 3,
                 "external": 3})
COMPLEXITY_BAG = bag({"simple": 67, "moderate": 28, "complex": 5})
CRITICALITY_BAG = bag({"low": 48, "medium": 38, "high": 11, "mission_critical": 3})
BIG_APP_CRITICALITY_BAG = bag({"low": 5, "medium": 30, "high": 40, "mission_critical": 25})
UNKNOWN_COUNT_BAG = bag({0: 40, 1: 30, 2: 18, 3: 8, 4: 4})
INTEGRATION_COUNT_BAG = bag({0: 40, 1: 30, 2: 16, 3: 9, 4: 5})
LEAD_WEEKS_BAG = bag({1: 8, 2: 16, 3: 18, 4: 16, 5: 10, 6: 8, 8: 8, 10: 6, 12: 10})
# Days since creation: ideas are recent, retired apps old, the rest span six years.
AGE_BY_LIFECYCLE = {"idea": (2, 120), "development": (10, 365), "retired": (400, 2190)}
# (low, high) user ranges; small-scope apps are mostly tiny, wide-scope ones rarely are.
NARROW_USER_BANDS = bag({(1, 19): 62, (20, 48): 18, (51, 498): 16, (501, 6000): 4})
WIDE_USER_BANDS = bag({(1, 19): 20, (20, 48): 20, (51, 498): 45, (501, 9000): 15})
# Power Platform's shared "Default" environment is where unmanaged apps pile up.
ENVIRONMENTS = {
    ("power", True): bag({"Default": 35, "Production": 55, "Test": 5, "Sandbox": 5}),
    ("power", False): bag({"Default": 40, "Dev": 35, "Test": 10, "Sandbox": 15}),
    ("other", True): bag({"Production": 88, "Test": 6, "Sandbox": 6}),
    ("other", False): bag({"Dev": 55, "Test": 20, "Sandbox": 25}),
}
CERTIFICATION_BAGS = {
    "citizen_developer": bag({"none": 40, "trained": 38, "certified": 22}),
    "pro_developer": bag({"none": 10, "trained": 30, "certified": 60}),
    "business_owner": bag({"none": 85, "trained": 15}),
    "coe_admin": ("certified",),
}
CAPACITY_RANGES = {"citizen_developer": (3, 8), "pro_developer": (6, 15),
                   "business_owner": (3, 6), "coe_admin": (10, 15)}
