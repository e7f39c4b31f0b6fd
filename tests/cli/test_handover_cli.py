"""`fusiondesk handover` and `fusiondesk ownership`: the contract scripts rely on."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

ITEM_KEYS = {"app_id", "name", "triage", "action", "covered_by", "candidates", "checklist", "due"}


@pytest.fixture
def db(sample_db):
    return sample_db(60, 3)


def _busiest_active_builder(run, db) -> dict:
    people = json.loads(run("--db", db, "people", "--json")[1])
    builders = [p for p in people if p["status"] == "active" and p["role"] == "citizen_developer"]
    return max(builders, key=lambda p: (p["apps_owned"], p["email"]))


def test_handover_leaving_prints_the_plan_as_json(db, run):
    person = _busiest_active_builder(run, db)
    code, out, err = run("--db", db, "handover", person["email"], "--leaving", "2026-11-30", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert (plan["person"], plan["leave_date"]) == (person["email"], "2026-11-30")
    assert len(plan["items"]) == person["apps_owned"] > 0
    for item in plan["items"]:
        assert ITEM_KEYS <= set(item)
        assert item["triage"] in ("urgent", "normal", "archive_candidate")
        assert item["action"] in ("migrate_to_prodev", "reassign_to_citizen", "name_business_owner")
        assert item["due"] == "2026-11-25"
        assert set(item["checklist"]) == {"documentation_complete", "knowledge_transfer_held",
                                          "platform_ownership_changed",
                                          "connections_reauthenticated", "business_owner_told"}
        for candidate in item["candidates"]:
            assert set(candidate) == {"email", "score", "reasons"} and candidate["reasons"]
            assert candidate["email"] != person["email"]
        scores = [c["score"] for c in item["candidates"]]
        assert scores == sorted(scores, reverse=True)
    assert all(set(u) == {"app_id", "name", "why"} and u["why"] for u in plan["uncovered"])
    people = {p["email"]: p for p in json.loads(run("--db", db, "people", "--json")[1])}
    assert people[person["email"]]["status"] == "leaving"


def test_handover_left_is_due_today_and_urgent_when_in_use(db, run):
    person = _busiest_active_builder(run, db)
    plan = json.loads(run("--db", db, "handover", person["email"], "--left", "--json")[1])
    assert plan["leave_date"] == "2026-11-01"
    assert {i["due"] for i in plan["items"]} == {"2026-11-01"}
    assert {i["triage"] for i in plan["items"]} <= {"urgent", "archive_candidate"}


def test_export_writes_a_workbook_that_reads_back(db, run, tmp_path):
    person = _busiest_active_builder(run, db)
    target = tmp_path / "plan.xlsx"
    code, out, _ = run("--db", db, "handover", person["email"], "--leaving", "2026-11-30",
                       "--export", str(target))
    assert code == 0 and "Exported to" in out
    book = load_workbook(target)
    sheet = book["Handover"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["App ID", "Name", "Tier", "Triage", "Why", "Action", "Covered by",
                          "Successor", "Checklist"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row - 1 == person["apps_owned"]
    assert all(isinstance(row[2], int) for row in sheet.iter_rows(min_row=2, values_only=True))
    summary = dict(book["Plan"].iter_rows(min_row=2, values_only=True))
    assert summary["Person"] == person["email"] and summary["Apps"] == person["apps_owned"]


def test_export_keeps_formula_looking_text_inert(empty_portfolio, run, tmp_path):
    from fusiondesk.core.facts import AppFacts, Owner
    from fusiondesk.services.apps import edits as app_edits
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts("=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0",
                                               owners=(Owner("primary", "eve@contoso.example"),)),
                             "tester")
    path = str(empty_portfolio.location.path or empty_portfolio.location.url)
    target = tmp_path / "eve.xlsx"
    assert run("--db", path, "handover", "eve@contoso.example", "--left", "--export", str(target))[0] == 0
    row = next(load_workbook(target)["Handover"].iter_rows(min_row=2))
    assert (row[0].value, row[0].data_type) == ("=HYPERLINK(\"http://x\")", "s")
    assert (row[1].value, row[1].data_type) == ("+cmd|' /C calc'!A0", "s")


def test_handover_usage_errors_are_one_line(db, run):
    for argv, fragment in ((["handover", "ann@x.io", "--leaving", "30/11/2026"], "YYYY-MM-DD"),
                           (["handover", "nobody@contoso.example", "--leaving", "2026-11-30"],
                            "No person"),
                           (["handover", "nobody@contoso.example"], "No person"),
                           (["handover", "a@b.io", "--left", "--leaving", "2026-11-30"],
                            "not allowed with")):
        code, _, err = run("--db", db, *argv)
        assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_ownership_json(db, run):
    person = _busiest_active_builder(run, db)
    run("--db", db, "handover", person["email"], "--leaving", "2026-11-30")
    code, out, _ = run("--db", db, "ownership", "--json")
    figures = json.loads(out)
    assert code == 0
    apps = json.loads(run("--db", db, "apps", "--json")[1])
    in_service = [a for a in apps if a["lifecycle"] != "retired"]
    assert figures["apps_counted"] == len(in_service)
    orphaned = {a["app_id"] for a in in_service if "builder_gone" in a["flags"]}
    single = {a["app_id"] for a in in_service if "single_owner" in a["flags"]}
    assert {a["app_id"] for a in figures["no_active_owner"]["apps"]} == orphaned
    assert {a["app_id"] for a in figures["single_person_dependency"]["apps"]} == single
    # DOMAIN's rate: departed builders' apps (people who left, as builders) without an owner
    gone = {p["email"] for p in json.loads(run("--db", db, "people", "--json")[1])
            if p["status"] == "left"}
    departed = [a for a in in_service if gone & {*a["primary_owner"], *a["co_owners"],
                                                *a["prodev_partner"]} and not a["owner_team"]]
    rate = figures["abandonment_rate"]
    assert rate["denominator"] >= len(departed) > 0
    assert rate["numerator"] >= sum("builder_gone" in a["flags"] for a in departed)
    assert rate["rate"] == pytest.approx(rate["numerator"] / rate["denominator"], abs=1e-4)
    assert sum(q["denominator"] for q in rate["by_quarter"]) == rate["denominator"]
    assert figures["abandonment_target"] == 0.1 and figures["ratio_target"] == [4, 8]
    assert {d["verdict"] for d in figures["departments"]} <= {
        "within", "below", "above", "no_pro_developer"}
    leaver = next(p for p in figures["upcoming_leavers"] if p["email"] == person["email"])
    assert (leaver["plan_status"], leaver["items"]) == ("planned", person["apps_owned"])
    owned = {p["email"]: p["apps_owned"] for p in json.loads(run("--db", db, "people", "--json")[1])}
    for load in figures["people"]:
        assert load["apps_owned"] == owned[load["email"]]
        assert load["over_capacity"] == (load["capacity"] is not None
                                         and load["apps_owned"] > load["capacity"])
