"""`teams`: the teams with their members, orphaned ones named, members added and removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fusiondesk.sample_generator.people import ORPHANED_TEAM


@pytest.fixture
def db(sample_db):
    return sample_db(60, 3)


def _teams(run, db) -> dict:
    code, out, _ = run("--db", db, "teams", "--json")
    assert code == 0
    return json.loads(out)


def _apps_of(run, db, team: str) -> list[dict]:
    apps = json.loads(run("--db", db, "apps", "--json")[1])
    return [a for a in apps if team in (a["owner_team"] or ()) and a["lifecycle"] != "retired"]


def test_the_samples_orphaned_team_is_made_of_people_who_left(run, db):
    found = _teams(run, db)
    orphaned = next(t for t in found["teams"] if t["team"] == ORPHANED_TEAM)
    assert orphaned["standing"] == "orphaned" and orphaned["active_members"] == 0
    assert orphaned["members"] and {m["status"] for m in orphaned["members"]} == {"left"}
    assert [m["role"] for m in orphaned["members"]][0] == "lead"
    assert found["orphaned"] == sum(t["standing"] == "orphaned" for t in found["teams"]) >= 1


def test_a_member_who_stays_makes_the_team_a_keeper_again_and_removing_undoes_it(run, db):
    people = json.loads(run("--db", db, "people", "--json")[1])
    kim = next(p["email"] for p in people if p["status"] == "active")
    apps = _apps_of(run, db, ORPHANED_TEAM)
    assert apps  # the team owns apps beside their builders, so it changes their signs
    assert run("--db", db, "teams", "--add", ORPHANED_TEAM, kim, "--role", "lead")[0] == 0
    team = next(t for t in _teams(run, db)["teams"] if t["team"] == ORPHANED_TEAM)
    assert team["standing"] == "single_member" and team["members"][0]["member"] == kim
    for app in _apps_of(run, db, ORPHANED_TEAM):  # Kim now keeps each of them beside its builder
        assert "builder_gone" not in app["flags"] and "single_owner" not in app["flags"]
    assert run("--db", db, "teams", "--remove", ORPHANED_TEAM, kim)[0] == 0
    assert [a["flags"] for a in _apps_of(run, db, ORPHANED_TEAM)] == [a["flags"] for a in apps]


def test_a_person_not_in_the_portfolio_is_refused_in_one_sentence(run, db):
    code, _, err = run("--db", db, "teams", "--add", ORPHANED_TEAM, "nobody@contoso.example")
    assert code == 2 and "No person 'nobody@contoso.example'" in err
    assert len(err.strip().splitlines()) == 1


def test_teams_import_of_a_group_download_and_its_errors(run, db, tmp_path):
    people = json.loads(run("--db", db, "people", "--json")[1])
    stays = [p for p in people if p["status"] == "active" and p["email"]][:2]
    download = tmp_path / "group-members.csv"  # Entra ID's "Download members" of one group
    download.write_text("id,userPrincipalName,displayName\n" + "".join(
        f"00000000-0000-4000-8000-00000000000{n},{p['email']},{p['name']}\n"
        for n, p in enumerate(stays)), encoding="utf-8")
    code, out, _ = run("--db", db, "teams", "--import", str(download), "--team", ORPHANED_TEAM,
                       "--json")
    assert code == 0 and json.loads(out)["added"] == 2
    team = next(t for t in _teams(run, db)["teams"] if t["team"] == ORPHANED_TEAM)
    assert team["standing"] == "covered" and team["active_members"] == 2

    code, _, err = run("--db", db, "teams", "--import", str(download))
    assert code == 2 and "--team NAME" in err and len(err.strip().splitlines()) == 1
    assert run("--db", db, "teams", "--team", ORPHANED_TEAM)[0] == 2


def test_teams_import_refuses_the_samples_own_app_inventory_in_one_line(run, db):
    inventory = Path(__file__).resolve().parents[2] / "sample_data" / "sample_inventory.xlsx"
    before = _teams(run, db)
    code, out, err = run("--db", db, "teams", "--import", str(inventory))
    assert code == 2 and out == ""
    assert "this is an app inventory" in err and len(err.strip().splitlines()) == 1
    assert _teams(run, db) == before
