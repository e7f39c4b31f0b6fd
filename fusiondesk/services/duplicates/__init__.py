"""Likely duplicates across the portfolio, and the lead's keep / merge / retire decisions.

A decision is recorded against the key of the group's members (`core.duplicates.group_key`):
while the group is found with exactly those members it is shown as decided and not asked
again; when an app joins or leaves it, the key changes and the group comes back undecided.
Each decision is in the change log (entity "duplicates", key "GROUP_KEY#DECISION_ID") and
undoable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fusiondesk.core import clock
from fusiondesk.core.duplicates import Candidate, DuplicateGroup, find_duplicates
from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.terms import DuplicateVerdict, Entity, Existence, Source, Whole
from fusiondesk.db.store import Session
from fusiondesk.db.store import duplicates as store
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes

ENTITY = Entity.DUPLICATES
MARKER = Whole.DECISION
MEMBERS_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class Decision:
    """A recorded verdict on a group of likely duplicates."""

    id: int
    group_key: str
    app_ids: tuple[str, ...]
    decision: str
    who: str
    decided_on: date
    note: str | None
    score: float | None

    def as_dict(self) -> dict:
        """JSON-ready values."""
        return {"id": self.id, "key": self.group_key, "app_ids": list(self.app_ids),
                "decision": self.decision, "who": self.who,
                "decided_on": self.decided_on.isoformat(), "note": self.note,
                "score": self.score}


@dataclass(frozen=True, slots=True)
class DuplicateReport:
    """The groups found: those awaiting a decision, and those decided (with their decision)."""

    undecided: list[DuplicateGroup]
    decided: list[tuple[DuplicateGroup, Decision]]
    apps: int  # how many apps were looked at

    def as_dict(self) -> dict:
        """The `duplicates --json` contract: groups of app ids with scores and reasons."""
        return {"apps": self.apps,
                "groups": [{**g.as_dict(), "decision": None} for g in self.undecided]
                + [{**g.as_dict(), "decision": d.as_dict()} for g, d in self.decided]}


def candidates(session: Session) -> list[Candidate]:
    """Every app as duplicate detection reads it."""
    return [Candidate(app_id, name or "", department, platform, _systems(integrations),
                      _listed(data))
            for app_id, name, department, platform, integrations, data
            in store.candidate_rows(session)]


def _systems(summary: str | None) -> frozenset[str]:
    # "SAP:write:approved; Dataverse:read" -> {"sap", "dataverse"}
    return frozenset(item.split(":", 1)[0].strip().lower() for item in _split(summary))


def _listed(text: str | None) -> frozenset[str]:
    return frozenset(item.strip().lower() for item in _split(text))


def _split(text: str | None) -> list[str]:
    return [part for part in (text or "").split(";") if part.strip()]


def find_groups(session: Session) -> DuplicateReport:
    """The likely duplicates now, each with the decision its exact members have, if any."""
    apps = candidates(session)
    decisions = {d.group_key: d for d in reversed(list_decisions(session))}  # newest wins
    undecided, decided = [], []
    for group in find_duplicates(apps):
        decision = decisions.get(group.key)
        if decision is None:
            undecided.append(group)
        else:
            decided.append((group, decision))
    return DuplicateReport(undecided, decided, len(apps))


def list_decisions(session: Session) -> list[Decision]:
    """Every decision recorded, newest first."""
    return [Decision(row[0], row[1], tuple(row[2].split(MEMBERS_SEPARATOR)), *row[3:])
            for row in store.decision_rows(session)]


def decide(session: Session, group: DuplicateGroup, verdict: str, who: str,
           note: str | None = None, source: str = Source.EDIT) -> ChangeSet:
    """Record a keep / merge / retire decision on a group; logged and undoable."""
    verdict = _verdict(verdict)
    values = {"group_key": group.key, "members": MEMBERS_SEPARATOR.join(group.app_ids),
              "decision": verdict, "who": who, "decided_on": clock.today(),
              "note": (note or "").strip() or None, "score": group.score}
    decision_id = store.insert_decision(session, values)
    key = f"{group.key}#{decision_id}"
    changes = [FieldChange(ENTITY, key, MARKER, None, Existence.CREATED)]
    changes += [FieldChange(ENTITY, key, name, None, values[name])
                for name in ("members", "decision", "note") if values[name] is not None]
    log_changes(session, changes, who, source, f"{verdict}: {', '.join(group.app_ids)}")
    return ChangeSet(changes)


def decide_by_key(session: Session, key: str, verdict: str, who: str,
                  note: str | None = None) -> ChangeSet:
    """Record a decision on the group found now under this key (as `duplicates --json` gives it)."""
    verdict = _verdict(verdict)  # before the search: a typo is told at once
    report = find_groups(session)
    for group in [*report.undecided, *(g for g, _ in report.decided)]:
        if group.key == key:
            return decide(session, group, verdict, who, note)
    raise PortfolioError(f"No group of likely duplicates has the key '{key}' now; run "
                         "`fusiondesk duplicates` for the current keys and try again.")


def _verdict(text: str) -> str:
    try:
        return DuplicateVerdict(text.strip().lower()).value
    except ValueError:
        allowed = ", ".join(v.value for v in DuplicateVerdict)
        raise PortfolioError(f"'{text}' is no duplicate decision; use one of {allowed}.") from None


def revert_decision(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a decision (withdraw it), or redo a withdrawn one (record it again)."""
    result = ChangeSet()
    for key in done.keys(ENTITY):
        marker = next(c for c in done.changes if c.key == key and c.field == MARKER)
        decision_id = int(key.rpartition("#")[2])
        if marker.new == Existence.CREATED:
            values = store.decision_values(session, decision_id)
            if values is None:
                continue
            store.delete_decision(session, decision_id)
            change = FieldChange(ENTITY, key, MARKER, Existence.EXISTS, Existence.DELETED)
            result.snapshots[key] = values
        else:
            store.insert_decision(session, done.snapshots[key], decision_id)
            change = FieldChange(ENTITY, key, MARKER, None, Existence.CREATED)
        log_changes(session, [change], who, Source.UNDO)
        result.changes.append(change)
    return result
