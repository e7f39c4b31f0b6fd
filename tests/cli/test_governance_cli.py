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
