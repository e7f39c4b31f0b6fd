"""Which reviews an app needs at each tier, SLA due dates, periodic cadence, outcomes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.policy import default_policy, set_policy_value
from fusiondesk.core.reviews import (
    ARCHITECTURE,
    INTEGRATION,
    PERIODIC,
    PRODUCTION_READINESS,
    SECURITY,
    due_date,
    is_approval,
    next_periodic,
    required_reviews,
    review_outcome,
    review_type,
)
from fusiondesk.core.tiers import classify

TODAY = date(2026, 11, 1)
POLICY = default_policy()
# Every fact known and harmless: Tier 1, in production.
QUIET = AppFacts(
    app_id="A-1", name="Shift Roster", platform="Power Apps", lifecycle="production",
    scope="team", users=10, data_sensitivity="public", data_categories=(), compliance=(),
    integrations=(), criticality="low", calc_complexity="simple", custom_code=False,
    support="team", dr_plan=True, doc_functional=True, doc_data_sources=True, doc_logic=True,
    owners=(Owner("primary", email="ann@contoso.example", status="active"),),
)


def _needs(**changes) -> tuple[int, list[str]]:
    facts = replace(QUIET, **changes)
    result = classify(facts, POLICY, TODAY)
    return result.tier, [r.type for r in required_reviews(facts, result, POLICY)]


@pytest.mark.parametrize("changes, tier, expected", [
    ({}, 1, []),
    ({"lifecycle": "idea"}, 1, []),
    ({"lifecycle": "development"}, 1, []),
    ({"scope": "department"}, 2, [PERIODIC]),
    ({"scope": "department", "lifecycle": "idea"}, 2, [ARCHITECTURE]),
    ({"scope": "department", "lifecycle": "development"}, 2, [ARCHITECTURE, PRODUCTION_READINESS]),
    ({"scope": "department", "lifecycle": "pilot"}, 2, [PRODUCTION_READINESS, PERIODIC]),
    ({"users": 60}, 3, [ARCHITECTURE, PERIODIC]),
    ({"users": 60, "lifecycle": "pilot"}, 3, [ARCHITECTURE, PRODUCTION_READINESS, PERIODIC]),
    ({"users": 60, "lifecycle": None}, 3, [ARCHITECTURE, PERIODIC]),  # unknown is not unused
    ({"data_sensitivity": "confidential"}, 3, [ARCHITECTURE, SECURITY, PERIODIC]),
    ({"data_categories": ("pii",)}, 1, [SECURITY]),  # categories alone do not raise the tier
    ({"integrations": (Integration("SharePoint", "read"),)}, 2, [PERIODIC]),
    ({"integrations": (Integration("Dynamics 365", "read"),)}, 2, [INTEGRATION, PERIODIC]),
    ({"integrations": (Integration("Stripe", "read", approved=True),)}, 3,
     [ARCHITECTURE, INTEGRATION, PERIODIC]),
    ({"integrations": (Integration("SharePoint", "write"),)}, 3,
     [ARCHITECTURE, INTEGRATION, PERIODIC]),
    ({"integrations": (Integration("SAP", "write"),), "lifecycle": "development"}, 4,
     [ARCHITECTURE, INTEGRATION, PRODUCTION_READINESS]),
    ({"data_sensitivity": "regulated", "lifecycle": "retired"}, 4, []),
])
def test_required_reviews_follow_tier_and_facts(changes, tier, expected):
    assert _needs(**changes) == (tier, expected)


def test_each_required_review_says_why():
    facts = replace(QUIET, data_sensitivity="regulated", data_categories=("phi",),
                    integrations=(Integration("SAP", "write"), Integration("Stripe", "read")))
    result = classify(facts, POLICY, TODAY)
    why = {r.type: r.why for r in required_reviews(facts, result, POLICY)}
    assert why == {
        ARCHITECTURE: "Tier 4: design reviewed before building",
        INTEGRATION: "writes to SAP; external API: Stripe; enterprise system: SAP",
        SECURITY: "regulated data; categories: phi",
        PERIODIC: "Tier 4 (production): every 91 days",
    }


def test_periodic_follows_the_policy_cadence():
    policy = set_policy_value(POLICY, "tier1.review_cadence_days", "30")
    result = classify(QUIET, policy, TODAY)
    assert [r.type for r in required_reviews(QUIET, result, policy)] == [PERIODIC]


@pytest.mark.parametrize("tier, due", [
    (1, None),  # self-certification: nobody reviews, nothing falls due
    (2, date(2026, 11, 3)),  # 48 hours
    (3, date(2026, 11, 6)),  # 120 hours
    (4, date(2026, 11, 11)),  # 240 hours
])
def test_due_date_is_the_tier_sla_in_calendar_time(tier, due):
    assert due_date(TODAY, tier, POLICY) == due


@pytest.mark.parametrize("hours, days", [(1, 1), (24, 1), (25, 2), (30, 2), (48, 2), (49, 3)])
def test_a_part_day_of_sla_counts_as_a_whole_day(hours, days):
    policy = set_policy_value(POLICY, "tier2.review_sla_hours", str(hours))
    assert (due_date(TODAY, 2, policy) - TODAY).days == days


def test_due_date_crosses_month_and_year_ends():
    assert due_date(date(2026, 12, 31), 2, POLICY) == date(2027, 1, 2)


@pytest.mark.parametrize("tier, after", [(1, None), (2, 365), (3, 182), (4, 91)])
def test_next_periodic_review_falls_a_cadence_later(tier, after):
    expected = None if after is None else date.fromordinal(TODAY.toordinal() + after)
    assert next_periodic(TODAY, tier, POLICY) == expected


@pytest.mark.parametrize("text, name", [
    ("approved", "approved"), ("Approved with conditions", "approved_with_conditions"),
    ("approved-with-conditions", "approved_with_conditions"), (" REJECTED ", "rejected"),
])
def test_outcomes_as_people_type_them(text, name):
    assert review_outcome(text) == name


@pytest.mark.parametrize("text, name", [
    ("Production readiness", PRODUCTION_READINESS), ("production-readiness", PRODUCTION_READINESS),
    ("security", SECURITY), ("Periodic", PERIODIC),
])
def test_review_types_as_people_type_them(text, name):
    assert review_type(text) == name


def test_unknown_type_or_outcome_names_the_choices():
    with pytest.raises(ValueError, match="use one of: architecture, integration"):
        review_type("pen test")
    with pytest.raises(ValueError, match="approved, approved_with_conditions, rejected"):
        review_outcome("maybe")


def test_only_approvals_let_an_app_go_ahead():
    assert [is_approval(o) for o in ("approved", "approved_with_conditions", "rejected", None)] \
        == [True, True, False, False]
