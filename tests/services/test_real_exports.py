"""The exports CoE leads really have, imported whole: ids, owners, kinds, dates, directory.

The files are written by tests/fixtures/exports.py as each tool writes them (see
tests/fixtures/SOURCES.md); the assertions are on the values that land.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fusiondesk.db.models import App, HandoverPlanRecord, Ownership, Person
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.importing.importer import apply_import, plan_import
from fusiondesk.services.importing.sheet import IdentityRefused

from tests.fixtures import exports


def _import(portfolio, path, **options):
    with portfolio.reading() as session:
        plan = plan_import(session, path, **options)
    return plan, apply_import(portfolio, plan)


def _apps(portfolio) -> dict[str, object]:
    with portfolio.reading() as session:
        return {f.app_id: f for f in load_facts(session).values()}


def _owner_keys(app) -> list[str]:
    return [o.key for o in app.owners if o.role == "primary"]


def _people(portfolio) -> dict[str, tuple]:
    with portfolio.reading() as session:
        rows = session.execute(select(Person.name, Person.email, Person.status)).all()
    return {name: (email, status) for name, email, status in rows}


def test_ppac_inventory_keeps_ids_owner_names_kinds_and_platforms(empty_portfolio, tmp_path):
    plan, _ = _import(empty_portfolio, exports.ppac_inventory_csv(tmp_path))
    expected = exports.PPAC_EXPECTED

    apps = _apps(empty_portfolio)
    assert set(apps) == set(expected["ids"]) and len(apps) == expected["apps"]
    assert plan.sheets[0].profile == "Power Platform admin center inventory"
    for app_id, owner in expected["owners"].items():
        if owner != "Alex Wilber":  # two people could be meant: see the directory test
            assert _owner_keys(apps[app_id]) == [owner], app_id
    for app_id, kind in expected["kinds"].items():
        assert apps[app_id].kind == kind
        if kind == "cloud_flow":  # the file has no platform column: the kind says it
            assert apps[app_id].platform == "Power Automate"
    owners = _people(empty_portfolio)
    assert owners["José Álvarez"] == (None, "active")  # added without an e-mail, not dropped


def test_a_newer_export_of_the_same_tenant_updates_in_place(empty_portfolio, tmp_path):
    _import(empty_portfolio, exports.ppac_inventory_csv(tmp_path / "old"))
    plan, _ = _import(empty_portfolio, exports.ppac_inventory_csv(tmp_path / "new", newer=True))
    newer = exports.PPAC_NEWER_EXPECTED

    apps = _apps(empty_portfolio)
    assert set(newer["added"]) <= set(apps)
    assert plan.counts["apps"].created == len(newer["added"])
    for app_id, (_, after) in newer["owner_changed"].items():
        assert _owner_keys(apps[app_id]) == [after]
    for app_id, modified in newer["modified_changed"].items():
        assert apps[app_id].last_modified == modified.date()


def test_the_directory_resolves_owner_names_and_starts_handover_for_disabled_accounts(
        empty_portfolio, tmp_path):
    _import(empty_portfolio, exports.ppac_inventory_csv(tmp_path))
    _import(empty_portfolio, exports.entra_users_csv(tmp_path))

    people = _people(empty_portfolio)
    assert people["Adele Vance"] == ("adelev@contoso.onmicrosoft.com", "active")
    assert people["José Álvarez"][0] == "josea@contoso.onmicrosoft.com"
    apps = _apps(empty_portfolio)
    owned_by_lynne = [a for a in apps.values()
                      if "lynner@contoso.onmicrosoft.com" in _owner_keys(a)]
    assert owned_by_lynne, "the name-only owner was merged into her directory record"
    with empty_portfolio.reading() as session:
        nameless = session.scalars(select(Person.name).where(Person.email.is_(None))).all()
        planned = session.scalars(select(HandoverPlanRecord.person_email)).all()
        orphans = session.scalar(select(Ownership.id).where(Ownership.person_id.is_(None),
                                                              Ownership.team_id.is_(None)))
    # "Alex Wilber" is two people in the directory: never guessed, still without an e-mail.
    assert nameless == ["Alex Wilber"]
    assert "lynner@contoso.onmicrosoft.com" in planned and orphans is None
    with empty_portfolio.reading() as session:  # the table's Owners column follows
        shown = set(session.scalars(select(App.owner_summary)))
    assert "adelev@contoso.onmicrosoft.com" in shown and "Adele Vance" not in shown
    for leaver in exports.ENTRA_EXPECTED["left"]:
        assert any(email == leaver and status == "left" for email, status in people.values())


def test_directory_first_then_the_inventory_resolves_names_to_emails(empty_portfolio, tmp_path):
    _import(empty_portfolio, exports.entra_users_csv(tmp_path))
    plan, _ = _import(empty_portfolio, exports.ppac_inventory_csv(tmp_path))

    apps = _apps(empty_portfolio)
    assert _owner_keys(apps[next(i for i, o in exports.PPAC_EXPECTED["owners"].items()
                                 if o == "Adele Vance")]) == ["adelev@contoso.onmicrosoft.com"]
    ambiguous = [p for p in plan.warnings if "could be any of 2 people" in p.message]
    assert ambiguous and "Alex Wilber" in ambiguous[0].message


def test_the_servicenow_collapse_is_refused_naming_the_column(empty_portfolio, tmp_path):
    path = exports.servicenow_apm_collapse_xlsx(tmp_path)
    from fusiondesk.sheets.profile import Profile

    wrong = Profile("wrong", columns={"Application type": "app_id", "Name": "name"})
    with empty_portfolio.reading() as session, pytest.raises(IdentityRefused) as refused:
        plan_import(session, path, profile=wrong)
    assert "Application type (D)" in str(refused.value) and "collapse" in str(refused.value)

    plan, _ = _import(empty_portfolio, path)  # recognised: Number is the id
    assert plan.counts["apps"].created == 90
    assert set(_apps(empty_portfolio)) == exports.SERVICENOW_COLLAPSE_EXPECTED["ids"]


def test_servicenow_vocabulary_maps_out_of_the_box(empty_portfolio, tmp_path):
    _import(empty_portfolio, exports.servicenow_apm_xlsx(tmp_path))
    apps = _apps(empty_portfolio)
    expected = exports.SERVICENOW_EXPECTED
    assert set(apps) == expected["ids"]
    assert {i: apps[i].criticality for i in apps} == expected["criticality"]
    assert {i: apps[i].lifecycle for i in apps} == expected["lifecycle"]
    assert {i: apps[i].users for i in apps} == expected["users"]
    for app_id, owner in expected["owners"].items():
        assert _owner_keys(apps[app_id]) == [owner]


def test_the_hand_kept_tracker_skips_totals_and_notes(empty_portfolio, tmp_path):
    plan, _ = _import(empty_portfolio, exports.hand_tracker_xlsx(tmp_path))
    expected = exports.HAND_TRACKER_EXPECTED

    with empty_portfolio.reading() as session:
        names = set(session.scalars(select(App.name)))
    assert names == set(expected["departments"])
    skipped = [p.message for p in plan.warnings if p.message.startswith("row skipped")]
    assert len(skipped) == len(expected["skipped_rows"])
    assert any("“Total”" in m for m in skipped)
    apps = {a.name: a for a in _apps(empty_portfolio).values()}
    assert apps["Budget Tracker"].owners == apps["Month-end reminder"].owners  # josé  álvarez
    for name, department in expected["departments"].items():
        assert apps[name].department == department


def test_coe_kit_hidden_system_columns_do_not_win(empty_portfolio, tmp_path):
    plan, _ = _import(empty_portfolio, exports.coe_kit_apps_xlsx(tmp_path))
    columns = {c.header: c for c in plan.sheets[0].columns}
    assert columns["(Do Not Modify) Modified On"].field is None
    assert "hidden" in columns["(Do Not Modify) Modified On"].reason
    assert columns["App Modified On"].field == "last_modified"
    assert plan.skipped_sheets == [("hiddenDataSheet", "hidden sheet")]


def test_powershell_owner_objects_and_seven_digit_timestamps(empty_portfolio, tmp_path):
    _import(empty_portfolio, exports.powershell_apps_csv(tmp_path))
    apps = _apps(empty_portfolio)
    assert all(a.created is not None and a.platform == "Power Apps" for a in apps.values())
    assert any(_owner_keys(a) and "@" in _owner_keys(a)[0] for a in apps.values())


def test_a_copy_of_a_recognised_format_keeps_its_defaults_and_ignore_reasons(tmp_path):
    from fusiondesk.services.importing.choices import initial_choices, save_choice_as_profile
    from fusiondesk.sheets.profile import load_profile
    from fusiondesk.sheets.reader import read_tables

    path = exports.powershell_flows_csv(tmp_path)
    choice = initial_choices(read_tables(path), path=path)[0]
    copy = load_profile(save_choice_as_profile(choice, "My flows", "dmy", tmp_path / "my.toml"))

    assert choice.profile_name == "PowerShell Get-AdminFlow export"
    assert copy.defaults == {"platform": "Power Automate", "kind": "cloud_flow"}
    assert "Internal" in copy.ignore and copy.columns["FlowName"] == "app_id"
    assert not copy.builtin


def test_unrecognised_export_still_keeps_guid_ids_and_display_names(empty_portfolio, tmp_path):
    """No profile matches (a renamed column): the values say which column is the id."""
    original = exports.powershell_apps_csv(tmp_path).read_text(encoding="utf-8-sig")
    renamed = tmp_path / "apps-renamed.csv"
    renamed.write_text(original.replace('"EnvironmentName"', '"Environment"', 1),
                       encoding="utf-8-sig")

    plan, _ = _import(empty_portfolio, renamed)

    columns = {c.header: c for c in plan.sheets[0].columns}
    assert plan.sheets[0].profile is None
    assert columns["AppName"].field == "app_id" and "platform id" in columns["AppName"].reason
    assert columns["DisplayName"].field == "name"
    apps = _apps(empty_portfolio)
    assert all(len(app_id) == 36 and app_id.count("-") == 4 for app_id in apps)
    assert "Expense Claims" in {a.name for a in apps.values()}


def test_a_directory_with_other_headers_still_marks_disabled_accounts_as_left(
        empty_portfolio, tmp_path):
    directory = tmp_path / "users.csv"
    directory.write_text("User principal name,Display name,Department,Account enabled\n"
                         "adelev@contoso.com,Adele Vance,Retail,True\n"
                         "lynner@contoso.com,Lynne Robbins,Retail,False\n", encoding="utf-8")
    _import(empty_portfolio, directory)
    assert _people(empty_portfolio) == {"Adele Vance": ("adelev@contoso.com", "active"),
                                        "Lynne Robbins": ("lynner@contoso.com", "left")}


def test_an_owner_email_column_wins_over_an_owner_name_column(empty_portfolio, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("App Name,Owner,Owner Email,Platform\n"
                        "Budget Tracker,Adele Vance,adelev@contoso.com,Power Apps\n"
                        "Leave Requests,Lee Gu,leeg@contoso.com,Power Apps\n", encoding="utf-8")
    plan, _ = _import(empty_portfolio, register)

    columns = {c.header: c.field for c in plan.sheets[0].columns}
    assert columns["Owner Email"] == "primary_owner" and columns["Owner"] is None
    assert {_owner_keys(a)[0] for a in _apps(empty_portfolio).values()} == {
        "adelev@contoso.com", "leeg@contoso.com"}


def test_family_name_first_and_an_address_in_brackets_resolve_to_the_same_people(
        empty_portfolio, tmp_path):
    _import(empty_portfolio, exports.entra_users_csv(tmp_path))
    register = tmp_path / "register.csv"
    register.write_text("App Name;Owner;Platform\n"
                        "Budget Tracker;\"Álvarez, José\";Power Apps\n"
                        "Leave Requests;Lee Gu (LeeG@contoso.onmicrosoft.com);Power Apps\n",
                        encoding="utf-8")
    _import(empty_portfolio, register)

    owners = {a.name: _owner_keys(a) for a in _apps(empty_portfolio).values()}
    assert owners == {"Budget Tracker": ["josea@contoso.onmicrosoft.com"],
                      "Leave Requests": ["leeg@contoso.onmicrosoft.com"]}


def test_a_directory_giving_managers_by_name_sets_their_emails(empty_portfolio, tmp_path):
    directory = tmp_path / "users.csv"
    directory.write_text("User principal name,Display name,Manager\n"
                         "adelev@contoso.com,Adele Vance,Megan Bowen\n"
                         "meganb@contoso.com,Megan Bowen,\n"
                         "leeg@contoso.com,Lee Gu,Nobody Known\n", encoding="utf-8")
    plan, _ = _import(empty_portfolio, directory)

    with empty_portfolio.reading() as session:
        managers = dict(session.execute(select(Person.name, Person.manager_email)).all())
    assert managers == {"Adele Vance": "meganb@contoso.com", "Megan Bowen": None,
                        "Lee Gu": None}
    assert any("Nobody Known" in p.message for p in plan.warnings)
