"""Classifying an app into a governance tier, with every reason and every unknown.

The criteria are DOMAIN.md's tier table: any one criterion is enough, the
highest matching tier wins, and every criterion that matched (in every tier) is
a reason. A fact that is None matches nothing, but when its riskiest value
would raise the tier it is named in `unknowns` and counted in `possible_tier`,
so an unknown is never silently taken as safe.

Enum criteria match their own value ("high criticality" is not matched by
mission_critical); threshold and "any" criteria match everything riskier too
(600 users is both "≥ 500" and "≥ 50"; writing to SAP also "writes back" and
"connects to" it). Either way the tier only rises as facts get riskier. Within
a tier the user count comes first (the plainest measure of reach), then the
table's order. An integration's enterprise, external-API and approval traits
come from its record, else from the policy's lists; a connector neither
approved on record nor on the approved (business) list counts as unapproved, and so
does a blocked one (core.connectors).

A whole portfolio (100,000 apps) must classify in under a second, so the hot
path compares plain values, shares reasons instead of rebuilding them, and
reads lowercase name sets the policy builds once.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Iterable

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.fields import COMPLEXITIES, CRITICALITIES, SCOPES, SENSITIVITIES
from fusiondesk.core.flags import (
    Flag,
    IntegrationSurvey,
    Interned,
    detect_flags,
    survey_integrations,
)
from fusiondesk.core.memory import paused_gc
from fusiondesk.core.policy import Policy
from fusiondesk.core.terms import Complexity, Criticality, Scope, Sensitivity, values_of

# Bumped whenever a tier or warning-sign rule changes: a portfolio classified under other
# rules is reclassified once when opened (services.classification.rules).
# 2: the production gate's warning signs; 3: its deployment path, blocked and mixed
# connectors, builder not qualified, a team as active as its members
RULES_VERSION = 3
RULES_SETTING = "classification.rules"  # where a portfolio records the version it follows
# Where a portfolio records the day its stored warning signs are as of (some read the day).
DAY_SETTING = "classification.day"


@dataclass(frozen=True, slots=True)
class Reason:
    """One criterion that matched: which tier, which fact, its value and the threshold."""

    tier: int
    fact: str
    value: str
    threshold: str
    text: str


@dataclass(frozen=True, slots=True, init=False)
class Classification:
    """An app's computed tier, why, what is unknown, and its warning signs."""

    tier: int
    reasons: tuple[Reason, ...]
    unknowns: tuple[str, ...]
    flags: tuple[Flag, ...]
    drift: bool
    policy_version: int
    possible_tier: int

    def __init__(self, tier: int, reasons: tuple[Reason, ...], unknowns: tuple[str, ...],
                 flags: tuple[Flag, ...], drift: bool, policy_version: int, possible_tier: int):
        # Still frozen: the slots are filled through their descriptors, because the
        # generated __init__ goes through object.__setattr__ per field, and that
        # alone took a tenth of classifying a 100k portfolio.
        _SET_TIER(self, tier)
        _SET_REASONS(self, reasons)
        _SET_UNKNOWNS(self, unknowns)
        _SET_FLAGS(self, flags)
        _SET_DRIFT(self, drift)
        _SET_POLICY_VERSION(self, policy_version)
        _SET_POSSIBLE_TIER(self, possible_tier)

    @property
    def tier_reasons(self) -> tuple[Reason, ...]:
        """The reasons of the winning tier only."""
        return tuple(r for r in self.reasons if r.tier == self.tier)

    @property
    def flag_names(self) -> tuple[str, ...]:
        """The machine names of the flags raised."""
        return tuple(f.name for f in self.flags)


(_SET_TIER, _SET_REASONS, _SET_UNKNOWNS, _SET_FLAGS, _SET_DRIFT, _SET_POLICY_VERSION,
 _SET_POSSIBLE_TIER) = (vars(Classification)[f.name].__set__ for f in fields(Classification))

_NONE_UNKNOWN: tuple[tuple[str, ...], int] = ((), 4)  # a Tier 4 app can go no higher
# The values the rules test, bound once as plain strings: the rules run for every app, a
# look-up on an Enum class costs ~0.4 µs, and str fast paths need exact str (values_of).
REGULATED, CONFIDENTIAL, INTERNAL = values_of((Sensitivity.REGULATED, Sensitivity.CONFIDENTIAL,
                                               Sensitivity.INTERNAL))
MISSION_CRITICAL, HIGH = values_of((Criticality.MISSION_CRITICAL, Criticality.HIGH))
COMPLEX, MODERATE = values_of((Complexity.COMPLEX, Complexity.MODERATE))
CROSS_DEPARTMENT, ENTERPRISE, EXTERNAL = values_of((Scope.CROSS_DEPARTMENT, Scope.ENTERPRISE,
                                                    Scope.EXTERNAL))
DEPARTMENT = Scope.DEPARTMENT.value
_SCOPE_T3 = ", ".join((CROSS_DEPARTMENT, ENTERPRISE, EXTERNAL))
# Reasons that never vary are built once and shared by every classification.
_REGULATED = Reason(4, "data_sensitivity", REGULATED, REGULATED, "regulated data")
_MISSION_CRITICAL = Reason(4, "criticality", MISSION_CRITICAL, MISSION_CRITICAL,
                           "mission-critical")
_CUSTOM_CODE = Reason(4, "custom_code", "yes", "yes", "custom code required")
_COMPLEX_CALC = Reason(4, "calc_complexity", COMPLEX, COMPLEX, "complex calculations")
_WIDE_SCOPE = {
    CROSS_DEPARTMENT: Reason(3, "scope", CROSS_DEPARTMENT, _SCOPE_T3, "cross-department scope"),
    ENTERPRISE: Reason(3, "scope", ENTERPRISE, _SCOPE_T3, "enterprise scope"),
    EXTERNAL: Reason(3, "scope", EXTERNAL, _SCOPE_T3, "external scope"),
}
_CONFIDENTIAL = Reason(3, "data_sensitivity", CONFIDENTIAL, CONFIDENTIAL, "confidential data")
_HIGH_CRITICALITY = Reason(3, "criticality", HIGH, HIGH, "high criticality")
_DEPARTMENT_SCOPE = Reason(2, "scope", DEPARTMENT, DEPARTMENT, "department-wide scope")
_INTERNAL = Reason(2, "data_sensitivity", INTERNAL, INTERNAL, "internal data")
_MODERATE_CALC = Reason(2, "calc_complexity", MODERATE, MODERATE, "moderate calculations")

# The recognised values of each enum fact; anything else counts as unknown.
_SCOPES = frozenset(SCOPES)
_SENSITIVITIES = frozenset(SENSITIVITIES)
_CRITICALITIES = frozenset(CRITICALITIES)
_COMPLEXITIES = frozenset(COMPLEXITIES)


def classify(facts: AppFacts, policy: Policy, today: date) -> Classification:
    """The tier of one app under `policy`, with reasons, unknowns and flags as of `today`."""
    links = survey_integrations(facts.integrations, policy, facts.platform)
    reasons, tier = _reasons(facts, links, policy)
    unknowns, possible = _unknowns(facts, links, tier) if tier < 4 else _NONE_UNKNOWN
    approved = facts.approved_tier
    drift = approved is not None and tier > approved
    flags = detect_flags(facts, policy, today, tier, links)
    return Classification(tier, reasons, unknowns, flags, drift, policy.version, possible)


def classify_many(facts: Iterable[AppFacts], policy: Policy, today: date) -> list[Classification]:
    """`classify` for each app, in order; the fast way to classify a whole portfolio."""
    with paused_gc():
        return [classify(f, policy, today) for f in facts]




def summary_text(c: Classification) -> str:
    """One line for a table cell: 'Tier 3: 120 users ≥ 50; cross-department scope'."""
    text = f"Tier {c.tier}"
    reasons = c.tier_reasons
    if reasons:
        text += ": " + "; ".join(r.text for r in reasons)
    if c.possible_tier > c.tier:
        text += f" (could be Tier {c.possible_tier}: {', '.join(c.unknowns)} unknown)"
    return text


# --- criteria, highest tier first --------------------------------------------

def _reasons(facts: AppFacts, links: IntegrationSurvey, policy: Policy) -> tuple[tuple, int]:
    """Every criterion that matched, highest tier first, and the tier they make."""
    # One function reading like DOMAIN.md's table, rather than one per tier:
    # it runs for every app of the portfolio.
    out: list[Reason] = []
    add = out.append
    users, sensitivity, scope = facts.users, facts.data_sensitivity, facts.scope
    criticality, calc = facts.criticality, facts.calc_complexity
    # Tier 4
    if users is not None and users >= policy.tier4_users:
        add(_USERS[4, users, policy.tier4_users])
    if sensitivity == REGULATED:
        add(_REGULATED)
    if facts.compliance:
        add(_COMPLIANCE[facts.compliance])
    if links.enterprise_writes:
        add(_ENTERPRISE_WRITES[links.enterprise_writes])
    if len(links.bidirectional) >= 2:
        add(_BIDIRECTIONAL[links.bidirectional])
    if criticality == MISSION_CRITICAL:
        add(_MISSION_CRITICAL)
    if facts.custom_code is True:
        add(_CUSTOM_CODE)
    if calc == COMPLEX:
        add(_COMPLEX_CALC)
    top = len(out)
    # Tier 3
    if users is not None and users >= policy.tier3_users:
        add(_USERS[3, users, policy.tier3_users])
    if scope in _WIDE_SCOPE:
        add(_WIDE_SCOPE[scope])
    if links.external:
        add(_EXTERNAL[links.external])
    if sensitivity == CONFIDENTIAL:
        add(_CONFIDENTIAL)
    if links.writes:
        add(_WRITES[links.writes])
    if criticality == HIGH:
        add(_HIGH_CRITICALITY)
    # A blocked connector is in `unapproved` (core.connectors): the table's Tier 3 trigger is
    # "unapproved connector", and a connector the policy blocks is the least approved of all;
    # were it not a trigger, blocking an unlisted connector would lower an app's tier.
    if links.unapproved:
        add(_UNAPPROVED[links.unapproved])
    middle = len(out)
    # Tier 2
    if scope == DEPARTMENT:
        add(_DEPARTMENT_SCOPE)
    if links.systems:
        add(_CONNECTS[links.systems])
    if sensitivity == INTERNAL:
        add(_INTERNAL)
    if calc == MODERATE:
        add(_MODERATE_CALC)
    tier = 4 if top else 3 if middle else 2 if out else 1
    return tuple(out), tier


def _users_reason(key: tuple[int, int, int]) -> Reason:
    tier, users, threshold = key
    return Reason(tier, "users", str(users), str(threshold), f"{users} users ≥ {threshold}")


def _systems_reasons(tier: int, threshold: str, template: str) -> Interned:
    """Shared reasons for a criterion about named systems, one per distinct list."""
    def build(systems: tuple[str, ...]) -> Reason:
        names = ", ".join(systems)
        return Reason(tier, "integrations", names, threshold, template.format(names))
    return Interned(build)


# Reasons that vary by value are still shared: a portfolio repeats them a lot.
_USERS = Interned(_users_reason)
_COMPLIANCE = Interned(lambda regimes: Reason(
    4, "compliance", ", ".join(regimes), "any regime", "compliance: " + ", ".join(regimes)))
_ENTERPRISE_WRITES = _systems_reasons(4, "enterprise system", "writes to {} (enterprise system)")
_BIDIRECTIONAL = _systems_reasons(4, "2 systems", "bidirectional sync with {}")
_EXTERNAL = _systems_reasons(3, "external API", "external API: {}")
_WRITES = _systems_reasons(3, "write-back", "writes back to {}")
_UNAPPROVED = _systems_reasons(3, "approved connectors", "unapproved connector: {}")
_CONNECTS = _systems_reasons(2, "any integration", "connects to {}")


# --- unknowns -----------------------------------------------------------------

def _unknowns(facts: AppFacts, links: IntegrationSurvey, tier: int) -> tuple[tuple[str, ...], int]:
    """Unknown facts whose riskiest value would raise the tier (below 4), and the tier
    they could reach together."""
    names: list[str] = []
    add = names.append
    # Each of these alone could make the app Tier 4.
    if facts.data_sensitivity not in _SENSITIVITIES:
        add("data_sensitivity")
    if facts.compliance is None:
        add("compliance")
    if facts.integrations is None:
        add("integrations")
    if facts.criticality not in _CRITICALITIES:
        add("criticality")
    if facts.custom_code is None:
        add("custom_code")
    if facts.calc_complexity not in _COMPLEXITIES:
        add("calc_complexity")
    if facts.users is None:
        add("users")
    possible = 4 if names else tier
    if tier < 3 and facts.scope not in _SCOPES:
        add("scope")
        possible = max(possible, 3)
    if links.unknown_direction:
        for name, reach in _direction_unknowns(links):
            if reach > tier:
                add(name)
                possible = max(possible, reach)
    return tuple(names), possible


def _direction_unknowns(links: IntegrationSurvey) -> list[tuple[str, int]]:
    """Integrations whose direction is unknown: as bidirectional they write back (3),
    to an enterprise system (4), or make a second bidirectional sync (4)."""
    syncing = set(links.bidirectional)
    syncing.update(system for system, _ in links.unknown_direction)
    could_sync = len(syncing) >= 2
    return [
        (f"integrations[{system}].direction", 4 if enterprise or could_sync else 3)
        for system, enterprise in links.unknown_direction
    ]
