"""Escalation cases as the lead reads them: one case, an app's cases, the filtered list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fusiondesk.core.errors import NotFound
from fusiondesk.core.escalation import is_open, next_step, trigger_label
from fusiondesk.core.terms import Entity
from fusiondesk.db.store import Session
from fusiondesk.db.store import escalations as store
from fusiondesk.db.store.escalations import CASE_FIELDS
from fusiondesk.services.apps.edits import db_id_of

ENTITY = Entity.ESCALATION


@dataclass(frozen=True, slots=True)
class Case:
    """One escalation case with its app."""

    id: int
    app_id: str
    app_name: str
    trigger: str
    reason: str | None
    owner: str
    stage: str
    partner_email: str | None
    rebuild: str | None
    outcome: str | None
    lesson: str | None
    policy_change: str | None
    recognised_on: date
    partnered_on: date | None
    decided_on: date | None
    closed_on: date | None

    @property
    def key(self) -> str:
        """The case's change-log key: 'APP_ID#CASE_ID' (as a review's)."""
        return case_key(self.app_id, self.id)

    @property
    def is_open(self) -> bool:
        """True while the case is not closed."""
        return is_open(self.stage)

    @property
    def next_step(self) -> str:
        """What the case needs next, in words."""
        return next_step(self.stage)

    @property
    def trigger_label(self) -> str:
        """What the case was opened from, in words."""
        return trigger_label(self.trigger)

    def as_dict(self) -> dict:
        """The `escalations --json` record of the case."""
        values = {name: getattr(self, name) for name in ("id", "app_id", "app_name", *CASE_FIELDS)}
        for name in ("recognised_on", "partnered_on", "decided_on", "closed_on"):
            values[name] = values[name].isoformat() if values[name] else None
        values["partner"] = values.pop("partner_email")
        values["linked_change"] = values.pop("policy_change")
        values["next_step"] = self.next_step
        return values


def case_key(app_id: str, case_id: int) -> str:
    """The change-log key of a case."""
    return f"{app_id}#{case_id}"


def case_id_of(key: str) -> int:
    """The case id in a case key."""
    return int(key.rpartition("#")[2])


def load_case(session: Session, case_id: int) -> Case:
    """One case by id; a refusal naming it when there is none."""
    rows = store.case_rows(session, case_id=case_id)
    if not rows:
        raise NotFound(f"There is no escalation case #{case_id}; run `fusiondesk escalations` "
                       "for the cases there are.")
    return Case(*rows[0])


def list_cases(session: Session, open_only: bool | None = None, stage: str | None = None,
               text: str | None = None) -> list[Case]:
    """Cases, newest first: open or closed ones, at a stage, mentioning every word of `text`
    in their lesson, outcome, rebuild decision, reason or app name."""
    words = tuple((text or "").split())
    return [Case(*row) for row in store.case_rows(session, open_only=open_only, stage=stage,
                                                 words=words)]


def app_cases(session: Session, app_id: str) -> list[Case]:
    """Every case of one app, newest first."""
    return [Case(*row) for row in store.case_rows(session, app_db_id=db_id_of(session, app_id))]


def policy_changes(session: Session) -> list[tuple[str, object, str, str]]:
    """Recent policy saves a lesson can be linked to: (change id, when, who, settings)."""
    return store.policy_changes(session)
