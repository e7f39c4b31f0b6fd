"""Escalation cases: opened from drift or a warning sign, moved along the path, logged, undone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.core.validation import InvalidValues
from fusiondesk.db.models import ChangeLogEntry
from fusiondesk.services import escalations as cases
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.classification.governance import change_policy

# Tier 2 (department scope) approved as Tier 1: drift.
APP = AppFacts(
    app_id="D-1", name="Leave Planner", platform="Power Apps", lifecycle="production",
    scope="department", users=20, data_sensitivity="public", data_categories=(), compliance=(),
    integrations=(), criticality="low", calc_complexity="simple", custom_code=False,
    support="team", dr_plan=True, doc_functional=True, doc_data_sources=True, doc_logic=True,
    approved_tier=1,
    owners=(Owner("primary", email="ann@contoso.example"), Owner("co_owner", email="bo@contoso.example")),
)


@pytest.fixture
def portfolio(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, APP, "tester")
    return empty_portfolio


def _open(portfolio, trigger="tier_drift"):
    with portfolio.transaction() as session:
        done = cases.open_case(session, "D-1", trigger, "tester", reason="grew to a department")
    return int(done.changes[0].key.rpartition("#")[2]), done


def test_a_drifted_app_is_escalated_and_the_case_follows_the_path_to_its_lesson(portfolio):
    with portfolio.reading() as session:
        assert cases.app_triggers(session, "D-1")[0] == "tier_drift"
    case_id, _ = _open(portfolio)
    with portfolio.transaction() as session:
        cases.assign_partner(session, case_id, "Pat@Contoso.example", "tester")
        cases.decide_rebuild(session, case_id, "the approval logic as a Logic App", "tester")
        cases.close_case(session, case_id, "rebuilt; app kept", "department apps need a review",
                         "tester")
    with portfolio.reading() as session:
        case = cases.load_case(session, case_id)
    assert (case.stage, case.partner_email, case.rebuild) == (
        "closed", "pat@contoso.example", "the approval logic as a Logic App")
    assert case.recognised_on == case.partnered_on == case.closed_on == date(2026, 11, 1)
    assert case.owner == "tester" and not case.is_open
    assert case.as_dict()["lesson"] == "department apps need a review"


def test_a_case_moves_one_stage_at_a_time(portfolio):
    case_id, _ = _open(portfolio)
    with portfolio.transaction() as session, pytest.raises(PortfolioError, match="partnered next"):
        cases.decide_rebuild(session, case_id, "keep as is", "tester")
    with portfolio.transaction() as session, pytest.raises(InvalidValues):
        cases.assign_partner(session, case_id, "not an address", "tester")


def test_only_a_sign_the_app_shows_opens_a_case_and_only_one_open_case_an_app(portfolio):
    with portfolio.transaction() as session, pytest.raises(PortfolioError, match="sensitive_data"):
        cases.open_case(session, "D-1", "sensitive_data", "tester")
    _open(portfolio)
    with portfolio.transaction() as session, pytest.raises(PortfolioError, match="already has"):
        cases.open_case(session, "D-1", "tier_drift", "tester")


def test_lessons_are_searchable_and_open_and_closed_cases_filter(portfolio):
    case_id, _ = _open(portfolio)
    with portfolio.transaction() as session:
        cases.assign_partner(session, case_id, "pat@contoso.example", "tester")
        cases.decide_rebuild(session, case_id, "keep as is", "tester")
        cases.close_case(session, case_id, "kept", "Approve Department apps early", "tester")
    with portfolio.reading() as session:
        assert [c.id for c in cases.list_cases(session, text="department EARLY")] == [case_id]
        assert cases.list_cases(session, text="sharepoint") == []
        assert cases.list_cases(session, open_only=True) == []
        assert [c.stage for c in cases.list_cases(session, open_only=False)] == ["closed"]


def test_a_lesson_links_to_the_policy_change_it_led_to(portfolio):
    case_id, _ = _open(portfolio)
    with portfolio.transaction() as session:
        change_policy(session, {"tier3.users": "40"}, "tester")
    with portfolio.reading() as session:
        saved = cases.policy_changes(session)
    assert saved and "tier3.users" in saved[0][3]
    with portfolio.transaction() as session:
        cases.link_policy_change(session, case_id, saved[0][0], "tester")
    with portfolio.transaction() as session, pytest.raises(PortfolioError, match="No policy change"):
        cases.link_policy_change(session, case_id, "nope", "tester")
    with portfolio.reading() as session:
        assert cases.load_case(session, case_id).policy_change == saved[0][0]


def test_every_step_is_logged_and_undone(portfolio):
    case_id, opened = _open(portfolio)
    with portfolio.transaction() as session:
        partnered = cases.assign_partner(session, case_id, "pat@contoso.example", "tester")
    with portfolio.transaction() as session:
        cases.revert_case(session, partnered, "tester")
    with portfolio.reading() as session:
        case = cases.load_case(session, case_id)
        assert (case.stage, case.partner_email, case.partnered_on) == ("recognised", None, None)
        logged = session.execute(select(ChangeLogEntry.field, ChangeLogEntry.source).where(
            ChangeLogEntry.entity == "escalation")).all()
    assert ("stage", "edit") in logged and ("stage", "undo") in logged
    with portfolio.transaction() as session:
        withdrawn = cases.revert_case(session, opened, "tester")
    with portfolio.reading() as session:
        assert cases.list_cases(session) == []
    with portfolio.transaction() as session:
        cases.revert_case(session, withdrawn, "tester")  # redo: back under its id
    with portfolio.reading() as session:
        assert [c.id for c in cases.list_cases(session)] == [case_id]


def test_undoing_an_apps_deletion_brings_its_escalation_case_back(portfolio):
    case_id, _ = _open(portfolio)
    with portfolio.transaction() as session:
        cases.assign_partner(session, case_id, "pat@contoso.example", "tester")
        before = cases.load_case(session, case_id).as_dict()
        deleted = app_edits.delete_apps(session, ["D-1"], "tester")
    with portfolio.reading() as session:
        assert cases.list_cases(session) == []  # the case went with its app
    with portfolio.transaction() as session:
        app_edits.revert(session, deleted, "tester")
    with portfolio.reading() as session:
        assert cases.load_case(session, case_id).as_dict() == before
