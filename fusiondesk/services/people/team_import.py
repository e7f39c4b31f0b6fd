"""Importing a team-membership list: who is in which team, in which role.

People are matched by e-mail, else by a name only one person has (services.people.lookup);
someone not in the portfolio is reported, never invented (import the directory first). A
team not yet known is added (a team can own apps before it owns any here). Each new
membership or changed role goes through the same use cases as the Teams page (logged with
source import, the team's apps reclassified, its leavers' plans replanned); a membership
already recorded is left as it is, so importing the same list twice changes nothing.
Memberships the file does not list are kept: a file is rarely every team.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from fusiondesk.core.terms import Source
from fusiondesk.db.store import Session
from fusiondesk.db.store import teams as store
from fusiondesk.services.changes import ChangeSet
from fusiondesk.services.people.lookup import people_index, refuse_a_list_of_strangers
from fusiondesk.services.people.teams import add_member, set_member_role
from fusiondesk.sheets.reader import read_table
from fusiondesk.sheets.team_members import MembersRead, read_team_members


@dataclass
class MembersImport:
    """What an import of team memberships did."""

    added: int = 0
    roles_changed: int = 0
    already_there: int = 0
    teams_added: list[str] = field(default_factory=list)
    unknown_people: list[tuple[int, str]] = field(default_factory=list)  # (row, who)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)
    changes: ChangeSet = field(default_factory=ChangeSet)

    def as_dict(self) -> dict:
        """For `teams --import FILE --json`."""
        return {"added": self.added, "roles_changed": self.roles_changed,
                "already_there": self.already_there, "teams_added": self.teams_added,
                "unknown_people": [{"row": r, "who": w} for r, w in self.unknown_people],
                "skipped": [{"row": r, "why": w} for r, w in self.skipped]}


def read_members_file(path: str | Path, team: str | None = None) -> MembersRead:
    """The memberships of a file (xlsx, xls, csv); SheetError if unreadable or unusable."""
    return read_team_members(read_table(path), team)


def import_team_members(session: Session, read: MembersRead, who: str) -> MembersImport:
    """Add the memberships read; a lead named again as lead, or a member as member, is kept."""
    result = MembersImport(skipped=list(read.skipped))
    people = people_index(session)
    refuse_a_list_of_strangers(read.source, [(m.email, m.person) for m in read.members], people)
    # "ops team" in a file is the portfolio's "Ops Team": teams are matched case aside
    stored = {name.casefold(): name for name in store.team_ids_by_name(session)}
    new_teams = sorted({m.team for m in read.members if m.team.casefold() not in stored})
    store.insert_teams(session, [(name, None) for name in new_teams])
    stored.update((name.casefold(), name) for name in new_teams)
    result.teams_added = new_teams
    for member in read.members:
        member = replace(member, team=stored[member.team.casefold()])
        key = people.key_of(member.email, member.person)
        if key is None:
            result.unknown_people.append((member.row, member.email or member.person or ""))
            continue
        before = store.member_role(session, store.team_id(session, member.team), people.ids[key])
        if before == member.role:
            result.already_there += 1
        elif before is None:
            result.changes.extend(add_member(session, member.team, key, member.role, who, Source.IMPORT))
            result.added += 1
        else:
            result.changes.extend(set_member_role(session, member.team, key, member.role, who,
                                                  Source.IMPORT))
            result.roles_changed += 1
    return result

