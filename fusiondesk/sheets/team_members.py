"""A team-membership list as (team, member, role) rows.

What a lead really has: a register kept by hand (Team, Member, Role), or a directory group's
member download — Microsoft Entra ID's "Download members"/"Download owners" of one group
gives one user per row (userPrincipalName, displayName, mail, …) and no group column, so
the team is then named on import (`teams --import FILE --team NAME`). Columns are found
with the same header matching as the inventories (sheets.mapping).
"""

from __future__ import annotations

from dataclasses import dataclass

from fusiondesk.core.fields import TEXT, Field
from fusiondesk.core.terms import TeamRole
from fusiondesk.sheets.cells import cell_text
from fusiondesk.sheets.mapping import refuse_an_inventory, suggest_mapping
from fusiondesk.sheets.problems import SheetError
from fusiondesk.sheets.reader import RawTable

TEAM_MEMBER_FIELDS: tuple[Field, ...] = (
    Field("team", TEXT, "Team", headers=(
        "team name", "group", "group name", "group display name", "squad", "fusion team",
        "owning team", "team display name")),
    Field("email", TEXT, "Email", headers=(
        "e mail", "email address", "member email", "user email", "work email", "upn",
        "user principal name", "userprincipalname", "mail", "person email")),
    Field("person", TEXT, "Person", headers=(
        "member", "name", "full name", "display name", "displayname", "member name",
        "employee", "user", "user name")),
    Field("role", TEXT, "Role", headers=(
        "team role", "role in team", "membership", "membership type", "member type", "position")),
)

# What a role cell says, read as a team role; a group's owners lead it.
_LEAD_WORDS = ("lead", "owner", "leader", "head", "captain", "manager", "chair")


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One membership read, with the sheet row it came from."""

    row: int
    team: str
    email: str | None
    person: str | None
    role: str  # TeamRole


@dataclass
class MembersRead:
    """What a membership sheet held: the memberships, the rows skipped and why."""

    members: list[MemberRow]
    skipped: list[tuple[int, str]]  # (sheet row, why)
    columns: dict[str, str]  # header -> field it was read as
    source: str = ""  # the file (and sheet) read, for messages


def read_team_members(table: RawTable, team: str | None = None) -> MembersRead:
    """The memberships on a sheet; `team` names the team of a one-group download."""
    columns = _columns(table, team)
    position = {field: table.headers.index(header) for header, field in columns.items()}
    members, skipped = [], []
    for row, values in table.rows:
        cells = {name: _text(values[at]) if at < len(values) else None
                 for name, at in position.items()}
        found = _member(row, cells, team)
        if isinstance(found, MemberRow):
            members.append(found)
        else:
            skipped.append((row, found))
    return MembersRead(members, skipped, columns, table.source)


def _columns(table: RawTable, team: str | None) -> dict[str, str]:
    refuse_an_inventory(table.source, table.headers, "a team-membership list",
                        "import members from a list with Team and Member columns or a "
                        "group's member download")
    found = {s.header: s.field for s in suggest_mapping(table.headers, TEAM_MEMBER_FIELDS) if s.field}
    fields = set(found.values())
    if not fields & {"email", "person"}:
        raise SheetError(f"{table.source}: no column names the member (an e-mail or a name "
                         "column such as 'userPrincipalName' or 'Member'); add one and import again.")
    if "team" not in fields and not team:
        raise SheetError(f"{table.source}: no column names the team; add a 'Team' column, or "
                         "name the team of a one-group download with --team NAME.")
    return found


def _member(row: int, cells: dict[str, str | None], team: str | None) -> MemberRow | str:
    email, person = cells.get("email"), cells.get("person")
    named_team = team or cells.get("team")
    if not (email or person):
        return "names nobody (no e-mail or name)"
    if not named_team:
        return "names no team"
    if email and "@" not in email:  # a name in the e-mail column: read it as a name
        email, person = None, person or email
    if not email and person and "@" in person:  # a register's "Member" column of e-mails
        email, person = person, None
    return MemberRow(row, named_team, email.lower() if email else None, person,
                     _role(cells.get("role")))


def _role(text: str | None) -> str:
    words = (text or "").casefold()
    return TeamRole.LEAD if any(w in words for w in _LEAD_WORDS) else TeamRole.MEMBER


def _text(value: object) -> str | None:
    text = " ".join(cell_text(value).split()) if value is not None else ""
    return text or None
