"""The classify and policy commands, and the tier/flag/drift filters of apps."""

import json

import pytest

from fusiondesk.core.flags import FLAG_NAMES


@pytest.fixture
def db(sample_db):
    return sample_db(80, 5)


def test_classify_json_shape_and_reasons_explain_the_tier(db, run):
    code, out, _ = run("--db", db, "classify", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 80
    assert {"app_id", "name", "tier", "approved_tier", "drift", "reasons", "unknowns", "flags"} <= set(rows[0])
    for row in rows:
        if row["tier"] > 1:  # a tier above 1 always has a reason at that tier
            assert any(r["tier"] == row["tier"] for r in row["reasons"]), row
        assert row["drift"] == (row["approved_tier"] is not None and row["tier"] > row["approved_tier"])
        assert all(f["name"] in FLAG_NAMES and f["explanation"] for f in row["flags"])


def test_apps_filters_by_tier_flag_and_drift(db, run):
    every = {r["app_id"]: r for r in json.loads(run("--db", db, "classify", "--json")[1])}
    tier4 = json.loads(run("--db", db, "apps", "--json", "--tier", "4")[1])
    assert {a["app_id"] for a in tier4} == {k for k, r in every.items() if r["tier"] == 4}
    assert all("flags" in a and a["tier"] == 4 for a in tier4)
    drift = json.loads(run("--db", db, "apps", "--json", "--drift")[1])
    assert {a["app_id"] for a in drift} == {k for k, r in every.items() if r["drift"]}
    flagged = json.loads(run("--db", db, "apps", "--json", "--flag", "single_owner")[1])
    assert {a["app_id"] for a in flagged} == {
        k for k, r in every.items() if "single_owner" in {f["name"] for f in r["flags"]}}


def test_policy_set_changes_version_and_reclassifies(db, run):
    before = json.loads(run("--db", db, "policy", "--json")[1])
    assert before["version"] == 1 and before["tier3"]["users"] == 50
    code, out, _ = run("--db", db, "policy", "--set", "tier3.users=20")
    assert code == 0 and "version 2" in out
    after = json.loads(run("--db", db, "policy", "--json")[1])
    assert after["version"] == 2 and after["tier3"]["users"] == 20
    rows = json.loads(run("--db", db, "classify", "--json")[1])
    assert all(r["policy_version"] == 2 for r in rows)
    assert any(r["text"].endswith("≥ 20") for row in rows for r in row["reasons"])


@pytest.mark.parametrize("setting, fragment", [
    ("tier3.users=abc", "whole number"),
    ("tier3.users=900", "tier3.users"),
    ("no.such.key=1", "no.such.key"),
    ("tier3.users", "KEY=VALUE"),
])
def test_invalid_policy_values_are_refused_with_one_line(db, setting, fragment, run):
    code, _, err = run("--db", db, "policy", "--set", setting)
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1
    assert json.loads(run("--db", db, "policy", "--json")[1])["version"] == 1


def _classified(run, db) -> dict[str, dict]:
    return {r["app_id"]: r for r in json.loads(run("--db", db, "classify", "--json")[1])}


@pytest.mark.parametrize("setting", ["tier3.users=20", "connectors.approved=SharePoint",
                                     "flags.inactivity_days=30", "connectors.blocked=Salesforce",
                                     "connectors.unlisted=business"])
def test_what_if_lists_exactly_what_saving_would_move_and_saves_nothing(db, run, setting):
    before = _classified(run, db)
    code, out, err = run("--db", db, "policy", "--what-if", setting, "--json")
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert found["checked"] == len(before) and found["changed"], setting
    assert {"app_id", "name", "tier_before", "tier_after", "flags_added", "flags_removed",
            "department", "owners"} == set(found["changed"][0])
    assert json.loads(run("--db", db, "policy", "--json")[1])["version"] == 1  # nothing saved
    assert _classified(run, db) == before

    assert run("--db", db, "policy", "--set", setting)[0] == 0  # now save it, and compare
    after = _classified(run, db)
    moved = {}
    for app_id, was in before.items():
        now = after[app_id]
        flags_was = {f["name"] for f in was["flags"]}
        flags_now = {f["name"] for f in now["flags"]}
        if was["tier"] != now["tier"] or flags_was != flags_now:
            moved[app_id] = (was["tier"], now["tier"], flags_now - flags_was, flags_was - flags_now)
    predicted = {m["app_id"]: (m["tier_before"], m["tier_after"], set(m["flags_added"]),
                               set(m["flags_removed"])) for m in found["changed"]}
    assert predicted == moved


def test_what_if_refuses_a_bad_setting_and_set_alongside(db, run):
    code, _, err = run("--db", db, "policy", "--what-if", "tier3.users=abc")
    assert code == 2 and "whole number" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("--db", db, "policy", "--what-if", "tier3.users=20", "--set",
                       "tier3.users=20")
    assert code == 2 and "--what-if" in err
    code, out, _ = run("--db", db, "policy", "--what-if", "tier3.users=20")
    assert code == 0 and "would change" in out and "nothing was saved" in out
