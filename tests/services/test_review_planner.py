"""The remembered review requirements (what an import of 100,000 apps asks once per
combination of facts) give exactly what the plain rules give, app by app, over the shipped
sample portfolio: every tier, lifecycle, data class, integration and last review in it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest

from fusiondesk.core.policy import set_policy_value
from fusiondesk.core.reviews import (
    PERIODIC,
    RequiredReviewsMemo,
    due_date,
    next_periodic,
    required_reviews,
)
from fusiondesk.core.tiers import classify
from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.reviews.milestones import ReviewPlanner, new_apps_reviews
from fusiondesk.shipped_sample import shipped_sample

TODAY = date(2026, 11, 1)


@pytest.fixture
def sample(tmp_path):
    """The shipped sample's apps as facts (by db id), and its policy."""
    copy = tmp_path / "sample.fdesk"
    shutil.copyfile(shipped_sample(), copy)
    portfolio = open_portfolio(copy, daily_backup=False)
    try:
        with portfolio.reading() as session:
            return load_facts(session, None), policy_in_force(session)
    finally:
        portfolio.close()


def _policies(policy):
    """The sample's policy, and one whose cadences and SLAs differ at every tier."""
    other = policy
    for tier, (cadence, sla) in enumerate([("30", "12"), ("60", "30"), ("0", "100"), ("7", "0")],
                                          start=1):
        other = set_policy_value(other, f"tier{tier}.review_cadence_days", cadence)
        other = set_policy_value(other, f"tier{tier}.review_sla_hours", sla)
    return [policy, other]


def test_remembered_requirements_are_the_rules_for_every_sample_app_at_every_tier(sample):
    facts, policy = sample
    assert len(facts) == 400
    for rules in _policies(policy):
        memo = RequiredReviewsMemo(rules)
        for app in facts.values():
            result = classify(app, rules, TODAY)
            for tier in (result.tier, 1, 2, 3, 4):
                at_tier = replace(result, tier=tier)
                assert memo(app, tier) == tuple(required_reviews(app, at_tier, rules)), app.app_id


def test_apps_alike_in_what_the_rules_read_share_the_reviews_worked_out_once(sample):
    facts, policy = sample
    memo = RequiredReviewsMemo(policy)
    first: dict[tuple, tuple] = {}  # a combination of facts -> what its first app got
    shared = 0
    for app in facts.values():
        tier = classify(app, policy, TODAY).tier
        needs = tuple(need for need in memo(app, tier) if need.type != "integration")
        alike = (tier, app.lifecycle, app.data_sensitivity, app.data_categories)
        if alike in first:
            assert all(a is b for a, b in zip(needs, first[alike], strict=True))
            shared += bool(needs)
        first.setdefault(alike, needs)
    assert shared > 200  # most of the 400 apps are answered from what the memo knows


def _plain_items(db_id, app, tier, rules, covered, last_periodic):
    """What the milestone rules ask for, worked out from required_reviews review by review."""
    result = replace(classify(app, rules, TODAY), tier=tier)
    items = []
    for need in required_reviews(app, result, rules):
        if (db_id, need.type) in covered:
            continue
        last = last_periodic.get(db_id) or app.last_review
        due = (next_periodic(last, tier, rules) if need.type == PERIODIC and last is not None
               else due_date(TODAY, tier, rules))
        items.append((db_id, app.app_id, {"type": need.type, "requested": TODAY, "due": due},
                      f"required: {need.why}"))
    return items


def test_planned_reviews_are_the_rules_with_their_due_dates_and_reasons(sample):
    facts, policy = sample
    ids = sorted(facts)
    # some apps already have a review of a type, some a periodic review done last winter
    covered = {(db_id, kind) for db_id, kind in zip(ids[::3], ["architecture", "security",
                                                                "periodic", "integration"] * 200)}
    last_periodic = {db_id: date(2026, 1, 15) for db_id in ids[1::5]}
    for rules in _policies(policy):
        planner = ReviewPlanner(rules, TODAY)
        for db_id in ids:
            app = facts[db_id]
            tier = classify(app, rules, TODAY).tier
            planned = planner.needed(db_id, app, tier, covered, last_periodic)
            expected = _plain_items(db_id, app, tier, rules, covered, last_periodic)
            assert [(a, b, dict(values), d) for a, b, values, d in planned] == expected


def test_new_apps_get_every_review_they_need_and_share_read_only_values(sample):
    facts, policy = sample
    apps = [(db_id, app, classify(app, policy, TODAY)) for db_id, app in sorted(facts.items())]
    items = new_apps_reviews(apps, policy, TODAY)
    expected = [item for db_id, app, result in apps
                for item in _plain_items(db_id, app, result.tier, policy, set(), {})]
    assert [(a, b, dict(values), d) for a, b, values, d in items] == expected
    assert len(items) > 400  # the sample needs reviews of several kinds
    # alike reviews share their values, so none may be changed in place
    with pytest.raises(TypeError):
        items[0][2]["due"] = TODAY


def test_facts_carrying_a_list_of_categories_are_remembered_like_a_tuple(sample):
    facts, policy = sample
    app = next(a for a in facts.values() if a.data_categories and a.lifecycle != "retired")
    tier = classify(app, policy, TODAY).tier
    as_list = replace(app, data_categories=list(app.data_categories))
    memo = RequiredReviewsMemo(policy)
    assert memo(as_list, tier) == memo(app, tier) == tuple(
        required_reviews(app, classify(app, policy, TODAY), policy))
