"""Properties that must hold for every app: monotonic, deterministic, unknowns never safe."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from tier_fixtures import POLICY, TODAY, safe_app

from fusiondesk.core.facts import AppFacts, Integration
from fusiondesk.core.fields import (
    COMPLEXITIES,
    CRITICALITIES,
    DATA_CATEGORIES,
    DIRECTIONS,
    SCOPES,
    SENSITIVITIES,
)
from fusiondesk.core.tiers import classify, classify_many

SYSTEMS = ("SAP", "Workday", "SharePoint", "Teams", "Twilio", "Dropbox", "Tracker", "Legacy API")
REGIMES = ("HIPAA", "GDPR", "PCI DSS", "SOX", "ISO 27001")
maybe_bool = st.sampled_from((None, True, False))


def maybe(values):
    return st.one_of(st.none(), st.sampled_from(values))


# Mostly approved, internal and non-enterprise, so that a direction alone can decide the tier.
integrations = st.builds(
    Integration, system=st.sampled_from(SYSTEMS), direction=maybe(DIRECTIONS),
    approved=st.sampled_from((True, True, True, None, False)),
    external_api=st.sampled_from((False, False, None, True)),
    enterprise=st.sampled_from((False, False, None, True)),
    asynchronous=st.booleans())

FACTS = {
    "scope": maybe(SCOPES),
    "users": st.one_of(st.none(), st.integers(0, 2000), st.sampled_from((49, 50, 499, 500))),
    "data_sensitivity": maybe(SENSITIVITIES),
    "data_categories": st.one_of(st.none(),
                                 st.lists(st.sampled_from(DATA_CATEGORIES), max_size=3).map(tuple)),
    "compliance": st.one_of(st.none(), st.lists(st.sampled_from(REGIMES), max_size=2).map(tuple)),
    "integrations": st.one_of(st.none(), st.lists(integrations, max_size=4).map(tuple)),
    "criticality": maybe(CRITICALITIES),
    "calc_complexity": maybe(COMPLEXITIES),
    "custom_code": maybe_bool,
    "approved_tier": maybe((1, 2, 3, 4)),
}


@st.composite
def apps(draw) -> AppFacts:
    """A safe Tier 1 app with a few facts drawn at random (all of them, sometimes), so
    low tiers, where a wrong rule shows, are as common as Tier 4."""
    chosen = draw(st.sets(st.sampled_from(sorted(FACTS)), max_size=len(FACTS)))
    return safe_app(**{fact: draw(FACTS[fact]) for fact in sorted(chosen)})


def _up(order: tuple, value, data) -> object:
    """A value at least as risky: unknown may become anything, known only moves up."""
    start = 0 if value is None else order.index(value)
    return data.draw(st.sampled_from(order[start:]))


def _riskier_link(link: Integration, data) -> Integration:
    """One trait of one integration made riskier, so no other change can hide it."""
    trait = data.draw(st.sampled_from(("direction", "approved", "external_api", "enterprise")))
    if trait == "direction":
        return replace(link, direction=_up(DIRECTIONS, link.direction, data))
    riskier = False if trait == "approved" else True
    return replace(link, **{trait: riskier})


def _riskier_integrations(links, data):
    links = list(links or ())
    if links and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(links) - 1))
        links[i] = _riskier_link(links[i], data)
    else:
        links.append(data.draw(integrations))
    return tuple(links)


RISKIER = {
    "users": lambda v, d: (v or 0) + d.draw(st.integers(0, 1000)),
    "scope": lambda v, d: _up(SCOPES, v, d),
    "data_sensitivity": lambda v, d: _up(SENSITIVITIES, v, d),
    "criticality": lambda v, d: _up(CRITICALITIES, v, d),
    "calc_complexity": lambda v, d: _up(COMPLEXITIES, v, d),
    "custom_code": lambda v, d: True if v else d.draw(st.sampled_from((False, True))),
    "compliance": lambda v, d: tuple(v or ()) + (d.draw(st.sampled_from(REGIMES)),),
    "data_categories": lambda v, d: tuple(v or ()) + (d.draw(st.sampled_from(DATA_CATEGORIES)),),
    "integrations": _riskier_integrations,
}


@settings(max_examples=1000, deadline=None)
@given(app=apps(), data=st.data())
def test_a_riskier_fact_never_lowers_the_tier(app, data):
    fact = data.draw(st.sampled_from(sorted(RISKIER)))
    riskier = replace(app, **{fact: RISKIER[fact](getattr(app, fact), data)})
    assert classify(riskier, POLICY, TODAY).tier >= classify(app, POLICY, TODAY).tier


@settings(max_examples=600, deadline=None)
@given(links=st.lists(integrations, max_size=4).map(tuple), data=st.data())
def test_a_riskier_integration_never_lowers_the_tier(links, data):
    # Everything else safe, so the integration rules alone decide the tier.
    app = safe_app(integrations=links)
    riskier = replace(app, integrations=_riskier_integrations(links, data))
    assert classify(riskier, POLICY, TODAY).tier >= classify(app, POLICY, TODAY).tier


@settings(max_examples=200, deadline=None)
@given(app=apps())
def test_classification_is_deterministic(app):
    first = classify(app, POLICY, TODAY)
    assert classify(replace(app), POLICY, TODAY) == first
    assert classify_many([app, app], POLICY, TODAY) == [first, first]


def _riskiest(app: AppFacts) -> AppFacts:
    """Every unknown fact at its riskiest value."""
    links = tuple(replace(i, direction=i.direction or "bidirectional") for i in app.integrations or ())
    if app.integrations is None:
        links = (Integration("SAP", "bidirectional"), Integration("Tracker", "bidirectional"))
    return replace(
        app, integrations=links,
        users=10**6 if app.users is None else app.users,
        scope=app.scope or "external",
        data_sensitivity=app.data_sensitivity or "regulated",
        compliance=("SOX",) if app.compliance is None else app.compliance,
        criticality=app.criticality or "mission_critical",
        calc_complexity=app.calc_complexity or "complex",
        custom_code=True if app.custom_code is None else app.custom_code,
    )


@settings(max_examples=300, deadline=None)
@given(app=apps())
def test_possible_tier_is_what_the_riskiest_unknowns_reach(app):
    result = classify(app, POLICY, TODAY)
    assert result.tier <= result.possible_tier
    assert classify(_riskiest(app), POLICY, TODAY).tier == result.possible_tier
    assert bool(result.unknowns) == (result.possible_tier > result.tier)


@settings(max_examples=200, deadline=None)
@given(app=apps(), data=st.data())
def test_filling_in_unknowns_stays_between_tier_and_possible_tier(app, data):
    result = classify(app, POLICY, TODAY)
    filled = app
    for fact in ("users", "scope", "data_sensitivity", "criticality", "calc_complexity",
                 "custom_code", "compliance", "integrations"):
        if getattr(app, fact) is None:
            filled = replace(filled, **{fact: RISKIER[fact](None, data)})
    filled = replace(filled, integrations=tuple(
        replace(i, direction=i.direction or data.draw(st.sampled_from(DIRECTIONS)))
        for i in filled.integrations))
    assert result.tier <= classify(filled, POLICY, TODAY).tier <= result.possible_tier


@settings(max_examples=200, deadline=None)
@given(app=apps())
def test_reasons_explain_the_tier_highest_first(app):
    result = classify(app, POLICY, TODAY)
    tiers = [r.tier for r in result.reasons]
    assert tiers == sorted(tiers, reverse=True)
    assert (tiers[0] if tiers else 1) == result.tier
    assert result.drift == (app.approved_tier is not None and result.tier > app.approved_tier)
