"""Use cases for people: list, edit (status, leave date, manager, ...), create, delete.

A person's status decides whether their apps still have an active owner, so
a change to what their apps' owners carry of them (status, role, name, e-mail)
reclassifies the apps they own, and those of every team they are a member of.
"""

from __future__ import annotations

from typing import Any

from fusiondesk.core.errors import NotFound, StaleEdit
from fusiondesk.core.fields import PERSON_FIELD_BY_NAME, PERSON_FIELDS
from fusiondesk.core.terms import Entity, Existence, PersonStatus, Source, Whole
from fusiondesk.core.validation import InvalidValues, check_lengths, check_values, is_email
from fusiondesk.db.store import Session
from fusiondesk.db.store import certifications as certifications_store
from fusiondesk.db.store import ownership as ownership_store
from fusiondesk.db.store import people as people_store
from fusiondesk.db.store import teams as team_store
from fusiondesk.db.store.apps import refresh_owner_summaries
from fusiondesk.db.store.deployers import apps_deployed_by
from fusiondesk.db.store.limits import person_limits
from fusiondesk.db.store.ownership import PERSON_COLUMNS_IN_OWNERS, write_owners
from fusiondesk.db.store.people import StoredPerson
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes, stale_edit
from fusiondesk.services.classification.reclassify import reclassify

PERSON_COLUMNS = tuple(f.name for f in PERSON_FIELDS)
WHOLE_PERSON = Whole.PERSON  # the field of a log row about the whole person (made, removed)


def list_people(session: Session, search: str = "", status: str | None = None) -> list[dict]:
    """People with the number of apps each owns, sorted by name then e-mail."""
    owned = ownership_store.apps_owned_counts(session)
    return [{**person.values, "_version": person.version, "apps_owned": owned.get(person.id, 0)}
            for person in people_store.listed_people(session, search, status)]


def person_key(values: dict) -> str:
    """How a person is addressed: their e-mail, or their name while they have none.

    An owner a platform export names only by display name is a person without an
    e-mail (see import_owners); there is one such person per name.
    """
    return values["email"] or values["name"]


def load_person(session: Session, key: str) -> tuple[dict, int]:
    """A person's values and the version they were read at."""
    stored = _read(session, key)
    return stored.values, stored.version


def _read(session: Session, key: str) -> StoredPerson:
    found = people_store.read_person(session, key)
    if found is None:
        raise NotFound(f"No person with e-mail '{key}'." if "@" in key
                       else f"No person named '{key}' without an e-mail.")
    return found


def validate_person(values: dict[str, Any]) -> None:
    """Refuse values a person cannot have, with a message per field."""
    problems = check_values(values, person=True)
    who = values.get("email") or values.get("name")
    problems.update(check_lengths(values, person_limits(), True, f"person {who}" if who else None))
    for name in ("email", "manager_email"):
        value = values.get(name)
        if value and not is_email(value):
            problems[name] = f"{PERSON_FIELD_BY_NAME[name].label} '{value}' is not an e-mail address"
    if problems:
        raise InvalidValues(problems)


def save_person(session: Session, email: str, changes: dict[str, Any], expected_version: int,
                who: str, source: str = Source.EDIT, detail: str | None = None) -> ChangeSet:
    """Apply an edit made on the copy read at `expected_version`."""
    validate_person(changes)
    stored = _read(session, email)
    before, version = stored.values, stored.version
    _check_email_change(session, before, changes)
    if version != expected_version:
        raise _stale(before, changes)
    diff = {k: v for k, v in changes.items() if before.get(k) != v}
    result = ChangeSet(versions={(Entity.PERSON, person_key(before)): version + (1 if diff else 0)})
    if not diff:
        return result
    if not people_store.update_person(session, stored, diff):
        raise _stale(load_person(session, email)[0], changes)
    key = person_key({**before, **diff})  # completing an e-mail makes it the key
    result.changes = [FieldChange(Entity.PERSON, key, k, before.get(k), v) for k, v in diff.items()]
    result.versions = {(Entity.PERSON, key): version + 1}
    log_changes(session, result.changes, who, source, detail)
    if PERSON_COLUMNS_IN_OWNERS.isdisjoint(diff):
        return result  # nothing their apps show of them, or classify by, changed
    owned = apps_owned_by(session, key)
    if "email" in diff:  # their apps showed them by name: now by e-mail
        refresh_owner_summaries(session, owned)
    # the apps they deployed too: the production gate checks the deployer's role (issue 17);
    # and their teams' apps: a team is as active as its members
    deployed = apps_deployed_by(session, [before.get("email"), before.get("name"), key])
    reclassify(session, sorted(set(ownership_store.apps_depending_on(session, key)) | set(deployed)))
    return result


def _check_email_change(session: Session, before: dict, changes: dict) -> None:
    """An e-mail is set once: filled in for someone without one, never changed after."""
    new = changes.get("email")
    if "email" not in changes or new == before["email"]:
        return
    if before["email"] is not None or not new:
        # the e-mail is the key other portfolios and imports match people by
        raise InvalidValues({"email": "An e-mail cannot be changed; add the new address as a new person."})
    if people_store.email_in_use(session, new):
        raise InvalidValues({"email": f"{new} is already in the portfolio; that person owns "
                                      "nothing of this one's until you merge them by import"})


def create_person(session: Session, values: dict[str, Any], who: str,
                  source: str = Source.EDIT) -> ChangeSet:
    """Add a person (their e-mail must be new)."""
    email = (values.get("email") or "").strip().lower()
    if not email and source == Source.UNDO and values.get("name"):
        email = None  # bringing back someone who had no e-mail yet
    values = {**values, "email": email}
    values.setdefault("status", PersonStatus.ACTIVE)
    validate_person({k: v for k, v in values.items() if v is not None or k != "email"})
    if email is not None and people_store.email_in_use(session, email):
        raise InvalidValues({"email": f"{email} is already in the portfolio"})
    people_store.insert_person(session, values)
    change = FieldChange(Entity.PERSON, person_key(values), WHOLE_PERSON, None, Existence.CREATED)
    log_changes(session, [change], who, source)
    return ChangeSet([change], {(Entity.PERSON, person_key(values)): 1})


def delete_person(session: Session, email: str, who: str) -> ChangeSet:
    """Remove a person and their ownerships; undo brings both back."""
    stored = _read(session, email)
    key = person_key(stored.values)
    owned = ownership_store.apps_depending_on(session, key)  # their teams lose a member
    ownerships = ownership_store.roles_of(session, stored.id)
    teams = team_store.memberships_of(session, stored.id)
    certificates = [c.certificate for c in certifications_store.certificates_of(session, stored.id)]
    people_store.delete_person(session, stored.id)
    change = FieldChange(Entity.PERSON, key, WHOLE_PERSON, Existence.EXISTS, Existence.DELETED)
    log_changes(session, [change], who, Source.EDIT)
    reclassify(session, owned)
    return ChangeSet([change], snapshots={key: (stored.values, ownerships, teams, certificates)})


def revert_person(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a person change set; logged as its own change."""
    result = ChangeSet()
    for email, (values, ownerships, *rest) in done.snapshots.items():
        teams, certificates = (*rest, (), ())[:2]  # older snapshots hold neither
        result.extend(create_person(session, values, who, source=Source.UNDO))
        person_id = _read(session, email).id
        if certificates:  # their dated certifications went with them (cascade): back too
            certifications_store.insert_certificates(session, [(person_id, c) for c in certificates])
        if ownerships:
            write_owners(session, [(app_id, role, person_id, None) for app_id, role in ownerships])
        if teams:  # back in the teams they were in
            team_store.write_members(session, [(team, person_id, role) for team, role in teams])
        reclassify(session, ownership_store.apps_depending_on(session, email))
    for change in done.changes:
        if change.field == WHOLE_PERSON and change.new == Existence.CREATED:
            result.extend(delete_person(session, change.key, who))
    for email in done.keys(Entity.PERSON):
        if email in done.snapshots or any(c.key == email and c.field == WHOLE_PERSON
                                          for c in done.changes):
            continue
        old = {c.field: c.old for c in done.changes if c.key == email and c.entity == Entity.PERSON}
        version = done.versions[(Entity.PERSON, email)]
        result.extend(save_person(session, email, old, version, who, Source.UNDO))
    return result


def apps_owned_by(session: Session, email: str) -> list[int]:
    """Database ids of the apps a person owns in any role."""
    return ownership_store.apps_owned_by(session, email)


def _stale(current: dict, attempted: dict) -> StaleEdit:
    return stale_edit(person_key(current), current, attempted, PERSON_FIELD_BY_NAME)
