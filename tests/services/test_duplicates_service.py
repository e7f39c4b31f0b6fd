"""Duplicates in a portfolio: found from the stored apps, decided, logged, undone, and back
when the group's members change."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.facts import AppFacts, Integration
from fusiondesk.db.models import ChangeLogEntry
from fusiondesk.services import duplicates
from fusiondesk.services.apps import edits as app_edits

BASE = AppFacts(app_id="E-1", name="Expense Tracker v2", platform="Power Apps",
                department="Finance", integrations=(Integration("SAP", "read"),),
                data_categories=("financial",))


@pytest.fixture
def portfolio(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, BASE, "tester")
        app_edits.create_app(session, dataclasses.replace(
            BASE, app_id="E-2", name="Expenses tracker (copy)"), "tester")
        app_edits.create_app(session, dataclasses.replace(
            BASE, app_id="L-1", name="Leave Request", department="HR"), "tester")
    return empty_portfolio


def test_the_stored_copy_is_found_with_its_systems_and_data(portfolio):
    with portfolio.reading() as session:
        report = duplicates.find_groups(session)
    [group] = report.undecided
    assert report.apps == 3 and group.app_ids == ("E-1", "E-2") and group.score == 1.0
    assert "same integrations: sap" in group.reasons and "same data: financial" in group.reasons
    assert report.as_dict()["groups"][0]["decision"] is None


def test_a_decided_group_stays_decided_until_its_members_change(portfolio):
    with portfolio.reading() as session:
        [group] = duplicates.find_groups(session).undecided
    with portfolio.transaction() as session:
        duplicates.decide_by_key(session, group.key, "merge", "tester", note="one is enough")
    with portfolio.reading() as session:
        report = duplicates.find_groups(session)
        logged = session.scalars(select(ChangeLogEntry.field).where(
            ChangeLogEntry.entity == "duplicates")).all()
    assert report.undecided == [] and report.decided[0][1].decision == "merge"
    assert report.decided[0][1].note == "one is enough" and "decision" in logged
    with portfolio.transaction() as session:  # a third copy joins: the group is asked again
        app_edits.create_app(session, dataclasses.replace(
            BASE, app_id="E-3", name="Expense Tracker (old)"), "tester")
    with portfolio.reading() as session:
        [again] = duplicates.find_groups(session).undecided
    assert again.app_ids == ("E-1", "E-2", "E-3")


def test_a_decision_is_undone_and_redone(portfolio):
    with portfolio.reading() as session:
        [group] = duplicates.find_groups(session).undecided
    with portfolio.transaction() as session:
        done = duplicates.decide(session, group, "retire", "tester")
    with portfolio.transaction() as session:
        undone = duplicates.revert_decision(session, done, "tester")
    with portfolio.reading() as session:
        assert duplicates.list_decisions(session) == []
    with portfolio.transaction() as session:
        duplicates.revert_decision(session, undone, "tester")
    with portfolio.reading() as session:
        assert [d.decision for d in duplicates.list_decisions(session)] == ["retire"]


def test_an_unknown_decision_or_group_is_refused_with_what_to_do(portfolio):
    with portfolio.transaction() as session, pytest.raises(PortfolioError, match="keep, merge"):
        duplicates.decide_by_key(session, "nope", "delete", "tester")
    with portfolio.transaction() as session, pytest.raises(PortfolioError, match="duplicates"):
        duplicates.decide_by_key(session, "0000000000000000", "keep", "tester")
