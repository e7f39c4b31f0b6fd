"""The sample portfolio: deterministic, realistic in shape, and writable as an inventory xlsx."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fusiondesk.core.fields import (
    APP_COLUMNS,
    APP_FIELDS,
    CRITICALITIES,
    DIRECTIONS,
    OWNER_ROLES,
    PERSON_COLUMNS,
    PERSON_FIELDS,
    SENSITIVITIES,
)
from fusiondesk.core.values import parse_integrations
from fusiondesk.sample_generator import UNKNOWABLE, generate
from fusiondesk.sample_generator.inventory import messify

TODAY = date(2026, 11, 1)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.fixture(scope="module")
def writer():
    from fusiondesk.sample_generator import inventory

    return inventory


def people_by_email(sample):
    return {p.email: p for p in sample.people}


def sheet_rows(path, sheet):
    book = load_workbook(path, read_only=True)
    try:
        return list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()  # read-only books keep the file open until closed


# --- determinism ---------------------------------------------------------------------------

def test_same_arguments_give_the_same_portfolio():
    assert generate(300, seed=3) == generate(300, seed=3)


def test_a_different_seed_gives_a_different_portfolio():
    assert generate(300, seed=3).apps != generate(300, seed=4).apps


def test_same_portfolio_in_another_process_with_another_hash_seed():
    # Set iteration order changes with PYTHONHASHSEED; output must not depend on it.
    code = ("import hashlib; from fusiondesk.sample_generator import generate; "
            "print(hashlib.sha256(repr(generate(200)).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed,
                                                         "PYTHONPATH": str(ROOT)}).stdout
               for seed in ("1", "2")}
    assert len(digests) == 1


def test_generation_does_not_touch_the_global_random_state():
    random.seed(1)
    expected = random.random()
    random.seed(1)
    generate(50)
    assert random.random() == expected


# --- shape ---------------------------------------------------------------------------------

def test_portfolio_spans_platforms_and_departments(sample):
    assert len(sample.apps) == 400
    assert len({a.platform for a in sample.apps} - {None}) >= 8
    assert len({a.department for a in sample.apps} - {None}) >= 10
    assert len({a.environment for a in sample.apps} - {None}) == 5


def test_people_count_follows_the_portfolio_size(sample):
    assert len(sample.people) == 120
    assert len(generate(apps=5).people) == 10  # never fewer than ten


def test_some_people_are_leaving_soon_and_some_have_left(sample):
    leaving = [p for p in sample.people if p.status == "leaving"]
    left = [p for p in sample.people if p.status == "left"]
    assert leaving and left
    assert all(TODAY < p.leave_date <= date(2026, 12, 31) for p in leaving)
    assert all(p.leave_date < TODAY for p in left)


def test_people_have_unique_emails_and_managers_from_their_department(sample):
    people = people_by_email(sample)
    assert len(people) == len(sample.people)
    assert all(re.fullmatch(r"[a-z.-]+\d*@contoso\.example", email) for email in people)
    for person in sample.people:
        if person.manager_email:
            manager = people[person.manager_email]
            assert manager.department == person.department and manager.email != person.email
    admins = [p for p in sample.people if p.role == "coe_admin"]
    assert len(admins) >= 2 and all(p.manager_email is None for p in admins)
    assert all(3 <= p.capacity <= 15 for p in sample.people if p.capacity is not None)


def test_every_app_has_a_primary_owner_who_builds(sample):
    people = people_by_email(sample)
    for app in sample.apps:
        primaries = [o for o in app.owners if o.role == "primary"]
        assert len(primaries) == 1
        assert people[primaries[0].email].role in ("citizen_developer", "pro_developer")


def test_ownership_includes_co_owners_teams_partners_and_orphans(sample):
    people = people_by_email(sample)
    roles = [{o.role for o in a.owners if o.email} for a in sample.apps]
    assert sum("co_owner" in r for r in roles) > 0.2 * len(roles)
    assert sum("business_owner" in r for r in roles) > 0.35 * len(roles)
    assert any("prodev_partner" in r for r in roles)
    assert sum(any(o.team for o in a.owners) for a in sample.apps) > 0.05 * len(roles)
    orphaned = [a for a in sample.apps
                if all(not o.team and people[o.email].status == "left" for o in a.owners)]
    assert len(orphaned) >= 4


def test_owners_are_known_people_or_teams_and_statuses_are_left_to_the_database(sample):
    people = people_by_email(sample)
    teams = {t.name for t in sample.teams}
    for app in sample.apps:
        for owner in app.owners:
            assert owner.status is None and owner.role in OWNER_ROLES
            assert (owner.email in people) if owner.email else (owner.team in teams)


def test_every_risk_level_and_tier_boundary_is_present(sample):
    assert {a.data_sensitivity for a in sample.apps} >= set(SENSITIVITIES)
    assert {a.criticality for a in sample.apps} >= set(CRITICALITIES)
    users = [a.users for a in sample.apps]
    for boundary in (49, 50, 499, 500):
        assert users.count(boundary) >= 2
    assert sum(1 for u in users if u is not None and u < 50) > len(users) / 2  # mostly tiny


def test_compliance_and_integrations_are_varied(sample):
    regimes = {c for a in sample.apps for c in a.compliance or ()}
    assert {"HIPAA", "GDPR", "PCI DSS", "SOX"} <= regimes and regimes - {"HIPAA", "GDPR", "PCI DSS", "SOX"}
    integrations = [i for a in sample.apps for i in a.integrations or ()]
    assert {i.approved for i in integrations} == {True, False, None}
    assert any(i.external_api for i in integrations) and any(i.asynchronous for i in integrations)
    assert {i.system for i in integrations if i.enterprise} <= {
        "SAP", "Workday", "Dynamics 365", "Oracle EBS", "NetSuite"}


def test_enum_values_come_from_the_canonical_choices(sample):
    for f in APP_FIELDS:
        if f.choices:
            values = {v for a in sample.apps for v in _as_list(getattr(a, f.name))}
            assert values <= set(f.choices), f.name
    for f in PERSON_FIELDS:
        if f.choices:
            assert {getattr(p, f.name) for p in sample.people} - {None} <= set(f.choices), f.name
    directions = {i.direction for a in sample.apps for i in a.integrations or ()}
    assert directions <= set(DIRECTIONS)
    assert {a.approved_tier for a in sample.apps} - {None} <= {1, 2, 3, 4}


def test_power_platform_items_say_their_kind_licence_and_environment_type(sample):
    kinds = {}
    for app in sample.apps:
        kinds.setdefault(app.platform, set()).add(app.kind)
    assert kinds["Power Apps"] == {"canvas_app", "model_driven_app"}
    assert kinds["Power Automate"] == {"cloud_flow", "desktop_flow"}
    assert all(kinds[p] == {None} for p in ("Salesforce", "ServiceNow", "UiPath", "Zapier"))
    typed = [a for a in sample.apps if a.kind]
    assert {a.licence for a in typed} >= {"Standard", "Premium", None}
    # Dataverse and RPA are premium whatever the connectors
    assert all(a.licence != "Standard" for a in typed
               if a.kind in ("model_driven_app", "desktop_flow"))
    pairs = {(a.environment, a.environment_type) for a in typed if a.environment}
    assert {("Default", "default"), ("Production", "production")} <= pairs
    assert {t for _, t in pairs} <= {"default", "production", "sandbox", "developer", "trial"}
    # a file that lost the platform still says the kind: what platform_for_kind is for
    assert any(a.platform is None and a.kind for a in sample.apps)


def test_dates_tell_a_consistent_story(sample):
    for app in sample.apps:
        if app.created and app.last_modified:
            assert app.created <= app.last_modified <= TODAY
        if app.requested_on and app.deployed_on and app.deployed_on < TODAY:
            # one week to three months drawn, scaled by the tier (half for Tier 1, 2.2× for 4)
            assert 3 <= (app.deployed_on - app.requested_on).days <= round(12 * 7 * 2.2)
            assert app.created is None or app.deployed_on > app.created
    assert min(a.created for a in sample.apps if a.created) >= date(2020, 11, 1)
    assert any((TODAY - a.last_used).days > 180 for a in sample.apps if a.last_used)


def test_lead_time_grows_with_the_tier_so_the_programme_page_has_a_story(sample):
    from statistics import median

    from fusiondesk.sample_generator import likely_tier

    days: dict[int, list[int]] = {}
    for app in sample.apps:
        if app.requested_on and app.deployed_on and app.deployed_on < TODAY:
            facts = {f: getattr(app, f) for f in ("integrations", "users", "data_sensitivity",
                                                  "criticality", "compliance", "custom_code",
                                                  "calc_complexity", "scope")}
            days.setdefault(likely_tier(facts), []).append((app.deployed_on - app.requested_on).days)
    medians = [median(days[tier]) for tier in sorted(days)]
    assert sorted(days) == [1, 2, 3, 4] and medians == sorted(medians) and medians[0] < medians[-1]


def test_some_apps_drifted_or_doubled_since_review(sample):
    assert any(a.users and a.users_at_last_review and a.users >= 2 * a.users_at_last_review
               for a in sample.apps)
    assert {a.approved_tier for a in sample.apps} >= {1, 2, 3, 4}


def test_about_five_percent_of_facts_are_unknown(sample):
    blanks = sum(getattr(a, name) is None for a in sample.apps for name in UNKNOWABLE)
    assert 0.02 < blanks / (len(sample.apps) * len(UNKNOWABLE)) < 0.10


def test_app_ids_are_unique_and_look_like_the_platforms(sample):
    ids = {a.app_id for a in sample.apps}
    assert len(ids) == len(sample.apps)
    guid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    for app in sample.apps:
        if app.platform in ("Power Apps", "Power Automate"):
            assert guid.fullmatch(app.app_id)
        if app.platform == "ServiceNow":
            assert re.fullmatch(r"SN-\d{5}", app.app_id)


def test_a_large_portfolio_keeps_ids_and_emails_unique():
    big = generate(apps=5000, seed=11)
    assert len({a.app_id for a in big.apps}) == 5000
    assert len({p.email for p in big.people}) == len(big.people) == 1500


# --- messiness and the xlsx ----------------------------------------------------------------

def test_messify_keeps_the_meaning_and_changes_the_spelling():
    rng = random.Random(1)
    assert {messify("yes", "dr_plan", rng) for _ in range(50)} <= {"Yes", "Y", "TRUE", "1", "y", "True"}
    assert messify(1200, "users", rng) == "1,200"
    assert messify(date(2025, 4, 3), "created", random.Random(0)) in ("2025-04-03", "03/04/2025")
    assert messify("a.b@contoso.example", "email", rng).strip().lower() == "a.b@contoso.example"
    assert messify("Shift Roster", "name", rng).rstrip() == "Shift Roster"
    assert messify(None, "users", rng) is None


def test_clean_xlsx_has_canonical_headers_and_one_row_per_record(sample, writer, tmp_path):
    path = writer.write_inventory_xlsx(sample, tmp_path / "clean.xlsx", messy=False)
    apps, people = sheet_rows(path, "Apps"), sheet_rows(path, "People")
    assert apps[0] == APP_COLUMNS and people[0] == PERSON_COLUMNS
    assert len(apps) - 1 == len(sample.apps) and len(people) - 1 == len(sample.people)
    first = dict(zip(APP_COLUMNS, apps[1]))
    app = sample.apps[0]
    assert first["app_id"] == app.app_id
    assert first["primary_owner"] == next(o.email for o in app.owners if o.role == "primary")
    assert isinstance(first["created"], datetime) and first["custom_code"] in ("yes", "no")
    cells = {dict(zip(APP_COLUMNS, row))["app_id"]: dict(zip(APP_COLUMNS, row))["integrations"]
             for row in apps[1:]}
    for generated in sample.apps:  # each cell reads back as exactly the app's integrations
        cell, expected = cells[generated.app_id], generated.integrations
        if cell is None:
            assert expected is None  # unknown stays a blank cell
        elif cell == "none":
            assert expected == ()  # known to have none
        else:
            assert parse_integrations(cell) == expected


def test_messy_xlsx_adds_noise_duplicates_and_blank_rows(sample, writer, tmp_path):
    path = writer.write_inventory_xlsx(sample, tmp_path / "messy.xlsx", messy=True)
    rows = sheet_rows(path, "Apps")[1:]
    filled = [r for r in rows if any(v is not None for v in r)]
    assert len(rows) > len(filled)  # blank rows
    assert len(filled) > len(set(filled)) == len(sample.apps)  # exact duplicates, nothing lost
    cells = [v for r in filled for v in r if isinstance(v, str)]
    assert any(v in ("Yes", "Y", "TRUE", "1", "y", "True", "No", "N", "FALSE", "0", "n") for v in cells)
    assert any(v.endswith(" ") for v in cells) and any("@CONTOSO" in v for v in cells)
    assert any(re.fullmatch(r"\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2}", v) for v in cells)


def test_writer_is_deterministic_in_content(sample, writer, tmp_path):
    one = writer.write_inventory_xlsx(sample, tmp_path / "a.xlsx")
    two = writer.write_inventory_xlsx(sample, tmp_path / "b.xlsx")
    assert sheet_rows(one, "Apps") == sheet_rows(two, "Apps")


def test_main_writes_the_requested_file(writer, tmp_path, capsys):
    out = tmp_path / "inventory.xlsx"
    assert writer.main(["--apps", "30", "--seed", "2", "--out", str(out)]) == 0
    rows = sheet_rows(out, "Apps")
    assert rows[0] == APP_COLUMNS
    assert sum(any(v is not None for v in r) for r in rows[1:]) == 30 + 2  # two duplicates
    assert "30 apps" in capsys.readouterr().out


def _as_list(value):
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def test_the_sample_has_a_review_history_done_open_and_overdue_by_busy_reviewers():
    today = date(2026, 11, 1)
    sample = generate(400, seed=7, today=today)
    reviews = sample.reviews
    done = [r for r in reviews if r.completed is not None]
    still_open = [r for r in reviews if r.completed is None]
    assert done and still_open
    assert any(r.due < today for r in still_open)  # overdue
    assert any(r.due >= today for r in still_open)  # not yet due
    assert {r.outcome for r in done} == {"approved", "approved_with_conditions", "rejected"}
    late = [r for r in done if r.completed > r.due]
    assert 0.05 < len(late) / len(done) < 0.4  # SLA attainment is not 100%
    load = Counter(r.reviewer_email for r in done)
    assert len(load) >= 5 and load.most_common(1)[0][1] >= 3 * sorted(load.values())[len(load) // 2]
    apps = {a.app_id: a for a in sample.apps}
    assert all(r.requested >= apps[r.app_id].created for r in reviews if apps[r.app_id].created)
    # each reviewed app's periodic review falls on its last-review day
    periodic = {r.app_id: r.completed for r in done if r.type == "periodic"}
    assert all(apps[app_id].last_review == day for app_id, day in periodic.items())
    assert generate(400, seed=7, today=today).reviews == reviews  # deterministic by seed
