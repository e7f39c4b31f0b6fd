"""The people and teams of the sample portfolio."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from fusiondesk.core.certification import Certificate
from fusiondesk.core.facts import PersonFacts
from fusiondesk.core.terms import PersonStatus
from fusiondesk.sample_generator.vocabulary import (
    CAPACITY_RANGES,
    CERTIFICATION_BAGS,
    DEPARTMENTS,
    FIRST_NAMES,
    LAST_NAMES,
    PLATFORMS,
    _pick,
)


@dataclass(frozen=True, slots=True)
class Team:
    """A group that can own apps together, e.g. "Finance Automation Team"."""

    name: str
    department: str
    members: tuple[tuple[str, str], ...] = ()  # (e-mail, lead | member), the lead first


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
    statuses = [PersonStatus.ACTIVE] * len(roles)
    leaving = max(1, round(len(roles) * 0.08))
    left = max(1, round(len(roles) * 0.06))
    candidates = [i for i, role in enumerate(roles) if role != "coe_admin"]
    for n, i in enumerate(rng.sample(candidates, leaving + left)):
        statuses[i] = PersonStatus.LEAVING if n < leaving else PersonStatus.LEFT
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
    if status == PersonStatus.LEAVING:
        leave_date = today + timedelta(days=1 + int(rnd() * 60))
    elif status == PersonStatus.LEFT:
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


# --- certifications per platform (the citizen developer record) ----------------------------

# What a vendor calls its certification, by platform; a certification lasts this long.
SAMPLE_EXAMS = {"Power Apps": "PL-100", "Power Automate": "PL-500",
                "Salesforce": "Platform App Builder", "ServiceNow": "CAD",
                "OutSystems": "Associate Reactive Developer", "Mendix": "Rapid Developer",
                "Zapier": "Zapier Certified Expert", "UiPath": "UiPath Automation Developer",
                "Kissflow": "Kissflow Creator", "Appian": "Appian Associate Developer"}
CERTIFICATE_DAYS = 730
NO_RECORD_SHARE = 0.25  # builders whose level is only as imported, undated


def make_certifications(people: list[PersonFacts], apps, seed: int,
                        today: date) -> dict[str, tuple[Certificate, ...]]:
    """Dated certifications per platform for most trained or certified builders, by e-mail.

    A certified person is certified on the platforms the directory lists for them; a trained
    one completed a course on the platform they build most on. Obtained up to three years
    ago and valid two years, so about a third have lapsed (and count no longer). A stream of
    its own: the people and apps are as they were.
    """
    rnd = random.Random(f"{seed}/certifications").random
    built = _platforms_built(apps)
    found: dict[str, tuple[Certificate, ...]] = {}
    for person in people:
        if person.certification not in ("trained", "certified") or person.role not in (
                "citizen_developer", "pro_developer") or rnd() < NO_RECORD_SHARE:
            continue
        certified = person.certification == "certified"
        listed = person.certified_platforms if certified else ()
        platforms = listed or built.get(person.email, ())[:1] or (_pick(PLATFORMS, rnd),)
        found[person.email] = tuple(_certificate(p, certified, rnd, today) for p in platforms)
    return found


def _certificate(platform: str, certified: bool, rnd, today: date) -> Certificate:
    obtained = today - timedelta(days=20 + int(rnd() * 1080))
    if not certified:
        return Certificate(platform, "trained", obtained, None, f"{platform} fundamentals course")
    return Certificate(platform, "certified", obtained, obtained + timedelta(days=CERTIFICATE_DAYS),
                       SAMPLE_EXAMS.get(platform))


def _platforms_built(apps) -> dict[str, tuple[str, ...]]:
    """Each primary owner's platforms, most built first."""
    counts: dict[str, dict[str, int]] = {}
    for app in apps:
        for owner in app.owners:
            if owner.role == "primary" and owner.email and app.platform:
                mine = counts.setdefault(owner.email, {})
                mine[app.platform] = mine.get(app.platform, 0) + 1
    return {email: tuple(sorted(mine, key=lambda p: (-mine[p], p))) for email, mine in counts.items()}
# The team whose builders all left: the sample's orphaned team (DOMAIN.md, "Teams own apps").
ORPHANED_TEAM = "Procurement Automation Team"


def with_members(teams: list[Team], people: list[PersonFacts], seed: int) -> list[Team]:
    """The teams with two to four builders of their department each, one of them the lead.

    Drawn from a stream of their own, so the people and apps stay as they were. The
    orphaned team is made of builders who have all left; the rest draw from everyone, so
    some lose a member to a leaver and a few are down to one active member.
    """
    rnd = random.Random(f"{seed}/team-members").random
    builders = [p for p in people if p.role in ("citizen_developer", "pro_developer")]
    gone = [p.email for p in builders if p.status == PersonStatus.LEFT]
    by_department: dict[str, list[str]] = {}
    for person in builders:
        by_department.setdefault(person.department, []).append(person.email)
    made = []
    for team in teams:
        pool = gone if team.name == ORPHANED_TEAM else (
            by_department.get(team.department) or [p.email for p in builders])
        wanted = min(len(pool), 2 + int(rnd() * 3))
        chosen: dict[str, None] = {}
        while len(chosen) < wanted:
            chosen[pool[int(rnd() * len(pool))]] = None
        made.append(Team(team.name, team.department,
                         tuple((email, "lead" if n == 0 else "member")
                               for n, email in enumerate(chosen))))
    return made
