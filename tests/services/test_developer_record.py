"""The citizen developer record: certification edits (logged, undoable, reclassifying),
the qualification flag from stored certifications, solutions delivered and recognition."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from fusiondesk.core.certification import Certificate
from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.core.validation import InvalidValues
from fusiondesk.db.models import App, ChangeLogEntry
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.developers.edits import (
    add_certificate,
    change_certificate,
    remove_certificate,
    revert_certificates,
)
from fusiondesk.services.developers.recognition import recognition_text
from fusiondesk.services.developers.records import developer_records, record_json
from fusiondesk.services.people.edits import create_person

TODAY = date(2026, 11, 1)  # conftest's FUSIONDESK_TODAY
TODAY_AT = datetime(2026, 11, 1, 9, 0)
ANA = "ana@contoso.example"
PL100 = Certificate("Power Apps", "certified", date(2025, 5, 2), date(2027, 5, 2), "PL-100")
LAPSED = Certificate("Power Apps", "certified", date(2023, 1, 1), date(2025, 1, 1), "PL-100")


@pytest.fixture
def portfolio(empty_portfolio):
    """Ana (trained, as imported) builds a Tier 2 app and a Tier 3 one with a pro-dev partner."""
    with empty_portfolio.transaction() as session:
        create_person(session, {"email": ANA, "name": "Ana Lopez", "department": "Finance",
                                "role": "citizen_developer", "certification": "none"}, "tester")
        create_person(session, {"email": "pat@contoso.example", "name": "Pat",
                                "role": "pro_developer"}, "tester")
        owners = (Owner("primary", ANA),)
        app_edits.create_app(session, AppFacts(
            "T2", "Leave planner", platform="Power Apps", scope="department", lifecycle="production",
            deployed_on=date(2026, 8, 3), hours_saved_per_month=20, owners=owners), "tester")
        app_edits.create_app(session, AppFacts(
            "T3", "Supplier portal", platform="Power Apps", scope="enterprise",
            lifecycle="production", deployed_on=date(2026, 5, 20),
            owners=(*owners, Owner("prodev_partner", "pat@contoso.example"))), "tester")
    return empty_portfolio


def _flags(portfolio):
    with portfolio.reading() as session:
        rows = session.execute(select(App.app_id, App.flags)).all()
    return {app_id: "unqualified_builder" in (flags or "") for app_id, flags in rows}


def test_a_certification_clears_the_flag_and_its_expiry_brings_it_back(portfolio):
    assert _flags(portfolio) == {"T2": True, "T3": True}
    with portfolio.transaction() as session:
        added = add_certificate(session, ANA, PL100, "tester")
    assert _flags(portfolio) == {"T2": False, "T3": False}
    with portfolio.transaction() as session:
        cert_id = developer_records(session)[0].certificates[0][0]
        change_certificate(session, cert_id, LAPSED, "tester")
    assert _flags(portfolio) == {"T2": True, "T3": True}
    with portfolio.transaction() as session:
        log = session.execute(select(ChangeLogEntry.field, ChangeLogEntry.old_value,
                                     ChangeLogEntry.new_value)
                              .where(ChangeLogEntry.field.like("certification:%"))).all()
    assert log == [("certification: Power Apps", "(created)",
                    "certified (PL-100), obtained 2025-05-02, expires 2027-05-02"),
                   ("certification: Power Apps",
                    "certified (PL-100), obtained 2025-05-02, expires 2027-05-02",
                    "certified (PL-100), obtained 2023-01-01, expires 2025-01-01")]
    assert added.keys("person") == [ANA]


def test_undo_and_redo_of_a_removal(portfolio):
    with portfolio.transaction() as session:
        add_certificate(session, ANA, PL100, "tester")
        cert_id = developer_records(session)[0].certificates[0][0]
        removed = remove_certificate(session, cert_id, "tester")
    assert _flags(portfolio)["T2"]
    with portfolio.transaction() as session:
        undone = revert_certificates(session, removed, "tester")
    assert not _flags(portfolio)["T2"]
    with portfolio.transaction() as session:
        revert_certificates(session, undone, "tester")
        assert developer_records(session)[0].certificates == []


def test_a_certification_that_expires_before_it_was_obtained_is_refused(portfolio):
    wrong = Certificate("Power Apps", "certified", date(2026, 1, 1), date(2025, 1, 1))
    with portfolio.transaction() as session, pytest.raises(InvalidValues) as refused:
        add_certificate(session, ANA, wrong, "tester")
    assert "expires" in refused.value.problems


def test_the_record_lists_certifications_deliveries_and_unqualified_apps(portfolio):
    with portfolio.transaction() as session:
        add_certificate(session, ANA, Certificate("Power Apps", "trained", date(2026, 2, 1)),
                        "tester")
        record = next(r for r in developer_records(session) if r.key == ANA)
    shown = record_json(record, TODAY)
    assert shown["current_level"] == "trained"
    assert shown["delivered_per_quarter"] == {"2026-Q2": 1, "2026-Q3": 1}
    assert shown["hours_saved_per_year"] == 240 and shown["hours_unknown"] == 1
    # trained covers Tier 2; Tier 3 needs certified
    assert [(a["app_id"], a["why"]) for a in shown["unqualified_apps"]] == [
        ("T3", "needs certified on Power Apps, has trained")]


def test_the_recognition_list_for_a_quarter(portfolio):
    with portfolio.reading() as session:
        text = recognition_text(session, "2026-q3")
        empty = recognition_text(session, "2025-Q1")
        with pytest.raises(PortfolioError):
            recognition_text(session, "Q3 2026")
    assert text.splitlines()[0] == "## Our citizen developers: solutions delivered in 2026-Q3"
    assert ("- **Ana Lopez** (Finance): 1 solution delivered (Leave planner); "
            "about 240 hours saved a year") in text
    assert "Supplier portal" not in text  # deployed in Q2
    assert "No solutions were delivered in 2025-Q1." in empty


def test_importing_training_records_matches_people_and_skips_what_is_there(portfolio):
    from fusiondesk.services.developers.training_import import import_training_records
    from fusiondesk.sheets.training_records import TrainingRead, TrainingRecord

    rows = [TrainingRecord(2, None, "ANA  LOPEZ", "Power Apps", "certified", "PL-100",
                           date(2025, 5, 2), date(2027, 5, 2)),
            TrainingRecord(3, "zed@contoso.example", "Zed", "Zapier", "trained", None, None, None)]
    read = TrainingRead(rows, [(4, "names nobody (no e-mail or name)")], {})
    with portfolio.transaction() as session:
        first = import_training_records(session, read, "tester")
    with portfolio.transaction() as session:
        again = import_training_records(session, read, "tester")
        sources = session.execute(select(ChangeLogEntry.source)
                                  .where(ChangeLogEntry.field == "certification: Power Apps")).all()
    assert (first.added, first.unknown_people, len(first.skipped)) == (
        1, [(3, "zed@contoso.example")], 1)
    assert (again.added, again.already_there) == (0, 1)
    assert sources == [("import",)]
    assert _flags(portfolio) == {"T2": False, "T3": False}  # reclassified after the import



def test_training_records_naming_nobody_in_the_portfolio_are_refused_before_any_write(portfolio):
    from fusiondesk.services.developers.training_import import import_training_records
    from fusiondesk.sheets.problems import SheetError
    from fusiondesk.sheets.training_records import TrainingRead, TrainingRecord

    rows = [TrainingRecord(2, "zed@elsewhere.example", None, "Zapier", "trained", None, None, None),
            TrainingRecord(3, None, "Al Nobody", "Power Apps", "certified", "PL-100", None, None)]
    read = TrainingRead(rows, [], {}, "lms.csv")
    with pytest.raises(SheetError, match="lms.csv: none of the 2 people it lists is in the "
                                         "portfolio.*import the directory first"):
        with portfolio.transaction() as session:
            import_training_records(session, read, "tester")
    with portfolio.reading() as session:
        assert session.execute(select(ChangeLogEntry.id)
                               .where(ChangeLogEntry.source == "import")).all() == []

def test_the_audit_workbook_lists_citizen_developers(portfolio, tmp_path):
    import openpyxl

    from fusiondesk.services.audit.workbook import export_audit

    with portfolio.transaction() as session:
        add_certificate(session, ANA, LAPSED, "tester")
        add_certificate(session, ANA, Certificate("Power Apps", "trained", date(2026, 2, 1)),
                        "tester")
        export_audit(session, tmp_path / "audit.xlsx", TODAY_AT, "tester", "test")
    sheet = openpyxl.load_workbook(tmp_path / "audit.xlsx")["Citizen developers"]
    rows = {row[0]: dict(zip([c.value for c in sheet[1]], row))
            for row in sheet.iter_rows(min_row=2, values_only=True)}
    ana = rows[ANA]
    assert ana["current_level"] == "trained"
    assert ana["certifications"] == "Power Apps: trained, obtained 2026-02-01"
    assert ana["expired"] == ("Power Apps: certified (PL-100), obtained 2023-01-01, "
                              "expires 2025-01-01")
    assert (ana["solutions_delivered"], ana["hours_saved_per_year"], ana["apps_without_hours"]) == (
        2, 240, 1)
    assert ana["unqualified_apps"] == "T3"
    assert "pat@contoso.example" not in rows  # a pro-developer who built nothing


def test_the_why_panel_explains_an_unsaved_edit_with_the_builders_record(portfolio):
    """The app editor classifies the form's facts: their owners get the builder's record."""
    from fusiondesk.core.tiers import classify
    from fusiondesk.services.classification.reclassify import policy_in_force, with_owner_statuses

    unsaved = AppFacts("NEW", "Draft", platform="Power Apps", scope="department",
                       owners=(Owner("primary", ANA),))
    with portfolio.transaction() as session:
        before = with_owner_statuses(session, unsaved)
        add_certificate(session, ANA, LAPSED, "tester")
        lapsed = with_owner_statuses(session, unsaved)
        policy = policy_in_force(session)
    flags = {f.name: f.explanation for f in classify(lapsed, policy, TODAY).flags}
    assert "certified on Power Apps (PL-100), expired 2025-01-01" in flags["unqualified_builder"]
    assert before.owners[0].certificates == ()  # "none" as imported: known to be none


def test_undoing_a_persons_deletion_brings_their_certifications_back(portfolio):
    from fusiondesk.services.people.edits import delete_person, revert_person

    with portfolio.transaction() as session:
        add_certificate(session, ANA, PL100, "tester")
        deleted = delete_person(session, ANA, "tester")
    with portfolio.transaction() as session:
        revert_person(session, deleted, "tester")
        restored = next(r for r in developer_records(session) if r.key == ANA)
    assert [c for _id, c in restored.certificates] == [PL100]


def test_hours_saved_follow_the_value_ledger_as_the_programme_counts_them(portfolio):
    """Minutes per run × runs a month win over hours a month, as on the Programme page; an
    app recording neither is unknown, never zero."""
    with portfolio.transaction() as session:
        app_edits.save_app(session, "T2", {"minutes_saved_per_run": 6, "runs_per_month": 500},
                           app_edits.load_app(session, "T2").version, "tester")
        apps = {a.app_id: a for a in developer_records(session)[0].apps}
    assert apps["T2"].hours_saved_per_year == 600  # 6 min × 500 runs = 50 h a month, × 12
    assert apps["T3"].hours_saved_per_year is None


def test_merging_a_person_into_another_keeps_their_certifications_once(portfolio):
    """An import merges a record known by name into the directory's: its certifications move
    with its ownerships (the cascade would drop them), and one both hold is not doubled."""
    from fusiondesk.db.store.teams import person_id
    from fusiondesk.services.apps.bulk import merge_person

    with portfolio.transaction() as session:
        create_person(session, {"email": "ana.lopez@contoso.example", "name": "Ana L."}, "tester")
        add_certificate(session, ANA, PL100, "tester")
        add_certificate(session, ANA, Certificate("Power Automate", "trained", date(2026, 2, 1),
                                                  None, None), "tester")
        add_certificate(session, "ana.lopez@contoso.example", PL100, "tester")
        merge_person(session, person_id(session, ANA), person_id(session, "ana.lopez@contoso.example"))
        records = {r.key: r for r in developer_records(session)}
    kept = sorted((c.platform, c.level) for _id, c in records["ana.lopez@contoso.example"].certificates)
    assert kept == [("Power Apps", "certified"), ("Power Automate", "trained")] and ANA not in records
