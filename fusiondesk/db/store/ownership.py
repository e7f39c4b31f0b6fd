"""The ownership table ↔ `Owner` facts: one mapping for the single edit and the bulk import.

An owner is a person or a team in a role. A person is keyed by e-mail, or by name while
they have none (an owner a platform export named only by display name): `Owner.key`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from sqlalchemy import case, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from fusiondesk.core.certification import standing
from fusiondesk.core.facts import Owner
from fusiondesk.core.fields import OWNER_COLUMNS
from fusiondesk.core.measures import MAINTAINER_ROLES
from fusiondesk.core.terms import FlagName, Lifecycle, OwnerRole, PersonRole, PersonStatus
from fusiondesk.core.values import TEAM_COLUMN, split_list
from fusiondesk.db.models import (
    App,
    HandoverItemRecord,
    HandoverPlanRecord,
    Ownership,
    Person,
    Team,
    TeamMember,
)
from fusiondesk.db.store.certifications import builder_records
from fusiondesk.db.store.chunks import Scope, chunks
from fusiondesk.db.store.driver import delete_for_apps, insert_tuples, raw_rows
from fusiondesk.db.store.people import person_ids, person_named
from fusiondesk.db.store.teams import apps_of_members, apps_owned_by_teams, members_by_team

OWNERSHIP_COLUMNS = ("app_id", "role", "person_id", "team_id")

# What an Owner reads from the joined rows, by the Owner field it fills.
_OWNER_SOURCES = {
    "role": Ownership.role,
    "email": Person.email,
    "team": Team.name,
    "status": Person.status,
    "person_role": Person.role,
    "name": case((Person.email.is_(None), Person.name)),  # a name only while no e-mail
}
_OWNER_FIELDS = tuple(_OWNER_SOURCES)
_TEAM_AT = _OWNER_FIELDS.index("team")


def owner_rows(db_id: int, owners: Iterable[Owner], people: dict[str, int],
               teams: dict[str, int]) -> list[tuple]:
    """Ownership rows of one app, in OWNERSHIP_COLUMNS order; one per (role, person or team).

    `people` maps an owner key (e-mail, or the name of someone without one) to the
    person's id, `teams` a team's name to its id.
    """
    seen = dict.fromkeys((o.role, o.email or o.name, o.team) for o in owners)
    return [(db_id, role, people[person] if person else None, teams[team] if team else None)
            for role, person, team in seen]


def write_owners(session: Session, rows: list[tuple]) -> None:
    """Add ownership rows given as `owner_rows` builds them (straight to SQLite's driver)."""
    insert_tuples(session, Ownership.__table__, OWNERSHIP_COLUMNS, rows)


def delete_owners(session: Session, app_ids: list[int]) -> None:
    """Remove every ownership of these apps."""
    delete_for_apps(session, Ownership.__table__, app_ids)


def replace_owners(session: Session, db_id: int, owners: tuple[Owner, ...]) -> None:
    """Make `owners` the owners of one app; people and teams not yet known are added."""
    session.execute(delete(Ownership).where(Ownership.app_id == db_id))
    people = person_ids(session, [o.key for o in owners if not o.team])
    teams = team_ids(session, [o.team for o in owners if o.team])
    write_owners(session, owner_rows(db_id, owners, people, teams))


def team_ids(session: Session, names: list[str]) -> dict[str, int]:
    """Ids of teams by name; a team not yet known is added."""
    wanted = set(names)
    found = dict(session.execute(select(Team.name, Team.id).where(Team.name.in_(wanted))).all())
    for name in sorted(wanted - found.keys()):
        found[name] = session.execute(insert(Team).values(name=name)).inserted_primary_key[0]
    return found


def read_owners(session: Session, scope: Scope | None = None) -> dict[int, list[Owner]]:
    """The owners of the apps in `scope` (every app by default), by app database id, in order.

    A person owning many apps in the same role is one shared Owner object; a team carries
    its members' keys and statuses (a team is only as active as its members).
    """
    query = (
        select(Ownership.app_id, *_OWNER_SOURCES.values(), *_LEVEL_SOURCES)
        .outerjoin(Person, Ownership.person_id == Person.id)
        .outerjoin(Team, Ownership.team_id == Team.id)
        .order_by(Ownership.app_id, Ownership.id)
    )
    result: dict[int, list[Owner]] = {}
    shared: dict[tuple, Owner] = {}
    # The qualification flag reads builders' dated certifications: for a whole portfolio read
    # once per session; for a few apps (an edit) only when they have a builder at all.
    few = scope is not None and scope.ids is not None
    records = {} if few else builder_records(session, scope)
    for where in (scope or Scope()).groups():
        # a tight loop: 250,000 ownerships at 100,000 apps, so no unpacking per row; an
        # Owner is built (by field name) once per distinct owner and role
        for row in raw_rows(session, query.where(where(Ownership.app_id))):
            key = row[1:]
            owner = shared.get(key)
            if owner is None:
                owner = shared[key] = _owner(key, records)
            owners = result.get(row[0])
            if owners is None:
                result[row[0]] = [owner]
            else:
                owners.append(owner)
    if few and any(_is_builder(key) for key in shared):
        _add_records(result, shared, builder_records(session, scope))
    if any(key[_TEAM_AT] for key in shared):  # most apps have no team: no query for them
        _with_members(result, members_by_team(session))
    return result


class OwnersOnFile:
    """The owners of many apps read range by range, with the people, teams, members and
    builders' records they name read once for the whole job.

    `read_owners` joins every ownership row to its person: at 100,000 apps, ranges of a
    few thousand name a third of the 30,000 people each and every owner is built again
    per range. Here the ranges read only (app, role, person id, team id), and each
    (role, person or team) becomes an Owner once. Rows are mapped by `_owner`, as there.
    Only for a job whose people do not change while it runs (a listing, a policy change).
    """

    def __init__(self, session: Session):
        name = case((Person.email.is_(None), Person.name))  # as _OWNER_SOURCES: a name only while no e-mail
        self.people = {row[0]: row[1:] for row in raw_rows(session, select(
            Person.id, Person.email, Person.status, Person.role, name, *_LEVEL_SOURCES))}
        self.teams = dict(raw_rows(session, select(Team.id, Team.name)))
        self.records = builder_records(session)
        self._members: dict | None = None
        self._made: dict[tuple, Owner] = {}

    def owners(self, session: Session, scope: Scope) -> dict[int, list[Owner]]:
        """As `read_owners(session, scope)`, for a scope of a range or of every app."""
        query = (select(Ownership.app_id, Ownership.role, Ownership.person_id, Ownership.team_id)
                 .order_by(Ownership.app_id, Ownership.id))
        result: dict[int, list[Owner]] = {}
        made, any_team = self._made, False
        for where in scope.groups():
            for row in raw_rows(session, query.where(where(Ownership.app_id))):
                key = row[1:]  # (role, person id, team id)
                owner = made.get(key)
                if owner is None:
                    owner = made[key] = self._owner(*key)
                if key[2] is not None:
                    any_team = True
                owners = result.get(row[0])
                if owners is None:
                    result[row[0]] = [owner]
                else:
                    owners.append(owner)
        if any_team:
            if self._members is None:
                self._members = members_by_team(session)
            _with_members(result, self._members)
        return result

    def _owner(self, role: str, person_id: int | None, team_id: int | None) -> Owner:
        email, status, person_role, name, level, platforms = (
            self.people[person_id] if person_id is not None else _NO_PERSON)
        team = self.teams[team_id] if team_id is not None else None
        return _owner((role, email, team, status, person_role, name, level, platforms), self.records)


_NO_PERSON = (None,) * 6


def _add_records(result: dict[int, list[Owner]], shared: dict[tuple, Owner], records: dict) -> None:
    """Give the builders of a few apps read without their dated records those records."""
    again = {id(owner): _owner(key, records) for key, owner in shared.items()
             if _is_builder(key) and (key[1] or key[5]) in records}
    for owners in result.values():
        owners[:] = [again.get(id(owner), owner) for owner in owners]


# A builder's person-level certification, read with their ownership (core.certification).
_LEVEL_SOURCES = (Person.certification, Person.certified_platforms)
_BUILDER = (OwnerRole.PRIMARY.value, PersonRole.CITIZEN_DEVELOPER.value)


def _is_builder(key: tuple) -> bool:
    return (key[0], key[4]) == _BUILDER  # (role, person_role), as _OWNER_SOURCES orders them


def _owner(key: tuple, records: dict) -> Owner:
    """An Owner from a row's values; a citizen primary owner carries what counts of their
    certifications (the only owner the qualification rule asks about)."""
    fields = dict(zip(_OWNER_FIELDS, key))
    if _is_builder(key):
        level, platforms = key[len(_OWNER_FIELDS):]
        fields["certificates"] = standing(level, split_list(platforms) or (),
                                          records.get(fields["email"] or fields["name"], ()))
    return Owner(**fields)


def _with_members(owners: dict[int, list[Owner]], members: dict[str, tuple]) -> None:
    """Give each team owner its members, in place (each shared Owner replaced once)."""
    made: dict[int, Owner] = {}
    for listed in owners.values():
        for n, owner in enumerate(listed):
            if owner.team:
                found = made.get(id(owner))
                if found is None:
                    found = made[id(owner)] = replace(owner, members=members.get(owner.team, ()))
                listed[n] = found


def owner_cells(session: Session, owner_fields: list[str],
                app_ids: list[int] | None = None) -> dict[int, tuple]:
    """Per app (of every app, or of those database ids), the `; `-joined owners of each
    flat owner column, None for nobody.

    An owner is written as their e-mail, or their name while they have none (as
    `Owner.key`), a team by its name. The database groups and joins the 100,000 apps'
    owners itself, far faster than Python can.
    """
    query = owner_cells_query(owner_fields)
    if app_ids is None:
        return {row[0]: row[1:] for row in raw_rows(session, query)}
    return {row[0]: row[1:] for group in chunks(app_ids)
            for row in raw_rows(session, query.where(Ownership.app_id.in_(group)))}


def owner_cells_query(owner_fields: list[str]):
    """SELECT app_id, cell_0, cell_1, … : `owner_cells` per app, one cell per owner field.

    aggregate_strings is group_concat on SQLite and string_agg on PostgreSQL.
    """
    cells = [func.aggregate_strings(Team.name, "; ") if name == TEAM_COLUMN
             else func.aggregate_strings(case((Ownership.role == OWNER_COLUMNS[name],
                                               func.coalesce(Person.email, Person.name))), "; ")
             for name in owner_fields]
    return (select(Ownership.app_id, *(cell.label(f"cell_{n}") for n, cell in enumerate(cells)))
            .outerjoin(Person, Ownership.person_id == Person.id)
            .outerjoin(Team, Ownership.team_id == Team.id)
            .group_by(Ownership.app_id))


# ---- One person's ownerships (edits) ----

def apps_owned_by(session: Session, key: str) -> list[int]:
    """Database ids of the apps a person (by e-mail, or name while they have none) owns in any role."""
    statement = (
        select(Ownership.app_id).join(Person, Ownership.person_id == Person.id)
        .where(person_named(key)).distinct()
    )
    return list(session.scalars(statement))


def roles_of(session: Session, person_id: int) -> list[tuple[int, str]]:
    """(app database id, role) of everything one person owns."""
    return [tuple(row) for row in session.execute(
        select(Ownership.app_id, Ownership.role).where(Ownership.person_id == person_id))]


def apps_owned_counts(session: Session) -> dict[int, int]:
    """How many distinct apps each person owns, by person id (people owning none left out)."""
    return dict(session.execute(
        select(Ownership.person_id, func.count(func.distinct(Ownership.app_id)))
        .where(Ownership.person_id.is_not(None)).group_by(Ownership.person_id)).all())


def apps_owned_by_any(session: Session, emails: list[str]) -> list[int]:
    """Database ids of every app any of these people (by e-mail) owns, in any role, or owns
    through a team they are in, in order (a leaver's handover looks at both)."""
    return sorted(apps_owned_by_emails(session, emails))


# The person columns an Owner carries (see _OWNER_SOURCES): a change to any other
# (department, capacity, manager) changes nothing about the apps they own.
PERSON_COLUMNS_IN_OWNERS = frozenset(("email", "name", "status", "role"))


# ---- Many apps' owners at a time (imports, merges) ----

def apps_owned_by_people(session: Session, person_ids: list[int]) -> list[int]:
    """The database ids of the apps these people own (in any role), each once."""
    found: set[int] = set()
    for group in chunks(list(person_ids)):
        found.update(session.scalars(select(Ownership.app_id)
                                     .where(Ownership.person_id.in_(group))).all())
    return sorted(found)


def apps_owned_by_emails(session: Session, emails: list[str]) -> set[int]:
    """The database ids of the apps the people with these e-mails own, themselves or
    through a team they are in (their status decides whether that team is active)."""
    owned = select(Ownership.app_id).join(Person, Ownership.person_id == Person.id)
    found: set[int] = set()
    ids: list[int] = []
    for group in chunks(list(emails)):
        found.update(session.scalars(owned.where(Person.email.in_(group))).all())
        ids += session.scalars(select(Person.id).where(Person.email.in_(group))).all()
    return found | apps_of_members(session, ids)


def apps_depending_on(session: Session, key: str) -> list[int]:
    """Database ids of the apps whose owners carry a person: those they own in any role,
    and those of every team they are in (in order)."""
    ids = list(session.scalars(select(Person.id).where(person_named(key))))
    return sorted(set(apps_owned_by(session, key)) | apps_of_members(session, ids))


def move_ownerships(session: Session, source_id: int, target_id: int) -> list[int]:
    """Give every ownership of one person to another; the apps whose owners changed.

    An ownership the target already has (same app and role) is not doubled.
    """
    taken = set(session.execute(select(Ownership.app_id, Ownership.role)
                                .where(Ownership.person_id == target_id)).all())
    rows = session.execute(select(Ownership.id, Ownership.app_id, Ownership.role)
                           .where(Ownership.person_id == source_id)).all()
    doubled = [row_id for row_id, app, role in rows if (app, role) in taken]
    if doubled:
        session.execute(delete(Ownership).where(Ownership.id.in_(doubled)))
    session.execute(update(Ownership).where(Ownership.person_id == source_id)
                    .values(person_id=target_id))
    return sorted({app for _, app, _ in rows} | move_memberships(session, source_id, target_id))


def move_memberships(session: Session, source_id: int, target_id: int) -> set[int]:
    """Put the target in every team the source is in (keeping a role the target has);
    the apps of those teams."""
    teams = set(session.scalars(select(TeamMember.team_id).where(TeamMember.person_id == source_id)))
    joined = set(session.scalars(select(TeamMember.team_id).where(TeamMember.person_id == target_id)))
    if teams & joined:
        session.execute(delete(TeamMember).where(TeamMember.person_id == source_id,
                                                 TeamMember.team_id.in_(teams & joined)))
    session.execute(update(TeamMember).where(TeamMember.person_id == source_id)
                    .values(person_id=target_id))
    return apps_owned_by_teams(session, teams)


# ---- Builders who left (the abandonment rate) ----

def departed_builders(session: Session) -> dict[int, tuple[str, date | None, bool]]:
    """Apps in service that a builder who left built or owned: database id → (app id,
    their latest leave date or None when none is recorded, whether the app has no
    active owner now).

    A builder is a person in a building role, a member of an owning team, or the leaver of
    a handover plan for the app (whose ownership may since have passed to a successor:
    those apps are the ones the handover saved, so they belong in the rate's denominator).
    Whether an app has an active owner is its `builder_gone` sign, which the classification
    keeps current by the one rule (core.measures.active_keepers), as Home counts it.
    """
    serving = or_(App.lifecycle.is_(None), App.lifecycle != Lifecycle.RETIRED)
    orphaned = func.coalesce(App.flags.like(f"%{FlagName.BUILDER_GONE}%"), False)
    gone = Person.status == PersonStatus.LEFT
    left = select(Person.id).where(gone)
    # Each query starts from the few people who left (an IN on their ids, which the
    # planner answers through the person indexes) rather than scanning 250,000 ownerships.
    owned = (select(App.id, App.app_id, Person.leave_date, orphaned)
             .join(Ownership, Ownership.app_id == App.id)
             .join(Person, Ownership.person_id == Person.id)
             .where(Ownership.person_id.in_(left), serving,
                    Ownership.role.in_(MAINTAINER_ROLES)))
    in_team = (select(App.id, App.app_id, Person.leave_date, orphaned)
               .join(Ownership, Ownership.app_id == App.id)
               .join(TeamMember, TeamMember.team_id == Ownership.team_id)
               .join(Person, TeamMember.person_id == Person.id)
               .where(serving, gone))
    plans = (select(HandoverPlanRecord.id)
             .join(Person, Person.email == HandoverPlanRecord.person_email).where(gone))
    handed = (select(App.id, App.app_id,
                     func.coalesce(Person.leave_date, HandoverPlanRecord.leave_date), orphaned)
              .join(HandoverItemRecord, HandoverItemRecord.app_id == App.id)
              .join(HandoverPlanRecord, HandoverItemRecord.plan_id == HandoverPlanRecord.id)
              .join(Person, Person.email == HandoverPlanRecord.person_email)
              .where(HandoverItemRecord.plan_id.in_(plans), serving,
                     HandoverItemRecord.role.in_(MAINTAINER_ROLES)))
    found: dict[int, tuple[str, date | None, bool]] = {}
    for query in (owned, in_team, handed):
        for db_id, app_id, left_on, no_owner in raw_rows(session, query):  # ~30,000 rows at 100k
            left_on = left_on and date.fromisoformat(left_on[:10])  # ISO text from the driver
            known = found.get(db_id)
            latest = left_on if known is None or known[1] is None or (
                left_on is not None and left_on > known[1]) else known[1]
            found[db_id] = (app_id, latest, bool(no_owner))
    return found
