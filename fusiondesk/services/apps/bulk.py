"""Writing many apps and people at once: a generated sample, a merge of two people.

The ORM adds ~10k rows/s; the store's bulk writes add ~100k rows/s, which is what
makes a 100,000-app sample or import take seconds rather than minutes.
"""

from __future__ import annotations

from fusiondesk.core.facts import AppFacts, PersonFacts
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import database_ids, insert_app_facts
from fusiondesk.db.store.certifications import move_certificates
from fusiondesk.db.store.integrations import insert_integrations, integration_rows
from fusiondesk.db.store.ownership import move_ownerships, owner_rows, write_owners
from fusiondesk.db.store.people import delete_person, ids_by_email, insert_people, person_name
from fusiondesk.db.store.teams import insert_teams

__all__ = ["insert_apps", "insert_teams", "merge_person"]


def merge_person(session: Session, source_id: int, target_id: int) -> tuple[str | None, list[int]]:
    """Move every ownership (and dated certification) of one person to another, then remove
    the first.

    Returns the removed person's name and the apps whose owners changed. An ownership
    the target already has (same app and role) is not doubled.
    """
    name = person_name(session, source_id)
    apps = move_ownerships(session, source_id, target_id)
    move_certificates(session, source_id, target_id)  # else the cascade would drop them
    delete_person(session, source_id)
    return name, apps


def insert_apps(session: Session, apps: list[AppFacts]) -> dict[str, int]:
    """Add apps with their owners and integrations; returns app_id → database id.

    Owners not yet in the portfolio are added as people (and teams) first.
    """
    people = _ensure_people(session, apps)
    teams = insert_teams(session, {(o.team, None) for a in apps for o in a.owners if o.team})
    insert_app_facts(session, apps)
    wanted = {a.app_id for a in apps}
    ids = {k: v for k, v in database_ids(session).items() if k in wanted}
    write_owners(session, [row for a in apps
                           for row in owner_rows(ids[a.app_id], a.owners, people, teams)])
    insert_integrations(session, [row for a in apps
                                  for row in integration_rows(ids[a.app_id], a.integrations)])
    return ids


def _ensure_people(session: Session, apps: list[AppFacts]) -> dict[str, int]:
    known = ids_by_email(session)
    missing = sorted({o.email for a in apps for o in a.owners if o.email} - known.keys())
    if missing:
        return insert_people(session, (PersonFacts(email=e) for e in missing))
    return known
