"""The team and team_member tables: teams by name, and who is in each.

A member is named as an owner is (`Owner.key`): their e-mail, or their name while they
have none. What a team owner carries of its members, (key, status), is read here once
for every app's owners (`members_by_team`), so a team's active members are known
wherever an app's owners are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from fusiondesk.db.models import App, Ownership, Person, Team, TeamMember
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.people import person_named

_MEMBER_KEY = func.coalesce(Person.email, Person.name)


class Member(NamedTuple):
    """One person in a team, as the Teams page lists them."""

    key: str  # e-mail, or name while they have none
    name: str | None
    role: str  # lead | member
    status: str | None
    leave_date: date | None


class StoredTeam(NamedTuple):
    """A team with its members and how many apps it owns (in any role)."""

    name: str
    department: str | None
    members: tuple[Member, ...]
    apps_owned: int


def team_ids_by_name(session: Session) -> dict[str, int]:
    """Every team's database id, by name."""
    return dict(session.execute(select(Team.name, Team.id)).all())


def insert_teams(session: Session, teams: Iterable[tuple[str, str | None]]) -> dict[str, int]:
    """Add the teams, given as (name, department), not yet known; returns name → database id."""
    known = team_ids_by_name(session)
    rows = [{"name": name, "department": dept} for name, dept in teams if name not in known]
    if rows:  # an empty list would run the insert once, with no values
        session.connection().execute(Team.__table__.insert(), rows)
    return team_ids_by_name(session)


def members_by_team(session: Session) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Each team's members as (key, status), by team name, in key order."""
    query = (select(Team.name, _MEMBER_KEY, Person.status)
             .join(TeamMember, TeamMember.team_id == Team.id)
             .join(Person, TeamMember.person_id == Person.id)
             .order_by(Team.name, _MEMBER_KEY))
    found: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for team, key, status in session.execute(query):
        found[team].append((key, status))
    return {team: tuple(members) for team, members in found.items()}


def listed_teams(session: Session) -> list[StoredTeam]:
    """Every team with its members (leads first) and its apps owned, by name."""
    members: dict[int, list[Member]] = defaultdict(list)
    query = (select(TeamMember.team_id, _MEMBER_KEY, Person.name, TeamMember.role,
                    Person.status, Person.leave_date)
             .join(Person, TeamMember.person_id == Person.id)
             .order_by(TeamMember.role, _MEMBER_KEY))  # 'lead' sorts before 'member'
    for team_id, *member in session.execute(query):
        members[team_id].append(Member(*member))
    owned = dict(session.execute(
        select(Ownership.team_id, func.count(func.distinct(Ownership.app_id)))
        .where(Ownership.team_id.is_not(None)).group_by(Ownership.team_id)).all())
    teams = session.execute(select(Team.id, Team.name, Team.department).order_by(Team.name))
    return [StoredTeam(name, dept, tuple(members[tid]), owned.get(tid, 0))
            for tid, name, dept in teams]


def team_id(session: Session, name: str) -> int | None:
    """A team's database id by name, None when there is no such team."""
    return session.scalar(select(Team.id).where(Team.name == name))


def member_role(session: Session, team: int, person: int) -> str | None:
    """A person's role in a team, None when they are not in it."""
    return session.scalar(select(TeamMember.role).where(
        TeamMember.team_id == team, TeamMember.person_id == person))


def add_member(session: Session, team: int, person: int, role: str) -> None:
    """Put a person in a team (they must not be in it yet)."""
    session.execute(TeamMember.__table__.insert().values(team_id=team, person_id=person, role=role))


def set_member_role(session: Session, team: int, person: int, role: str) -> None:
    """Change a member's role in a team."""
    session.execute(update(TeamMember).where(TeamMember.team_id == team,
                                             TeamMember.person_id == person).values(role=role))


def remove_member(session: Session, team: int, person: int) -> None:
    """Take a person out of a team."""
    session.execute(delete(TeamMember).where(TeamMember.team_id == team,
                                             TeamMember.person_id == person))


def person_id(session: Session, key: str) -> int | None:
    """The database id of the person a key names (e-mail, or name while they have none)."""
    return session.scalar(select(Person.id).where(person_named(key)))


def write_members(session: Session, rows: Iterable[tuple[int, int, str]]) -> int:
    """Add (team id, person id, role) memberships not yet recorded; the number added.

    A membership already there keeps its role: a bulk source (an import, the sample)
    adds people to teams, it does not demote a lead.
    """
    wanted = {(team, person): role for team, person, role in rows}
    if not wanted:
        return 0
    known = set(session.execute(select(TeamMember.team_id, TeamMember.person_id)).all())
    new = [{"team_id": t, "person_id": p, "role": r}
           for (t, p), r in wanted.items() if (t, p) not in known]
    if new:
        session.connection().execute(TeamMember.__table__.insert(), new)
    return len(new)


def apps_owned_by_teams(session: Session, team_ids: Iterable[int]) -> set[int]:
    """The database ids of the apps these teams own, in any role."""
    found: set[int] = set()
    for group in chunks(sorted(set(team_ids))):
        found.update(session.scalars(select(Ownership.app_id).where(Ownership.team_id.in_(group))))
    return found


def apps_of_members(session: Session, person_ids: Iterable[int]) -> set[int]:
    """The apps owned by any team these people are members of: a change to them changes
    whether those teams are active."""
    found: set[int] = set()
    for group in chunks(sorted(set(person_ids))):
        teams = select(TeamMember.team_id).where(TeamMember.person_id.in_(group))
        found.update(session.scalars(select(Ownership.app_id).where(Ownership.team_id.in_(teams))))
    return found


def app_keys(session: Session, db_ids: Iterable[int]) -> list[str]:
    """The external app ids of these apps, in order."""
    found: list[str] = []
    for group in chunks(sorted(set(db_ids))):
        found += session.scalars(select(App.app_id).where(App.id.in_(group)).order_by(App.app_id))
    return sorted(found)


def memberships_of(session: Session, person: int) -> list[tuple[int, str]]:
    """(team id, role) of every team a person is in: what deleting them takes away."""
    return [tuple(row) for row in session.execute(
        select(TeamMember.team_id, TeamMember.role).where(TeamMember.person_id == person))]


def person_status(session: Session, key: str) -> str | None:
    """The status of the person a key names (None when there is no such person)."""
    return session.scalar(select(Person.status).where(person_named(key)))
