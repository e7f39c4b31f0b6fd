"""`connectors`: each system's group and tiers, and the impact of blocking one."""

import json

import pytest


@pytest.fixture
def db(sample_db):
    return sample_db(80, 5)


def test_connectors_json_counts_every_app_using_each_system(db, run):
    code, out, err = run("--db", db, "connectors", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)["connectors"]
    assert rows and rows == sorted(rows, key=lambda r: (-r["apps"], r["system"].casefold()))
    apps = json.loads(run("--db", db, "apps", "--json")[1])
    for row in rows[:5]:
        using = [a for a in apps if any(i["system"].strip().casefold() == row["system"].casefold()
                                        for i in a["integrations"] or ())]
        assert row["apps"] == len(using) == sum(row["by_tier"].values()) == sum(row["by_group"].values())
        assert row["group"] in ("business", "non_business", "blocked")


def test_impact_agrees_with_the_what_if_of_blocking_and_saves_nothing(db, run):
    system = json.loads(run("--db", db, "connectors", "--json")[1])["connectors"][0]["system"]
    if system.casefold() in ("sharepoint", "dataverse", "teams"):  # Power Platform cannot block these
        system = next(r["system"] for r in json.loads(run("--db", db, "connectors", "--json")[1])
                      ["connectors"] if r["system"] in ("SQL Server", "Outlook", "Salesforce"))
    code, out, _ = run("--db", db, "connectors", "--impact", system, "--json")
    impact = json.loads(out)
    assert code == 0 and impact["used_by"] and impact["cannot_block"] is None
    assert {"app_id", "name", "platform", "department", "tier", "group", "owners"} == set(
        impact["used_by"][0])
    assert sum(impact["departments"].values()) == impact["apps"] == len(impact["used_by"])
    what_if = json.loads(run("--db", db, "policy", "--what-if", f"connectors.blocked={system}",
                             "--json")[1])
    assert impact["if_blocked"]["changed"] == what_if["changed"]
    assert {m["app_id"] for m in what_if["changed"]} <= {a["app_id"] for a in impact["used_by"]}
    assert all("blocked_connector" in m["flags_added"] for m in what_if["changed"])
    assert json.loads(run("--db", db, "policy", "--json")[1])["version"] == 1


def test_blocking_a_core_connector_is_refused_in_one_line(db, run):
    code, _, err = run("--db", db, "policy", "--what-if", "connectors.blocked=SharePoint")
    assert code == 2 and "cannot block" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run("--db", db, "connectors", "--impact", "SharePoint")
    assert code == 0 and "cannot block" in out
