"""Certifications per platform: what counts (expiry, person-level fallback), the builder
qualification rule per tier, and successors "certified on the platform" from the dated record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fusiondesk.core.certification import (
    ANY_PLATFORM,
    Certificate,
    highest_current,
    level_on,
    standing,
    unqualified_builders,
)
from fusiondesk.core.facts import AppFacts, Owner, PersonFacts
from fusiondesk.core.handover import plan_handover
from fusiondesk.core.policy import default_policy
from fusiondesk.core.tiers import classify

from tests.core.tier_fixtures import POLICY, TODAY, safe_app

PA = "Power Apps"
CURRENT = Certificate(PA, "certified", date(2025, 1, 10), date(2099, 1, 10), "PL-100")
EXPIRED = Certificate(PA, "certified", date(2022, 1, 10), date(2024, 1, 10), "PL-100")
TRAINED = Certificate(PA, "trained", date(2025, 3, 1))
OTHER = Certificate("Salesforce", "certified", date(2025, 3, 1), date(2099, 1, 1))


def builder(*certs, person_role="citizen_developer", status="active", certificates=...):
    known = tuple(certs) if certificates is ... else certificates
    return Owner("primary", "ana@corp.example", status=status, person_role=person_role,
                 certificates=known)


def partner():
    return Owner("prodev_partner", "pat@corp.example", status="active", person_role="pro_developer")


# --- what counts ---------------------------------------------------------------

def test_a_certificate_counts_until_the_end_of_its_expiry_day():
    last_day = Certificate(PA, "certified", expires=TODAY)
    assert last_day.is_current(TODAY)
    assert not last_day.is_current(date.fromordinal(TODAY.toordinal() + 1))
    assert Certificate(PA, "trained").is_current(TODAY)  # no expiry: never lapses


def test_the_level_on_a_platform_is_the_highest_current_one_there():
    assert level_on((EXPIRED, TRAINED), PA, TODAY) == "trained"
    assert level_on((CURRENT, TRAINED), "power apps", TODAY) == "certified"  # names as keys
    assert level_on((OTHER,), PA, TODAY) == "none"
    assert highest_current((EXPIRED, OTHER), TODAY) == "certified"
    assert highest_current((EXPIRED,), TODAY) == "none"


def test_records_decide_over_the_person_level_fields_which_stand_in_otherwise():
    assert standing("certified", ("Mendix",), (TRAINED,)) == (TRAINED,)
    assert standing("certified", (PA,), ()) == (Certificate(PA, "certified"),)
    assert standing("trained", (), ()) == (Certificate(ANY_PLATFORM, "trained"),)
    assert standing("none", (), ()) == ()
    assert standing(None, (), ()) is None  # unknown stays unknown


# --- the qualification rule, per tier --------------------------------------------

def test_tier_1_anyone_builds():
    assert unqualified_builders((builder(),), PA, 1, TODAY) is None


def test_tier_2_needs_trained_or_certified_on_the_platform():
    assert unqualified_builders((builder(TRAINED),), PA, 2, TODAY) is None
    assert unqualified_builders((builder(CURRENT),), PA, 2, TODAY) is None
    why = unqualified_builders((builder(OTHER),), PA, 2, TODAY)
    assert why == ("Tier 2 needs its builder trained or certified on Power Apps: "
                   "ana@corp.example is not trained on Power Apps")


def test_tier_3_needs_certified_on_the_platform_and_a_prodev_partner():
    assert unqualified_builders((builder(CURRENT), partner()), PA, 3, TODAY) is None
    trained = unqualified_builders((builder(TRAINED), partner()), PA, 3, TODAY)
    assert trained.endswith("ana@corp.example is trained on Power Apps")
    alone = unqualified_builders((builder(CURRENT),), PA, 4, TODAY)
    assert alone == ("Tier 4 needs its builder certified on Power Apps and a pro-dev partner: "
                     "no active pro-dev partner on the app")
    gone = replace(partner(), status="left")
    assert "no active pro-dev partner" in unqualified_builders((builder(CURRENT), gone), PA, 3, TODAY)


def test_an_expired_certification_does_not_count_and_is_named():
    why = unqualified_builders((builder(EXPIRED), partner()), PA, 3, TODAY)
    assert "not certified on Power Apps" in why
    assert "certified on Power Apps (PL-100), expired 2024-01-10" in why


def test_no_evidence_raises_nothing():
    unknown = builder(certificates=None)
    assert unqualified_builders((unknown,), PA, 3, TODAY) is not None  # no partner is evidence
    assert unqualified_builders((unknown, partner()), PA, 3, TODAY) is None
    assert unqualified_builders((builder(),), None, 2, TODAY) is None  # platform unknown


def test_only_an_active_citizen_primary_owner_is_the_builder():
    assert unqualified_builders((builder(person_role="pro_developer"),), PA, 4, TODAY) is None
    assert unqualified_builders((builder(status="left"),), PA, 2, TODAY) is None
    co_owner = replace(builder(), role="co_owner")
    assert unqualified_builders((co_owner,), PA, 2, TODAY) is None


def test_the_flag_is_raised_by_classification_with_its_explanation():
    app = safe_app(scope="department", owners=(builder(OTHER),))  # Tier 2 by scope
    result = classify(app, POLICY, TODAY)
    assert result.tier == 2
    flags = {f.name: f.explanation for f in result.flags}
    assert "not trained on Power Apps" in flags["unqualified_builder"]
    qualified = classify(app.with_changes(owners=(builder(TRAINED),)), POLICY, TODAY)
    assert "unqualified_builder" not in {f.name for f in qualified.flags}
    retired = classify(app.with_changes(lifecycle="retired"), POLICY, TODAY)
    assert "unqualified_builder" not in {f.name for f in retired.flags}


def test_certificates_are_not_part_of_who_an_owner_is():
    assert builder(CURRENT) == builder(EXPIRED)  # an import comparing owners sees no change


# --- successors: certified on the platform, from the dated record ---------------------

def _citizen(name, **more):
    more.setdefault("certification", "certified")
    more.setdefault("certified_platforms", (PA,))
    return PersonFacts(f"{name}@corp.example", name.title(), "Finance", "citizen_developer",
                       capacity=5, **more)


def _plan(people, certificates):
    ann = _citizen("ann", status="leaving", leave_date=date(2026, 12, 1))
    app = AppFacts("A1", "App", platform=PA, department="Finance", last_used=TODAY,
                   owners=(Owner("primary", "ann@corp.example", status="leaving"),))
    result = plan_handover([ann], [app], [ann, *people], default_policy(), TODAY,
                           certificates=certificates)
    return result.items_of("ann@corp.example")[0]


def test_a_successor_certified_on_the_platform_by_record_ranks_first():
    bob, cid = _citizen("bob", certified_platforms=()), _citizen("cid", certified_platforms=())
    item = _plan([bob, cid], {"cid@corp.example": [CURRENT]})
    assert item.successor == "cid@corp.example"
    assert "certified on Power Apps" in item.candidates[0].reasons


def test_an_expired_record_overrides_the_person_level_platforms():
    bob, cid = _citizen("bob"), _citizen("cid")  # both "certified on Power Apps" as imported
    item = _plan([bob, cid], {"bob@corp.example": [EXPIRED, TRAINED]})
    assert item.successor == "cid@corp.example"
    bob_reasons = next(c.reasons for c in item.candidates if c.email == "bob@corp.example")
    assert "trained on Power Apps" in bob_reasons


def test_a_citizen_whose_records_have_all_lapsed_is_not_proposed():
    bob = _citizen("bob")
    item = _plan([bob], {"bob@corp.example": [EXPIRED]})
    assert all(c.email != "bob@corp.example" for c in item.candidates)


def test_a_builder_remembered_across_apps_is_judged_on_what_they_hold_that_day():
    """Shortfalls are remembered per builder object: the same builder on many apps is
    judged once; another day, or the same person with other certificates, afresh."""
    lapsing = builder(Certificate(PA, "certified", date(2025, 1, 10), TODAY))
    owners = (lapsing, partner())
    assert unqualified_builders(owners, PA, 3, TODAY) is None
    assert unqualified_builders(owners, PA, 3, TODAY) is None  # remembered: the same answer
    next_day = date.fromordinal(TODAY.toordinal() + 1)
    assert "certified on Power Apps, expired" in unqualified_builders(owners, PA, 3, next_day)
    renewed = replace(lapsing, certificates=(CURRENT,))
    assert unqualified_builders((renewed, partner()), PA, 3, next_day) is None
    assert "Tier 2 needs" in unqualified_builders((builder(),), PA, 2, TODAY)
    assert "not trained on Salesforce" in unqualified_builders((builder(CURRENT),), "Salesforce", 2, TODAY)
