"""Stored tiers and warning signs stay what classifying afresh gives, though a policy change
reclassifies only the apps in its reach and a new day only the apps the days between can
move (core.policy_reach, services.classification.reclassify)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fusiondesk.core import clock
from fusiondesk.core.policy_reach import days_reach
from fusiondesk.core.tiers import DAY_SETTING, classify_many
from fusiondesk.db.models import App
from fusiondesk.db.store.apps import count_apps, load_facts
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.classification import cached_classifications
from fusiondesk.db.store.settings import read_setting
from fusiondesk.services.classification.governance import change_policy
from fusiondesk.services.classification.reach import reached_apps
from fusiondesk.services.classification.reclassify import classification_values, policy_in_force
from fusiondesk.services.classification.rules import keep_classifications_current

from tests.conftest import TODAY
from tests.services.test_what_if_reach import shipped  # noqa: F401 - the shipped sample, copied


def _stored(session) -> dict[int, tuple]:
    return cached_classifications(session, Scope())


def _fresh(session, day: date | None = None) -> dict[int, tuple]:
    facts = load_facts(session, for_classification=True)
    results = classify_many(facts.values(), policy_in_force(session), day or clock.today())
    return {db_id: classification_values(result) for db_id, result in zip(facts, results)}


@pytest.mark.parametrize("settings", [
    {"tier3.users": "40"},
    {"tier4.users": "120", "flags.inactivity_days": "30"},
    {"connectors.blocked": "Dropbox; Twitter", "connectors.unlisted": "business"},
    {"environments.production": "Default", "platforms.approved": "Power Apps"},
    {"flags.user_growth_factor": "1.2", "flags.critical_needs_it_support": "false"},
])
def test_a_policy_change_stores_what_classifying_every_app_gives(sample_portfolio, settings):
    with sample_portfolio.transaction() as session:
        stored, _count = change_policy(session, settings, "tester")
    with sample_portfolio.reading() as session:
        assert _stored(session) == _fresh(session)
        assert set(session.scalars(select(App.policy_version))) == {stored.version}


def test_a_threshold_change_reclassifies_only_the_apps_it_can_move(sample_portfolio):
    with sample_portfolio.transaction() as session:
        users = [facts.users for facts in load_facts(session).values()]
        _policy, classified = change_policy(session, {"tier3.users": "40"}, "tester")
        total = count_apps(session)
    # the apps with 40 to 49 users, not the portfolio
    assert classified == sum(1 for n in users if n is not None and 40 <= n < 50) < total


def test_a_later_day_brings_the_stored_signs_to_that_day(sample_portfolio, monkeypatch):
    with sample_portfolio.reading() as session:
        first = _stored(session)
        total = count_apps(session)
    moved_at_all = False
    for later in (1, 30, 400):
        day = date.fromisoformat(TODAY) + timedelta(days=later)
        monkeypatch.setenv("FUSIONDESK_TODAY", day.isoformat())
        classified = keep_classifications_current(sample_portfolio)
        with sample_portfolio.reading() as session:
            assert _stored(session) == _fresh(session)
            assert read_setting(session, DAY_SETTING) == day.isoformat()
            moved_at_all |= _stored(session) != first
        if later == 1:
            assert classified < total  # a day moves few apps: only those are classified
        assert keep_classifications_current(sample_portfolio) == 0  # once a day
    assert moved_at_all  # reviews fell due or apps went idle: the test saw signs move


@pytest.mark.parametrize("since, until", [(0, 1), (0, 45), (-400, 0), (10, 0), (-90, 90)])
def test_an_app_the_days_cannot_reach_is_classified_the_same_on_both(shipped, since, until):  # noqa: F811
    portfolio, _names = shipped
    start = date.fromisoformat(TODAY)
    first, second = start + timedelta(days=since), start + timedelta(days=until)
    with portfolio.reading() as session:
        before, after = _fresh(session, first), _fresh(session, second)
        reached = reached_apps(session, days_reach(first, second, policy_in_force(session)))
    moved = {db_id for db_id in before if before[db_id] != after[db_id]}
    assert moved <= reached
    if abs(until - since) >= 45:
        assert moved  # else the sample proves nothing of this span
