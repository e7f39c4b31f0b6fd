"""The audit workbook's Teams sheet and the Ownership sheet's team rows: a team is only as
active as its members, so an orphaned team reads as one, not as an active owner."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.audit.workbook import export_audit
from fusiondesk.services.handover.planning import mark_left
from fusiondesk.services.people.edits import create_person
from fusiondesk.services.people.teams import add_member


def _rows(book, name):
    sheet = book[name]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_teams_sheet_names_members_and_an_orphaned_team_first(empty_portfolio, tmp_path):
    with empty_portfolio.transaction() as session:
        for name in ("ann", "bob", "cy"):
            create_person(session, {"email": f"{name}@contoso.example", "name": name.title(),
                                    "role": "citizen_developer"}, "tester")
        for team, app_id in (("Ops", "OPS-1"), ("Billing", "BIL-1")):
            app_edits.create_app(session, AppFacts(app_id, f"{team} app",
                                                   owners=(Owner("primary", team=team),)), "tester")
        add_member(session, "Ops", "ann@contoso.example", "lead", "tester")
        add_member(session, "Ops", "bob@contoso.example", "member", "tester")
        add_member(session, "Billing", "cy@contoso.example", "lead", "tester")
    with empty_portfolio.transaction() as session:
        mark_left(session, "cy@contoso.example", "tester", left_on=date(2026, 9, 30))
    with empty_portfolio.reading() as session:
        made = export_audit(session, tmp_path / "audit.xlsx", datetime(2026, 11, 1), "auditor", "t")
    book = openpyxl.load_workbook(made.path)

    teams = _rows(book, "Teams")
    assert [t["team"] for t in teams] == ["Billing", "Ops"]  # the orphaned team first
    billing, ops = teams
    assert (billing["active_members"], billing["apps_owned"]) == (0, 1)
    assert billing["standing"] == "Orphaned: no active member"
    assert billing["member_list"] == "cy@contoso.example (Team lead, left 2026-09-30)"
    assert (ops["members"], ops["active_members"], ops["standing"]) == (2, 2, "Covered")
    assert ops["member_list"] == ("ann@contoso.example (Team lead, active); "
                                  "bob@contoso.example (Member, active)")

    owners = {row["app_id"]: row for row in _rows(book, "Ownership")}
    assert owners["BIL-1"]["kind"] == "team" and owners["BIL-1"]["status"] == billing["standing"]
    assert owners["OPS-1"]["status"] == "Covered"
