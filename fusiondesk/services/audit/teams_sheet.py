"""The audit workbook's "Teams" sheet: every team that owns apps with its members, how many
are active and its standing (covered, one active member, all leaving, orphaned) — a team is
only as active as its members (core.measures.active_keepers), so an auditor sees why a
team-owned app counts as having no active owner."""

from __future__ import annotations

from fusiondesk.core.labels import label
from fusiondesk.core.terms import PersonStatus, TeamRole
from fusiondesk.db.store import Session
from fusiondesk.services.people.teams import TeamRow, list_teams
from fusiondesk.sheets.writer import SheetWriter

TEAMS_SHEET = "Teams"


def write_teams_sheet(session: Session, workbook, teams: list[TeamRow] | None = None) -> None:
    """One row per team, orphaned first (what an auditor asks about), then by name."""
    teams = list_teams(session) if teams is None else teams
    sheet = SheetWriter(workbook, TEAMS_SHEET, [
        ("team", 34), ("department", 18), ("standing", 30), ("members", 9),
        ("active_members", 9), ("apps_owned", 9), ("member_list", 80)])
    for team in sorted(teams, key=lambda t: (t.active_members > 0, t.name.lower())):
        sheet.append((team.name, team.department, team.standing_words, len(team.members),
                      team.active_members, team.apps_owned, _members_text(team)))
    sheet.finish()


def team_standings(teams: list[TeamRow]) -> dict[str, str]:
    """Each team's standing in words, by name (the Ownership sheet's status of a team)."""
    return {team.name: team.standing_words for team in teams}


def _members_text(team: TeamRow) -> str:
    """'ann@… (Team lead, active); bob@… (Member, left 2026-01-18)', the lead first."""
    ordered = sorted(team.members, key=lambda m: (m.role != TeamRole.LEAD, m.key.lower()))
    return "; ".join(_member_text(m) for m in ordered)


def _member_text(member) -> str:
    status = label(PersonStatus, member.status).lower() or "status unknown"
    when = (f" {member.leave_date:%Y-%m-%d}"
            if member.leave_date and member.status != PersonStatus.ACTIVE else "")
    return f"{member.key} ({label(TeamRole, member.role)}, {status}{when})"
