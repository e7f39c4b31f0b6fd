"""Who deployed an app, resolved through the People as owners are, and the gate it feeds."""

from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy import select

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.models import App
from fusiondesk.db.store.apps import load_facts, read_app
from fusiondesk.services.apps.edits import create_app, load_app, save_app
from fusiondesk.services.classification.governance import classified_apps
from fusiondesk.services.classification.reclassify import with_owner_statuses
from fusiondesk.services.importing.importer import apply_import, plan_import
from fusiondesk.services.people.edits import create_person

READY = dict(lifecycle="production", environment_type="production", users=80,
             doc_functional=True, doc_data_sources=True, doc_logic=True)
PEOPLE = [("ana@contoso.com", "Ana Díaz", "citizen_developer"),
          ("raj@contoso.com", "Raj Patel", "pro_developer"),
          ("sam.lee@contoso.com", "Sam Lee", "citizen_developer"),
          ("sam.lee2@contoso.com", "Sam Lee", "pro_developer")]


def _people(session) -> None:
    for email, name, role in PEOPLE:
        create_person(session, {"email": email, "name": name, "role": role}, "tester")


def _off_path(session, app_id: str) -> str | None:
    found = next(c for c in classified_apps(session) if c.facts.app_id == app_id)
    return next((f.explanation for f in found.result.flags if f.name == "off_deployment_path"), None)


def test_the_deployer_is_found_by_email_or_by_a_name_only_one_person_has(empty_portfolio):
    with empty_portfolio.transaction() as session:
        _people(session)
        maker = (Owner("primary", email="ana@contoso.com"),)
        for app_id, by in (("D-1", "ANA@contoso.com"), ("D-2", "diaz, ana"), ("D-3", "Sam Lee"),
                           ("D-4", "Raj Patel"), ("D-5", "nobody@contoso.com"), ("D-6", None)):
            create_app(session, AppFacts(app_id, f"App {app_id}", owners=maker, deployed_by=by,
                                         **READY), "tester")
        stored = {f.app_id: (f.deployer, f.deployer_role) for f in load_facts(session).values()}
        assert stored == {"D-1": ("ana@contoso.com", "citizen_developer"),
                          "D-2": ("ana@contoso.com", "citizen_developer"),
                          "D-3": (None, None),  # two people are called Sam Lee: never guessed
                          "D-4": ("raj@contoso.com", "pro_developer"),
                          "D-5": (None, None), "D-6": (None, None)}
        assert read_app(session, "D-2").facts.deployer_role == "citizen_developer"
        # Tier 3 (80 users), the maker alone: off the path; a pro-dev deploying: on it
        assert "deployed by diaz, ana, a citizen developer, with no pro-dev partner" in _off_path(session, "D-2")
        assert [_off_path(session, a) for a in ("D-3", "D-4", "D-5", "D-6")] == [None] * 4


def test_an_edit_of_deployed_by_moves_the_gate_and_the_editor_sees_it_before_saving(empty_portfolio):
    with empty_portfolio.transaction() as session:
        _people(session)
        create_app(session, AppFacts("E-1", "Expenses", deployed_by="raj@contoso.com", **READY),
                   "tester")
        assert _off_path(session, "E-1") is None
        stored = load_app(session, "E-1")
        preview = with_owner_statuses(session, stored.facts.with_changes(deployed_by="Ana Díaz"))
        assert (preview.deployer, preview.deployer_role) == ("ana@contoso.com", "citizen_developer")
        save_app(session, "E-1", {"deployed_by": "Ana Díaz"}, stored.version, "tester")
        assert "Ana Díaz, a citizen developer" in _off_path(session, "E-1")


def test_an_import_reads_deployed_by_under_its_register_headers(empty_portfolio, tmp_path):
    with empty_portfolio.transaction() as session:
        _people(session)
    book = Workbook()
    sheet = book.active
    sheet.append(["App ID", "Name", "Lifecycle", "Environment type", "Users", "Promoted by"])
    sheet.append(["I-1", "Leave Planner", "production", "Production", 80, "Ana Diaz"])
    sheet.append(["I-2", "Stock Counter", "production", "Production", 80, "raj@contoso.com"])
    book.save(tmp_path / "register.xlsx")
    with empty_portfolio.reading() as session:
        plan = plan_import(session, tmp_path / "register.xlsx")
    apply_import(empty_portfolio, plan)
    with empty_portfolio.reading() as session:
        facts = {f.app_id: f for f in load_facts(session).values()}
        assert facts["I-1"].deployed_by == "Ana Diaz" and facts["I-1"].deployer_role == "citizen_developer"
        assert "off_deployment_path" in _signs(session, "I-1")  # classified as it was created
        assert "off_deployment_path" not in _signs(session, "I-2")


def _signs(session, app_id: str) -> list[str]:
    """The warning signs stored on the app row, as lists and the dashboard read them."""
    return (session.scalar(select(App.flags).where(App.app_id == app_id)) or "").split(";")


def test_correcting_the_deployers_role_in_people_moves_the_gate(empty_portfolio):
    from fusiondesk.services.people.edits import load_person, save_person

    with empty_portfolio.transaction() as session:
        _people(session)
        create_app(session, AppFacts("R-1", "Rota", deployed_by="ana diaz", **READY), "tester")
        assert _off_path(session, "R-1") is not None
        values, version = load_person(session, "ana@contoso.com")
        save_person(session, "ana@contoso.com", {"role": "pro_developer"}, version, "tester")
        assert "off_deployment_path" not in _signs(session, "R-1")
