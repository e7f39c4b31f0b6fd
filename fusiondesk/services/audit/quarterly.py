"""The quarterly portfolio audit: what changed since the last one, and what needs attention now.

What people did (new apps, approved tiers, owners who left) comes from the
change log. What the rules concluded (computed tier, drift, flags) is not
logged, so marking an audit done keeps a baseline of each app's tier, flags
and drift in the Setting table, and the next audit compares against it (the
first audit has nothing to compare with, so everything in it is new). "Since"
is cut at the newest log row the last audit saw. Everything "now" is
classified afresh as of `today`, not read from the cache.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from fusiondesk.core import clock
from fusiondesk.core.terms import Entity, Existence, FlagName, PersonStatus, Source, Whole
from fusiondesk.core.tiers import Classification, classify_many
from fusiondesk.db.store import Session
from fusiondesk.db.store import audit as store
from fusiondesk.db.store.apps import load_facts
from fusiondesk.db.store.settings import read_setting, write_setting
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.people.edits import apps_owned_by

HISTORY_KEY = "audit.history"  # JSON list of {"at", "who", "date", "log_id"}, oldest first
BASELINE_KEY = "audit.baseline"  # JSON {app_id: [tier, "flag;flag", drift]} at the last audit
AUDIT, PORTFOLIO, LAST_AUDIT = Entity.AUDIT, "portfolio", "last_audit"  # entity, key, field
APP_MARKER = Whole.APP  # the field of the log row that says an app came or went


@dataclass(frozen=True)
class AuditItem:
    """One app in one section of the audit, with what was found."""

    app_id: str
    name: str
    detail: str


@dataclass(frozen=True)
class Leaver:
    """An owner who left since the last audit, and the apps they still own."""

    email: str
    name: str | None
    apps: tuple[str, ...]


@dataclass
class AuditReport:
    """What changed since the last audit and what needs attention now."""

    today: date
    since: datetime | None  # when the last audit was marked done; None: the first audit
    since_log_id: int = 0  # the newest log row the last audit saw
    new_apps: list[AuditItem] = field(default_factory=list)
    tier_changes: list[AuditItem] = field(default_factory=list)
    approvals: list[AuditItem] = field(default_factory=list)
    drift: list[AuditItem] = field(default_factory=list)
    new_flags: list[AuditItem] = field(default_factory=list)
    owners_left: list[Leaver] = field(default_factory=list)
    grew_beyond_tier: list[AuditItem] = field(default_factory=list)
    critical_unsupported: list[AuditItem] = field(default_factory=list)
    changes_by_source: dict[str, int] = field(default_factory=dict)

    @property
    def first_audit(self) -> bool:
        """True when no audit was marked done before: everything counts as new."""
        return self.since is None


class _Now:
    """Every app classified as of today, keyed by app_id."""

    def __init__(self, session: Session, today: date):
        facts = list(load_facts(session).values())
        results = classify_many(facts, policy_in_force(session), today)
        self.names = {f.app_id: f.name for f in facts}
        self.approved = {f.app_id: f.approved_tier for f in facts}
        self.results: dict[str, Classification] = {f.app_id: r for f, r in zip(facts, results)}

    def item(self, app_id: str, detail: str) -> AuditItem:
        return AuditItem(app_id, self.names[app_id], detail)

    def with_flag(self, name: str) -> list[AuditItem]:
        return [self.item(app_id, flag.explanation) for app_id, r in self.results.items()
                for flag in r.flags if flag.name == name]

    def baseline(self) -> dict[str, list]:
        return {app_id: [r.tier, ";".join(r.flag_names), r.drift]
                for app_id, r in self.results.items()}


def audit_history(session: Session) -> list[dict]:
    """Every audit marked done, oldest first: {'at', 'who', 'date', 'log_id'}."""
    return json.loads(read_setting(session, HISTORY_KEY) or "[]")


def last_audit(session: Session) -> dict | None:
    """The audit marked done most recently, if any."""
    found = audit_history(session)
    return found[-1] if found else None


def audit_since_last(session: Session, today: date | None = None) -> AuditReport:
    """The audit as of `today`: changes since the last one, and what needs attention now."""
    today = today or clock.today()
    last = last_audit(session)
    since = datetime.fromisoformat(last["at"]) if last else None
    seen = last["log_id"] if last else 0
    now = _Now(session, today)
    # The first audit has nothing to compare with: every app, flag and drift is new.
    baseline = json.loads(read_setting(session, BASELINE_KEY) or "null") if last else {}
    report = AuditReport(today, since, seen)
    report.new_apps = _new_apps(session, seen, now, baseline)
    report.approvals = _approvals(session, seen, now)
    report.owners_left = _leavers(session, seen)
    report.changes_by_source = _changes_by_source(session, seen)
    _compare(report, now, baseline or {})
    report.grew_beyond_tier = now.with_flag(FlagName.USER_GROWTH)
    report.critical_unsupported = now.with_flag(FlagName.CRITICAL_WITHOUT_SUPPORT)
    return report


# "Since" is every log row after the newest the last audit saw: log ids only grow (rows
# are never deleted), so they cut exactly where timestamps, kept to the second, cannot.

def _new_apps(session, seen, now: _Now, baseline: dict | None) -> list[AuditItem]:
    created = store.logged_keys_since(session, seen, Entity.APP, APP_MARKER, Existence.CREATED)
    if baseline is not None:  # imports may log in bulk: anything not seen last time is new too
        created |= now.results.keys() - baseline.keys()
    return [now.item(app_id, "added") for app_id in sorted(created) if app_id in now.results]


def _approvals(session, seen, now: _Now) -> list[AuditItem]:
    changes = store.logged_changes_since(session, seen, Entity.APP, "approved_tier")
    return [now.item(key, f"approved tier {old or 'none'} → {new or 'none'} by {who}")
            for key, old, new, who in changes if key in now.results]


def _leavers(session, seen) -> list[Leaver]:
    emails = sorted(store.logged_keys_since(session, seen, Entity.PERSON, "status",
                                            PersonStatus.LEFT))
    names = store.names_with_status(session, emails, PersonStatus.LEFT)
    app_ids = store.app_ids_by_db_id(session)

    def still_owned(email: str) -> tuple[str, ...]:
        return tuple(sorted(app_ids[db_id] for db_id in apps_owned_by(session, email)))

    # Someone who came back since (status no longer 'left') is no leaver.
    return [Leaver(email, names[email], still_owned(email)) for email in emails if email in names]


def _changes_by_source(session, seen) -> dict[str, int]:
    return store.changes_by_source_since(session, seen, Source.AUDIT)


def _compare(report: AuditReport, now: _Now, baseline: dict) -> None:
    """Tier changes, new drift and new flags against the baseline (all new without one)."""
    for app_id, result in now.results.items():
        then_tier, then_flags, then_drift = baseline.get(app_id, (None, "", False))
        if then_tier is not None and then_tier != result.tier:
            moved = f"Tier {then_tier} → Tier {result.tier}"
            report.tier_changes.append(now.item(app_id, moved))
        if result.drift and not then_drift:
            report.drift.append(now.item(
                app_id, f"computed Tier {result.tier}, approved Tier {now.approved[app_id]}"))
        added = [f for f in result.flags if f.name not in then_flags.split(";")]
        if added:
            report.new_flags.append(now.item(app_id, "; ".join(f.label for f in added)))


def mark_audit_done(session: Session, who: str, today: date | None = None) -> ChangeSet:
    """Record that the audit was done now, keep its baseline, and log it (undoable)."""
    today = today or clock.today()
    before = {key: read_setting(session, key) for key in (HISTORY_KEY, BASELINE_KEY)}
    history = audit_history(session)
    previous = history[-1]["date"] if history else None
    change = FieldChange(AUDIT, PORTFOLIO, LAST_AUDIT, previous, today.isoformat())
    log_changes(session, [change], who, Source.AUDIT)  # first, so the next audit starts after it
    history.append({"at": datetime.now().replace(microsecond=0).isoformat(), "who": who,
                    "date": today.isoformat(), "log_id": store.newest_log_id(session)})
    write_setting(session, HISTORY_KEY, json.dumps(history))
    write_setting(session, BASELINE_KEY, json.dumps(_Now(session, today).baseline(), sort_keys=True))
    return ChangeSet([change], snapshots={AUDIT: before})


def revert_audit(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo (or redo) marking an audit done; logged as its own change."""
    before = {key: read_setting(session, key) for key in (HISTORY_KEY, BASELINE_KEY)}
    for key, value in done.snapshots[AUDIT].items():
        write_setting(session, key, value)
    change = next(c for c in done.changes if c.field == LAST_AUDIT)
    undone = FieldChange(AUDIT, PORTFOLIO, LAST_AUDIT, change.new, change.old)
    log_changes(session, [undone], who, Source.UNDO)
    return ChangeSet([undone], snapshots={AUDIT: before})


def audit_json(report: AuditReport) -> dict:
    """The report as the CLI prints it."""
    def items(found):
        return [{"app_id": i.app_id, "name": i.name, "detail": i.detail} for i in found]

    return {
        "today": report.today.isoformat(),
        "since": report.since.isoformat(sep=" ") if report.since else None,
        "first_audit": report.first_audit,
        **{name: items(getattr(report, name)) for name in SECTIONS if name != "owners_left"},
        "owners_left": [{"email": p.email, "name": p.name, "apps": list(p.apps)}
                        for p in report.owners_left],
        "changes_by_source": report.changes_by_source,
    }


# The report's sections in the order people read them, with their headings.
SECTIONS = {
    "new_apps": "New apps",
    "tier_changes": "Tier changes",
    "approvals": "Approved tiers set",
    "drift": "New tier drift",
    "new_flags": "New warning signs",
    "owners_left": "Owners who left",
    "grew_beyond_tier": "Grew beyond their tier",
    "critical_unsupported": "Critical apps lacking support",
}

