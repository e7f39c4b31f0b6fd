"""The stored classification stays equal to a fresh one, and records its policy version."""

from sqlalchemy import select

from fusiondesk.core import clock
from fusiondesk.core.policy import set_policy_value
from fusiondesk.core.tiers import classify
from fusiondesk.db.models import App
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.classification.reclassify import (
    classification_columns,
    policy_in_force,
    reclassify,
    store_policy,
)


def _stored(session):
    rows = session.execute(select(App.id, App.tier, App.flags, App.drift, App.policy_version)).all()
    return {r[0]: r[1:] for r in rows}


def _fresh(session):
    policy = policy_in_force(session)
    result = {}
    for app_id, facts in load_facts(session).items():
        columns = classification_columns(classify(facts, policy, clock.today()))
        result[app_id] = (columns["tier"], columns["flags"], columns["drift"], policy.version)
    return result


def test_policy_change_rewrites_moved_apps_and_stamps_every_app(sample_portfolio):
    with sample_portfolio.transaction() as session:
        assert _stored(session) == _fresh(session)
        before = _stored(session)
        policy = set_policy_value(policy_in_force(session), "tier3.users", "5")
        reclassify(session, policy=store_policy(session, policy, "tester"))
    with sample_portfolio.reading() as session:
        after = _stored(session)
        assert after == _fresh(session)
        assert {v[3] for v in after.values()} == {2}
        assert any(after[k][0] != before[k][0] for k in after)  # some apps really moved
