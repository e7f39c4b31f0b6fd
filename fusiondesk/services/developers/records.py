"""Each citizen developer's record: certifications (with expiry), solutions delivered per
quarter, hours saved, and the apps they build that their certification does not cover.

Hours saved per year are the app's, as the Programme page counts them (core.value: minutes
per run × runs a month when both are known, else hours saved per month, × 12); an app without
them is counted as unknown, never as zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fusiondesk.core.certification import (
    Certificate,
    highest_current,
    level_on,
    needed_level,
    quarter_of,
    standing,
)
from fusiondesk.core.terms import Certification, FlagName
from fusiondesk.core.value import Ledger, hours_per_year
from fusiondesk.core.values import split_list
from fusiondesk.db.store import Session
from fusiondesk.db.store import certifications as store

_UNQUALIFIED = FlagName.UNQUALIFIED_BUILDER.value


@dataclass(frozen=True, slots=True)
class BuiltApp:
    """An app a developer built (is primary owner of)."""

    app_id: str
    name: str
    platform: str | None
    lifecycle: str | None
    tier: int | None
    deployed_on: date | None
    hours_saved_per_year: int | None
    unqualified: bool


@dataclass
class DeveloperRecord:
    """One citizen developer: who, what they are certified for, what they delivered."""

    key: str
    name: str | None
    department: str | None
    role: str | None
    status: str | None
    certification: str | None  # the person-level level, as imported or entered
    certificates: list[tuple[int, Certificate]] = field(default_factory=list)
    apps: list[BuiltApp] = field(default_factory=list)

    def current_level(self, today: date) -> str | None:
        """The highest level that counts today (None when nothing is known)."""
        counted = standing(self.certification, (), [c for _id, c in self.certificates])
        return None if counted is None else highest_current(counted, today)

    def delivered(self, first: date | None = None, last: date | None = None) -> list[BuiltApp]:
        """Apps deployed (deployed_on known), within [first, last] when given."""
        return [a for a in self.apps if a.deployed_on is not None
                and (first is None or a.deployed_on >= first)
                and (last is None or a.deployed_on <= last)]

    def delivered_per_quarter(self) -> dict[str, int]:
        """Solutions delivered per quarter, oldest first."""
        counts: dict[str, int] = {}
        for app in sorted(self.delivered(), key=lambda a: a.deployed_on):
            quarter = quarter_of(app.deployed_on)
            counts[quarter] = counts.get(quarter, 0) + 1
        return counts

    def unqualified_apps(self) -> list[BuiltApp]:
        """The apps carrying the 'builder not qualified' warning sign."""
        return [a for a in self.apps if a.unqualified]


def developer_records(session: Session) -> list[DeveloperRecord]:
    """Every citizen developer (and anyone with a certification or an app they built)."""
    built = store.built_apps(session)
    certificates = store.all_certificates(session)
    records = []
    for key, name, department, role, level, platforms, status in store.developer_people(session):
        record = DeveloperRecord(key, name, department, role, status, level)
        record.certificates = [(c.id, c.certificate) for c in certificates.get(key, ())]
        record.apps = [_built(row) for row in built.get(key, ())]
        records.append(record)
    return records


def _built(row: tuple) -> BuiltApp:
    app_id, name, platform, lifecycle, tier, deployed, hours, minutes, runs, flags = row
    yearly = hours_per_year(Ledger(hours, minutes, runs))
    yearly = None if yearly is None else round(yearly)
    return BuiltApp(app_id, name, platform, lifecycle, tier, deployed, yearly,
                    _UNQUALIFIED in (split_list(flags) or ()))


def shortfall(record: DeveloperRecord, app: BuiltApp, today: date) -> str:
    """What the builder lacks for the app's tier, in words ('needs certified, has trained')."""
    counted = standing(record.certification, (), [c for _id, c in record.certificates]) or ()
    held, needed = level_on(counted, app.platform, today), needed_level(app.tier or 1)
    if held == needed or held == Certification.CERTIFIED:  # qualified: the partner is missing
        return f"Tier {app.tier} needs a pro-dev partner on the app"
    return f"needs {needed} on {app.platform}, has {held}"


def record_json(record: DeveloperRecord, today: date) -> dict:
    """The record as `developers --json` prints it."""
    delivered = record.delivered()
    hours, unknown = hours_saved(delivered)
    return {
        "email": record.key if "@" in record.key else None,
        "name": record.name, "department": record.department, "status": record.status,
        "certification": record.certification, "current_level": record.current_level(today),
        "certifications": [_certificate_json(c, today) for _id, c in record.certificates],
        "apps_built": len(record.apps),
        "solutions_delivered": len(delivered),
        "delivered_per_quarter": record.delivered_per_quarter(),
        "hours_saved_per_year": hours, "hours_unknown": unknown,
        "unqualified_apps": [{"app_id": a.app_id, "name": a.name, "tier": a.tier,
                              "platform": a.platform, "why": shortfall(record, a, today)}
                             for a in record.unqualified_apps()],
    }


def _certificate_json(cert: Certificate, today: date) -> dict:
    return {"platform": cert.platform, "level": cert.level, "name": cert.name,
            "obtained": cert.obtained and cert.obtained.isoformat(),
            "expires": cert.expires and cert.expires.isoformat(),
            "expired": not cert.is_current(today)}


def hours_saved(apps: list[BuiltApp]) -> tuple[int, int]:
    """Hours saved per year over the apps whose figure is known, and how many are unknown."""
    known = [a.hours_saved_per_year for a in apps if a.hours_saved_per_year is not None]
    return sum(known), len(apps) - len(known)


def certificates_for(session: Session, person: str) -> list[tuple[int, Certificate]]:
    """One person's certifications (id, certificate), for the person editor."""
    person_id = store.person_id_of(session, person)
    if person_id is None:
        return []
    return [(s.id, s.certificate) for s in store.certificates_of(session, person_id)]

