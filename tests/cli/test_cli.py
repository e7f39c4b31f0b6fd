"""The command-line contract later work and scripts rely on."""

import json
import os
import subprocess
import sys

import pytest

from fusiondesk.core.fields import APP_COLUMNS, ENVIRONMENT_TYPES, KINDS
from fusiondesk.db import migrate


@pytest.fixture
def db(sample_db):
    return sample_db(30, 2)


@pytest.mark.sqlite_only  # a file's path and backups
def test_info_json_gives_path_revision_and_counts(db, run):
    code, out, _ = run("--db", db, "info", "--json")
    info = json.loads(out)
    assert code == 0
    assert info["path"] == os.path.realpath(db)
    assert info["schema_revision"] == migrate.head_revision()
    assert info["counts"]["apps"] == 30 and info["counts"]["people"] >= 10


def test_apps_json_lists_every_canonical_field(db, run):
    code, out, _ = run("--db", db, "apps", "--json")
    apps = json.loads(out)
    assert code == 0 and len(apps) == 30
    assert set(APP_COLUMNS) <= set(apps[0])
    assert all(isinstance(a["integrations"], list) for a in apps)


def test_apps_json_says_what_kind_of_item_each_app_is(db, run):
    apps = json.loads(run("--db", db, "apps", "--json")[1])
    power = [a for a in apps if a["platform"] in ("Power Apps", "Power Automate")]
    assert power and all(a["kind"] in KINDS for a in power)
    assert {a["environment_type"] for a in power} <= set(ENVIRONMENT_TYPES) | {None}
    assert {a["licence"] for a in power} - {None} <= {
        "Standard", "Premium", "Per app", "Process", "Pay-as-you-go"}
    flows = [a for a in apps if a["platform"] == "Power Automate"]
    assert all(a["kind"] in ("cloud_flow", "desktop_flow") for a in flows)


def test_people_json(db, run):
    code, out, _ = run("--db", db, "people", "--json")
    people = json.loads(out)
    assert code == 0 and all("@" in p["email"] for p in people)
    assert {"status", "capacity", "apps_owned"} <= set(people[0])


def test_fusiondesk_db_environment_variable_is_used(db, monkeypatch, run):
    monkeypatch.setenv("FUSIONDESK_DB", db)
    assert json.loads(run("info", "--json")[1])["counts"]["apps"] == 30


def test_sample_refuses_a_filled_portfolio(db, run):
    code, _, err = run("--db", db, "sample", "--apps", "5")
    assert code == 2 and "already holds 30 apps" in err and len(err.strip().splitlines()) == 1


@pytest.mark.sqlite_only  # a file's path and backups
def test_backup_list_and_restore(db, run):
    assert run("--db", db, "backup")[0] == 0
    listed = json.loads(run("--db", db, "backup", "--list", "--json")[1])
    manual = [b for b in listed if b["reason"] == "manual"]
    assert manual
    code, out, _ = run("--db", db, "restore", manual[0]["name"])
    assert code == 0 and "Restored" in out
    assert json.loads(run("--db", db, "info", "--json")[1])["counts"]["apps"] == 30


@pytest.mark.parametrize("argv, fragment", [
    (["frobnicate"], "invalid choice"),
    (["sample", "--apps", "many"], "invalid"),
    pytest.param(["restore", "no-such-backup.fdbak"], "No backup named", marks=pytest.mark.sqlite_only),
])
def test_usage_errors_are_one_line_exit_2(db, argv, fragment, run):
    code, _, err = run("--db", db, *argv)
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_unreadable_file_is_one_line_exit_2(tmp_path, run):
    junk = tmp_path / "junk.fdesk"
    junk.write_bytes(b"not a database at all")
    code, _, err = run("--db", str(junk), "info")
    assert code == 2 and "not a FusionDesk portfolio" in err and "Traceback" not in err


def test_without_display_the_gui_says_so_in_one_line(tmp_path, run):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "fusiondesk", "--db", str(tmp_path / "x.fdesk")],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "fusiondesk: no display found. Use the command line (fusiondesk --help), "
        "or set QT_QPA_PLATFORM=offscreen to run the window headless."]
    assert not (tmp_path / "x.fdesk").exists()


def test_export_audit_json(db, run, tmp_path):
    out = tmp_path / "audit.xlsx"
    code, printed, _ = run("--db", db, "export-audit", str(out), "--json")
    result = json.loads(printed)
    assert code == 0 and out.exists()
    assert result["sheets"] == ["Summary", "Programme", "Apps", "Findings", "Production gate",
                                "Reviews", "Review throughput", "Ownership", "Teams", "Change log", "Policy",
                                "Citizen developers", "Escalations", "Duplicates"]
    assert result["apps"] == 30 and result["findings"] > 0 and result["path"] == str(out.resolve())


def test_export_audit_refuses_a_missing_folder(db, run, tmp_path):
    code, _, err = run("--db", db, "export-audit", str(tmp_path / "nope" / "a.xlsx"))
    assert code == 2 and "does not exist" in err


def test_a_read_only_command_on_a_missing_portfolio_is_one_line_exit_2_and_creates_nothing(tmp_path, run):
    typo = tmp_path / "portfolo.fdesk"
    for command in (["info"], ["apps"], ["people"], ["classify"], ["reviews"], ["log"]):
        code, out, err = run("--db", str(typo), *command)
        assert (code, out) == (2, ""), command
        assert err.count("\n") == 1 and "No portfolio at" in err and "Traceback" not in err
    assert not typo.exists()
