"""A citizen developer's certifications per platform, and whether a builder is qualified for a tier.

How the person-level `certification` field relates to the per-platform records: the
person-level level (and its `certified_platforms` list) is what the directory, an HR
export or the lead said, kept as imported, undated. The per-platform records are the
dated ones (platform, level, obtained, expiry). When a person has at least one record,
the records decide: only a current (unexpired) record on a platform counts for that
platform. When a person has none, the person-level fields stand in as undated records:
"certified" with listed platforms is certified on those; "certified" or "trained" without
platforms counts on any platform (the lead said so, without saying where). "none" is
known to be none; an unknown level with no records is unknown, and no rule guesses.

The qualification rule (DOMAIN's tier table, "who builds"):
  Tier 1  anyone;
  Tier 2  a builder trained or certified on the app's platform;
  Tier 3+ a builder certified on the app's platform, and an active pro-dev partner on the app.
The builder is the app's active primary owner in the role of citizen developer (a
pro-developer is qualified for any tier). Expired certifications never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Iterable, Sequence

from fusiondesk.core.policy import name_key
from fusiondesk.core.terms import ACTIVE_STATUSES, Certification, OwnerRole, PersonRole

ANY_PLATFORM = ""  # the platform of a person-level level given without platforms
_RANK = {Certification.NONE: 0, Certification.TRAINED: 1, Certification.CERTIFIED: 2}
_LEVEL_TEXT = {level: level.value for level in _RANK}  # a level as the plain text it is stored as
_NONE = Certification.NONE
_ACTIVE = frozenset(ACTIVE_STATUSES)
_PRIMARY, _PARTNER = OwnerRole.PRIMARY.value, OwnerRole.PRODEV_PARTNER.value
_CITIZEN, _PRODEV = PersonRole.CITIZEN_DEVELOPER.value, PersonRole.PRO_DEVELOPER.value


@dataclass(frozen=True, slots=True)
class Certificate:
    """One certification of one person on one platform (hashable: owners share them)."""

    platform: str
    level: str  # trained | certified
    obtained: date | None = None
    expires: date | None = None
    name: str | None = None  # the exam or course, e.g. "PL-100"

    def is_current(self, today: date) -> bool:
        """True until the end of the expiry day; a certificate without expiry never lapses."""
        return self.expires is None or self.expires >= today

    def covers(self, platform: str | None) -> bool:
        """True when this certificate is about the platform (any, for a person-level level)."""
        return self.platform == ANY_PLATFORM or (
            platform is not None and name_key(self.platform) == name_key(platform))

    def describe(self, today: date) -> str:
        """E.g. 'certified on Power Apps (PL-100), expired 2025-03-01'."""
        where = f" on {self.platform}" if self.platform else ""
        exam = f" ({self.name})" if self.name else ""
        if self.expires is None:
            return f"{self.level}{where}{exam}"
        lapse = "expires" if self.is_current(today) else "expired"
        return f"{self.level}{where}{exam}, {lapse} {self.expires.isoformat()}"


def standing(level: str | None, platforms: Sequence[str],
             records: Sequence[Certificate]) -> tuple[Certificate, ...] | None:
    """What counts for a person: their records, else their person-level level; None if unknown."""
    if records:
        return tuple(records)
    if level is None:
        return None
    if level not in (Certification.TRAINED, Certification.CERTIFIED):
        return ()
    if level == Certification.CERTIFIED and platforms:
        return tuple(Certificate(p, level) for p in platforms)
    return (Certificate(ANY_PLATFORM, level),)


def level_on(certificates: Iterable[Certificate], platform: str | None, today: date) -> str:
    """The highest current level on a platform: certified, trained or none."""
    # Runs for every builder of every app classified: ranks by plain text, no Enum made.
    best, best_rank = _NONE, 0
    for cert in certificates:
        rank = _RANK.get(cert.level, 0)
        if rank > best_rank and cert.is_current(today) and cert.covers(platform):
            best, best_rank = cert.level, rank
    return _LEVEL_TEXT[best]


def highest_current(certificates: Iterable[Certificate], today: date) -> str:
    """The highest level a person holds now on any platform."""
    levels = [c.level for c in certificates if c.is_current(today)]
    return max(levels, key=lambda level: _RANK.get(level, 0), default=Certification.NONE.value)


def certified_platforms_now(certificates: Iterable[Certificate], today: date) -> frozenset[str]:
    """Name keys of the platforms a person is currently certified on (ANY_PLATFORM for any)."""
    return frozenset(name_key(c.platform) for c in certificates
                     if c.level == Certification.CERTIFIED and c.is_current(today))


def needed_level(tier: int) -> str:
    """The level a citizen builder needs on the app's platform for a tier."""
    if tier >= 3:
        return Certification.CERTIFIED.value
    return Certification.TRAINED.value if tier == 2 else Certification.NONE.value


def unqualified_builders(owners: Sequence, platform: str | None, tier: int,
                         today: date) -> str | None:
    """Why the app's builders are not qualified for its tier, or None when they are.

    `owners` are core `Owner`s; a builder whose certifications are unknown raises
    nothing (a flag is raised on evidence), nor does an app whose platform is unknown.
    """
    if tier < 2 or not platform:
        return None
    # the builders: active citizen primary owners (written out: this runs for every app)
    builders = [o for o in owners if o.role == _PRIMARY and o.person_role == _CITIZEN
                and not o.team and o.status in _ACTIVE]
    if not builders:
        return None  # what is asked of builders: nobody to ask it of
    needed = needed_level(tier)
    problems = [p for p in (_short_of(o, platform, needed, today) for o in builders) if p]
    if tier >= 3 and not _has_partner(owners):
        problems.append("no active pro-dev partner on the app")
    return _explained(tuple(problems), tier, platform) if problems else None


@lru_cache(maxsize=50_000)  # builders' shortfalls repeat across their apps: one text each
def _explained(problems: tuple[str, ...], tier: int, platform: str) -> str:
    rule = (f"Tier {tier} needs its builder certified on {platform} and a pro-dev partner"
            if tier >= 3 else f"Tier 2 needs its builder trained or certified on {platform}")
    return f"{rule}: " + "; ".join(problems)


def _has_partner(owners: Sequence) -> bool:
    for o in owners:
        if (o.role == _PARTNER or o.person_role == _PRODEV) and not o.team and o.status in _ACTIVE:
            return True
    return False


def _short_of(owner, platform: str, needed: str, today: date) -> str | None:
    """What a builder lacks for `needed` on `platform`, or None.

    A builder has apps across the portfolio, and their Owner is one object shared by all
    of them (as read in bulk): what they lack is worked out once per platform and level
    and remembered by that object's identity. The entry keeps the object, so the identity
    cannot pass to another while it is remembered.
    """
    key = (id(owner), platform, needed, today)
    seen = _SHORTFALLS.get(key)
    if seen is not None and seen[0] is owner:
        return seen[1]
    if len(_SHORTFALLS) >= _SHORTFALLS_KEPT:
        _SHORTFALLS.clear()
    found = _shortfall(owner, platform, needed, today)
    _SHORTFALLS[key] = (owner, found)
    return found


_SHORTFALLS: dict[tuple, tuple] = {}
_SHORTFALLS_KEPT = 50_000


def _shortfall(owner, platform: str, needed: str, today: date) -> str | None:
    certificates = owner.certificates
    if certificates is None:
        return None
    held = level_on(certificates, platform, today)
    if _RANK[held] >= _RANK[needed]:  # a level's text finds its Enum key
        return None
    who = owner.key or "the builder"
    lapsed = [c for c in certificates if c.covers(platform) and not c.is_current(today)]
    what = f"{held} on {platform}" if held != Certification.NONE else f"not {needed} on {platform}"
    if lapsed:
        what += "; " + ", ".join(c.describe(today) for c in lapsed)
    return f"{who} is {what}"


# --- quarters: solutions delivered and the recognition list are counted per quarter --------

def quarter_of(day: date) -> str:
    """E.g. '2026-Q3'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(text: str) -> tuple[date, date] | None:
    """The first and last day of a 'YYYY-Qn' quarter; None when the text is not one."""
    year, _, number = text.strip().upper().partition("-Q")
    if not (year.isdigit() and len(year) == 4 and number in ("1", "2", "3", "4")):
        return None
    first = date(int(year), 3 * int(number) - 2, 1)
    following = date(int(year) + 1, 1, 1) if number == "4" else date(int(year), first.month + 3, 1)
    return first, date.fromordinal(following.toordinal() - 1)


# --- one certification as the change log and the editor write it ---------------------

def record_text(cert: Certificate) -> str:
    """E.g. 'certified (PL-100), obtained 2025-01-10, expires 2027-01-10'."""
    text = cert.level + (f" ({cert.name})" if cert.name else "")
    if cert.obtained:
        text += f", obtained {cert.obtained.isoformat()}"
    if cert.expires:
        text += f", expires {cert.expires.isoformat()}"
    return text


def certificate_problems(cert: Certificate) -> dict[str, str]:
    """What is wrong with a certification as entered, by field (empty when nothing)."""
    problems = {}
    if not cert.platform.strip():
        problems["platform"] = "Name the platform the certification is on (e.g. Power Apps)"
    elif len(cert.platform) > 100:
        problems["platform"] = "The platform's name is longer than 100 characters"
    if cert.level not in (Certification.TRAINED, Certification.CERTIFIED):
        problems["level"] = f"The level '{cert.level}' is neither trained nor certified"
    if cert.name and len(cert.name) > 200:
        problems["name"] = "The exam or course name is longer than 200 characters"
    if cert.obtained and cert.expires and cert.expires < cert.obtained:
        problems["expires"] = (f"It expires ({cert.expires.isoformat()}) before it was obtained "
                               f"({cert.obtained.isoformat()}): correct one of the dates")
    return problems


def recent_quarters(today: date, count: int) -> list[str]:
    """This quarter and the `count - 1` before it, newest first."""
    year, index = today.year, (today.month - 1) // 3
    found = []
    for _ in range(count):
        found.append(f"{year}-Q{index + 1}")
        year, index = (year - 1, 3) if index == 0 else (year, index - 1)
    return found
