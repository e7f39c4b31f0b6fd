"""`developers`: the record as JSON, the recognition list, adding a certification, importing
training records; mistakes are one line and exit 2."""

import json

import pytest


@pytest.fixture
def db(sample_db):
    return sample_db(80, 5)


def _records(run, db):
    code, out, _ = run("--db", db, "developers", "--json")
    assert code == 0
    return {r["email"] or r["name"]: r for r in json.loads(out)}


def test_the_json_record_agrees_with_the_apps_flags(db, run):
    records = _records(run, db)
    apps = json.loads(run("--db", db, "apps", "--json", "--flag", "unqualified_builder")[1])
    listed = {a["app_id"] for r in records.values() for a in r["unqualified_apps"]}
    assert listed == {a["app_id"] for a in apps} and listed  # the sample has such apps
    some = next(r for r in records.values() if r["certifications"])
    assert {"platform", "level", "name", "obtained", "expires", "expired"} == set(some["certifications"][0])
    assert any(c["expired"] for r in records.values() for c in r["certifications"])


def test_certify_then_recognition(db, run, tmp_path):
    records = _records(run, db)
    who = next(e for e, r in records.items() if "@" in e and r["unqualified_apps"])
    app = records[who]["unqualified_apps"][0]
    code, out, _ = run("--db", db, "developers", "--certify", who, "--platform", app["platform"],
                       "--exam", "X-1", "--obtained", "2026-01-01", "--expires", "2028-01-01")
    assert code == 0 and "added" in out
    after = _records(run, db)[who]
    assert {"platform": app["platform"], "level": "certified", "name": "X-1",
            "obtained": "2026-01-01", "expires": "2028-01-01", "expired": False} in after["certifications"]
    code, out, _ = run("--db", db, "developers", "--recognition")
    assert code == 0 and out.startswith("## Our citizen developers: solutions delivered so far")


def test_mistakes_are_one_line_and_exit_2(db, run, tmp_path):
    code, _, err = run("--db", db, "developers", "--recognition", "--quarter", "Q3")
    assert code == 2 and "write it as YYYY-Qn" in err and len(err.splitlines()) == 1
    code, _, err = run("--db", db, "developers", "--certify", "nobody@x.example", "--platform", "Zapier")
    assert code == 2 and "No person 'nobody@x.example'" in err
    empty = tmp_path / "training.csv"
    empty.write_text("Course,Score\nBasics,90\n", encoding="utf-8")
    code, _, err = run("--db", db, "developers", "--import-certifications", str(empty))
    assert code == 2 and "no column names the person" in err


def test_importing_a_training_export(db, run, tmp_path):
    records = _records(run, db)
    who = next(e for e in records if "@" in e)
    sheet = tmp_path / "training.csv"
    sheet.write_text("Employee Email,Exam,Status,Date Achieved,Valid Until\n"
                     f"{who.upper()},PL-100,Passed,2026-02-01,2028-02-01\n"
                     "stranger@x.example,PL-100,Passed,2026-02-01,\n", encoding="utf-8")
    code, out, _ = run("--db", db, "developers", "--import-certifications", str(sheet), "--json")
    assert code == 0
    assert json.loads(out) == {"added": 1, "already_there": 0, "skipped": [],
                               "unknown_people": [{"row": 3, "who": "stranger@x.example"}]}
    assert any(c["name"] == "PL-100" and c["platform"] == "Power Apps"
               for c in _records(run, db)[who]["certifications"])


def test_importing_the_samples_app_inventory_as_training_records_is_refused(db, run):
    from pathlib import Path

    inventory = Path(__file__).resolve().parents[2] / "sample_data" / "sample_inventory.xlsx"
    code, out, err = run("--db", db, "developers", "--import-certifications", str(inventory))
    assert code == 2 and out == ""
    assert "this is an app inventory" in err and len(err.strip().splitlines()) == 1
