"""Warning signs: the things that cause the 3 a.m. call, each with a specific explanation.

Flags are raised on evidence: an unknown fact raises no flag here (tiers.py
reports it as unknown instead), except where the sign is about what is
missing: an unrecorded DR plan, support level or document counts as missing.

Who maintains an app: primary owners, co-owners and pro-dev partners who are
still active, and the active members of any owning team (core.measures.active_keepers). A business owner does not build, so cannot
fix the app when its builder leaves, and is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from fusiondesk.core.certification import unqualified_builders
from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.gate import gate_problems
from fusiondesk.core.measures import active_keepers, in_service
from fusiondesk.core.policy import Policy, name_key
from fusiondesk.core.terms import (
    CRITICAL,
    Complexity,
    ConnectorGroup,
    Direction,
    Lifecycle,
    OwnerRole,
    Sensitivity,
    Support,
    values_of,
)

FLAG_LABELS: dict[str, str] = {
    "sensitive_data": "Sensitive data",
    "multi_write_back": "Writes to several systems",
    "critical_without_support": "Critical without support",
    "complex_calculations": "Complex calculations",
    "user_growth": "User growth",
    "compliance": "Compliance",
    "builder_gone": "Builder gone",
    "complex_integration": "Complex integration",
    "undocumented": "Undocumented",
    "tier_drift": "Tier drift",
    "review_overdue": "Review overdue",
    "single_owner": "Single owner",
    "inactive": "Inactive",
    "unapproved_platform": "Unapproved platform",
    "unapproved_connector": "Unapproved connector",
    "outside_production": "In use outside production",
    "no_readiness_review": "No production-readiness review",
    "deployed_undocumented": "Deployed undocumented",
    "off_deployment_path": "Deployed off its path",
    "blocked_connector": "Blocked connector",
    "mixed_connectors": "Business and non-business connectors",
    "unqualified_builder": "Builder not qualified",
}
FLAG_NAMES: tuple[str, ...] = tuple(FLAG_LABELS)
FLAG_DESCRIPTIONS: dict[str, str] = {
    "sensitive_data": "Holds confidential or regulated data, or personal, health, payment, "
                      "financial or credential data.",
    "multi_write_back": "Writes to two or more systems: concurrent updates and duplicates can "
                        "corrupt them.",
    "critical_without_support": "High or mission-critical without IT support or a DR plan.",
    "complex_calculations": "Complex algorithms or calculations that edge cases can quietly break.",
    "user_growth": "Users passed a tier threshold above the approved tier, or grew by the "
                   "policy's factor since the last review.",
    "compliance": "Falls under a compliance regime (HIPAA, GDPR, PCI DSS, SOX, ...).",
    "builder_gone": "No active owner who can maintain it: the builders left, or none is recorded.",
    "complex_integration": "Many connected systems, or asynchronous / event-driven integration.",
    "undocumented": "Functional description, data sources or logic summary missing.",
    "tier_drift": "The computed tier is above the approved tier: needs re-review.",
    "review_overdue": "The next scheduled review is past due.",
    "single_owner": "Only one active person maintains it: no co-owner, and no team with a "
                    "second active member.",
    "inactive": "Not used for the policy's inactivity period: an archive candidate.",
    "unapproved_platform": "Built on a platform that is not on the approved list.",
    "unapproved_connector": "Uses a connector that is not approved.",
    "outside_production": "In production use, but its environment is a development or test one "
                          "(Default, Sandbox, Developer, Trial, Teams: see the policy's "
                          "environment stages).",
    "no_readiness_review": "Tier 2 or above and in production without a passed "
                           "production-readiness review.",
    "deployed_undocumented": "Tier 2 or above and in production without its functional "
                             "description, data sources and logic summary.",
    "off_deployment_path": "Tier 2 or above and deployed to production by someone its tier's "
                           "deployment path leaves out: a citizen developer alone (Tier 2: a "
                           "pro-dev promotes; Tier 3: joint deployment; Tier 4: a pro-dev "
                           "deploys).",
    "blocked_connector": "Uses a connector the policy blocks (the DLP Blocked group): the "
                         "platform would stop it.",
    "mixed_connectors": "Uses business and non-business connectors together, which a DLP "
                        "policy forbids in one app or flow.",
    "unqualified_builder": "Its citizen builder is not qualified for its tier (Tier 2: trained "
                           "on the platform; Tier 3+: certified, with a pro-dev partner); an "
                           "expired certification does not count.",
}

# Plain strings bound once (values_of): these are tested for every app.
_MAINTAINER_ROLES = frozenset(values_of((OwnerRole.PRIMARY, OwnerRole.CO_OWNER,
                                         OwnerRole.PRODEV_PARTNER)))
_SENSITIVE = frozenset(values_of((Sensitivity.CONFIDENTIAL, Sensitivity.REGULATED)))
_READ, _WRITE, _BIDIRECTIONAL = values_of(Direction)
_COMPLEX = Complexity.COMPLEX.value
_IN_PRODUCTION = Lifecycle.PRODUCTION.value
_BUSINESS, _NON_BUSINESS, _BLOCKED = values_of(ConnectorGroup)


@dataclass(frozen=True, slots=True)
class Flag:
    """A warning sign raised on one app, with what exactly was found."""

    name: str
    explanation: str

    @property
    def label(self) -> str:
        """The short human label, e.g. 'Sensitive data'."""
        return FLAG_LABELS[self.name]


class Interned(dict):
    """Values built once per distinct key and then shared.

    A portfolio repeats the same few explanations across thousands of apps, so
    sharing them keeps classifying 100k apps fast and their results small. The
    table is cleared when it outgrows `limit`, so odd keys can't pile up.
    """

    __slots__ = ("build", "limit")

    def __init__(self, build, limit: int = 20_000):
        super().__init__()
        self.build = build
        self.limit = limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.build(key)
        return value


# --- integrations as the policy sees them ------------------------------------

class IntegrationSurvey:
    """An app's integrations sorted by what matters for tiers and flags (system names,
    each system once, under the first spelling seen)."""

    __slots__ = ("systems", "writes", "enterprise_writes", "bidirectional", "external",
                 "unapproved", "asynchronous", "unknown_direction", "blocked", "business",
                 "non_business")

    def __init__(self, systems=(), writes=(), enterprise_writes=(), bidirectional=(),
                 external=(), unapproved=(), asynchronous=(), unknown_direction=(),
                 blocked=(), business=(), non_business=()) -> None:
        self.systems: tuple[str, ...] = systems
        self.writes: tuple[str, ...] = writes
        self.enterprise_writes: tuple[str, ...] = enterprise_writes
        self.bidirectional: tuple[str, ...] = bidirectional
        self.external: tuple[str, ...] = external
        self.unapproved: tuple[str, ...] = unapproved
        self.asynchronous: tuple[str, ...] = asynchronous
        # (system, whether it is an enterprise system) for each unknown direction
        self.unknown_direction: tuple[tuple[str, bool], ...] = unknown_direction
        # the DLP groups (core.connectors): the systems in each
        self.blocked: tuple[str, ...] = blocked
        self.business: tuple[str, ...] = business
        self.non_business: tuple[str, ...] = non_business


_NO_INTEGRATIONS = IntegrationSurvey()


def survey_integrations(integrations: Sequence[Integration] | None, policy: Policy,
                        platform: str | None = None) -> IntegrationSurvey:
    """Resolve each integration's traits: the record's when it says, else the policy's lists
    (the connector groups as they hold on the app's `platform`)."""
    if not integrations:
        return _NO_INTEGRATIONS
    enterprise_keys = policy.enterprise_system_keys
    external_keys = policy.external_api_keys
    rules = policy.connector_rules
    # the lookups of core.connectors.ConnectorRules inlined: this runs for every integration
    listed_group, by_platform, unlisted = rules.listed.get, rules.by_platform, rules.unlisted
    platform_key = platform.strip().casefold() if platform and by_platform else None
    # Tuples grown one name at a time: most stay empty, which costs nothing, and this
    # runs for every app of the portfolio.
    keys: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    writes = enterprise_writes = bidirectional = external = unapproved = asynchronous = systems
    business = non_business = blocked = systems
    unknown_direction: tuple[tuple[str, bool], ...] = ()
    for link in integrations:
        name = link.system.strip() or "(unnamed)"
        key = name.casefold()
        if key in keys:  # one system listed twice (SAP:read, sap:write) is one system
            name = systems[keys.index(key)]
        else:
            keys += (key,)
            systems += (name,)
        enterprise = link.enterprise
        if enterprise is None:
            enterprise = key in enterprise_keys
        direction = link.direction
        if direction == _WRITE or direction == _BIDIRECTIONAL:
            if name not in writes:
                writes += (name,)
            if enterprise and name not in enterprise_writes:
                enterprise_writes += (name,)
            if direction == _BIDIRECTIONAL and name not in bidirectional:
                bidirectional += (name,)
        elif direction != _READ and (name, enterprise) not in unknown_direction:
            unknown_direction += ((name, enterprise),)
        if name not in external and (link.external_api or (
                link.external_api is None and key in external_keys)):
            external += (name,)
        # Approval that neither the record gives nor the policy lists is not assumed; a
        # blocked connector is never approved, whatever its record says (core.connectors).
        listed = listed_group(key)
        if platform_key is not None:
            listed = by_platform.get((platform_key, key), listed)
        approved = link.approved
        if name not in unapproved and not (listed == _BUSINESS if approved is None
                                           else approved and listed != _BLOCKED):
            unapproved += (name,)
        group = listed or (_BUSINESS if approved is True else unlisted)
        if group == _BUSINESS:
            if name not in business:
                business += (name,)
        elif group == _NON_BUSINESS:
            if name not in non_business:
                non_business += (name,)
        elif name not in blocked:
            blocked += (name,)
        if link.asynchronous and name not in asynchronous:
            asynchronous += (name,)
    return IntegrationSurvey(systems, writes, enterprise_writes, bidirectional, external,
                             unapproved, asynchronous, unknown_direction, blocked, business,
                             non_business)


# --- the flags ------------------------------------------------------------------

def detect_flags(facts: AppFacts, policy: Policy, today: date, tier: int,
                 links: IntegrationSurvey) -> tuple[Flag, ...]:
    """Every warning sign on one app, in FLAG_NAMES order."""
    # Runs for every app of the portfolio: cheap tests first, shared flags after.
    found: list[Flag] = []
    add = found.append
    sensitivity, categories = facts.data_sensitivity, facts.data_categories
    if sensitivity in _SENSITIVE or categories:
        add(_SENSITIVE_DATA[sensitivity if sensitivity in _SENSITIVE else None, categories or ()])
    if len(links.writes) >= 2:
        add(_MULTI_WRITE_BACK[links.writes])
    if facts.criticality in CRITICAL:
        flag = _CRITICAL_WITHOUT_SUPPORT[facts.criticality, facts.support, facts.dr_plan,
                                         policy.critical_needs_it_support]
        if flag is not None:
            add(flag)
    if facts.calc_complexity == _COMPLEX:
        add(_COMPLEX_CALCULATIONS)
    users, approved, before = facts.users, facts.approved_tier, facts.users_at_last_review
    # Most apps are below every threshold with no count from a last review: skip the call.
    if users is not None and (before or users >= policy.tier3_users) and _grew(
            users, approved, before, policy):
        add(Flag("user_growth", _user_growth(facts, policy)))
    if facts.compliance:
        add(_COMPLIANCE[facts.compliance])
    keepers = active_keepers(facts.owners)  # the one "active owner" rule (core.measures)
    # A retired app needs no maintainer: the ownership signs count apps in service only,
    # as every ownership measure does (core.measures).
    serving = in_service(facts.lifecycle)
    if not keepers and serving:
        add(Flag("builder_gone", _builder_gone(facts.owners)))
    count, limit = len(links.systems), policy.complex_integration_systems
    if links.asynchronous or count >= limit:
        add(_COMPLEX_INTEGRATION[count if count >= limit else 0, limit, links.asynchronous])
    if not (facts.doc_functional is True and facts.doc_data_sources is True
            and facts.doc_logic is True):
        add(_UNDOCUMENTED[facts.doc_functional, facts.doc_data_sources, facts.doc_logic])
    if approved is not None and tier > approved:
        add(_TIER_DRIFT[tier, approved])
    due = facts.next_review_due
    if due is not None and due < today:
        add(_REVIEW_OVERDUE[due, today])
    if len(keepers) == 1 and serving:
        add(_SINGLE_OWNER[next(iter(keepers))])
    last_used = facts.last_used
    if last_used is not None and (today - last_used).days >= policy.inactivity_days:
        add(_INACTIVE[last_used, today])
    if facts.platform and policy.approved_platforms:
        flag = _UNAPPROVED_PLATFORM[facts.platform, policy.approved_platform_keys]
        if flag is not None:
            add(flag)
    if links.unapproved:
        add(_UNAPPROVED_CONNECTOR[links.unapproved])
    if links.blocked:
        add(_BLOCKED_CONNECTOR[links.blocked])
    if links.business and links.non_business:
        add(_MIXED_CONNECTORS[links.business, links.non_business])
    if facts.lifecycle == _IN_PRODUCTION:  # the production gate: most apps are not gated
        found.extend(Flag(name, why) for name, why in gate_problems(facts, tier, policy))
    if tier >= 2 and serving and facts.owners:
        why = unqualified_builders(facts.owners, facts.platform, tier, today)
        if why:
            add(Flag("unqualified_builder", why))
    return tuple(found) if found else ()


def active_maintainers(owners: Sequence[Owner]) -> list[Owner]:
    """Owners who can still fix the app: active builders and any team with an active member."""
    return [o for o in owners if (o.team or o.role in _MAINTAINER_ROLES) and o.is_active]


# --- explanations, built once per distinct case ----------------------------------

def _sensitive_data(key: tuple) -> Flag:
    sensitivity, categories = key
    parts = [f"{sensitivity} data"] if sensitivity else []
    if categories:
        parts.append("categories: " + ", ".join(categories))
    return Flag("sensitive_data", "; ".join(parts))


def _critical_without_support(key: tuple) -> Flag | None:
    criticality, support, dr_plan, needs_it = key
    gaps = []
    if support is None:
        gaps.append("support unknown")
    elif support == Support.NONE:
        gaps.append("no support")
    elif support != Support.IT and needs_it:
        gaps.append(f"{support} support only, not IT")
    if dr_plan is None:
        gaps.append("DR plan unknown")
    elif not dr_plan:
        gaps.append("no DR plan")
    if not gaps:
        return None
    return Flag("critical_without_support", f"{CRITICAL[criticality]}: {', '.join(gaps)}")


def _complex_integration(key: tuple) -> Flag:
    count, limit, asynchronous = key
    parts = [f"{count} connected systems (≥ {limit})"] if count else []
    if asynchronous:
        parts.append("asynchronous: " + ", ".join(asynchronous))
    return Flag("complex_integration", "; ".join(parts))


_DOC_LABELS = ("functional description", "data sources", "logic summary")


def _undocumented(key: tuple) -> Flag:
    missing = [label if present is False else f"{label} (not recorded)"
               for label, present in zip(_DOC_LABELS, key) if present is not True]
    return Flag("undocumented", "missing: " + ", ".join(missing))


def _review_overdue(key: tuple) -> Flag:
    due, today = key
    late = _days((today - due).days)
    return Flag("review_overdue", f"review due {due.isoformat()}, {late} overdue")


def _inactive(key: tuple) -> Flag:
    last_used, today = key
    idle = _days((today - last_used).days)
    return Flag("inactive", f"last used {last_used.isoformat()}, {idle} ago")


def _unapproved_platform(key: tuple) -> Flag | None:
    # Only called when the CoE keeps a list; an unknown platform is no evidence of sprawl.
    platform, approved = key
    if name_key(platform) in approved:
        return None
    return Flag("unapproved_platform", f"{platform.strip()} is not an approved platform")


_SENSITIVE_DATA = Interned(_sensitive_data)
_MULTI_WRITE_BACK = Interned(lambda systems: Flag("multi_write_back",
                                                  "writes to " + ", ".join(systems)))
_CRITICAL_WITHOUT_SUPPORT = Interned(_critical_without_support)
_COMPLEX_CALCULATIONS = Flag("complex_calculations", "complex calculations")
_COMPLIANCE = Interned(lambda regimes: Flag("compliance", ", ".join(regimes)))
_COMPLEX_INTEGRATION = Interned(_complex_integration)
_UNDOCUMENTED = Interned(_undocumented)
_TIER_DRIFT = Interned(lambda k: Flag("tier_drift", f"computed Tier {k[0]}, approved Tier {k[1]}"))
_REVIEW_OVERDUE = Interned(_review_overdue)
_SINGLE_OWNER = Interned(lambda email: Flag(
    "single_owner", f"only {email or 'one person'} maintains it; no other active co-owner "
                    "or team member"))
_INACTIVE = Interned(_inactive)
_UNAPPROVED_PLATFORM = Interned(_unapproved_platform)
_UNAPPROVED_CONNECTOR = Interned(lambda systems: Flag("unapproved_connector",
                                                      "not approved: " + ", ".join(systems)))
_BLOCKED_CONNECTOR = Interned(lambda systems: Flag("blocked_connector",
                                                   "blocked: " + ", ".join(systems)))
_MIXED_CONNECTORS = Interned(lambda groups: Flag(
    "mixed_connectors", f"business: {', '.join(groups[0])}; non-business: {', '.join(groups[1])}"))


def _grew(users: int, approved: int | None, before: int | None, policy: Policy) -> bool:
    """Users past a tier threshold above the approved tier, or grown by the policy's factor."""
    if approved is not None and ((approved < 4 and users >= policy.tier4_users)
                                 or (approved < 3 and users >= policy.tier3_users)):
        return True
    # Growth from zero users has no meaningful factor; the threshold check covers it.
    return bool(before) and before > 0 and users >= policy.user_growth_factor * before


def _user_growth(facts: AppFacts, policy: Policy) -> str:
    users, approved, before = facts.users, facts.approved_tier, facts.users_at_last_review
    parts = []
    if approved is not None:
        for tier, threshold in ((4, policy.tier4_users), (3, policy.tier3_users)):
            if users >= threshold and approved < tier:
                parts.append(f"{users} users ≥ {threshold} (Tier {tier}), "
                             f"approved as Tier {approved}")
                break
    if before and before > 0 and users >= policy.user_growth_factor * before:
        parts.append(f"users grew from {before} to {users} since the last review")
    return "; ".join(parts)


def _builder_gone(owners: Sequence[Owner]) -> str:
    if not owners:
        return "no owner on record"
    gone = [f"{o.key or 'unnamed'} ({o.status or 'status unknown'})"
            for o in owners if o.role in _MAINTAINER_ROLES and not o.team]
    gone += [f"team {o.team} ({'no active member' if o.members else 'no members recorded'})"
             for o in owners if o.team]
    if not gone:
        return "no active maintainer: only a business owner on record"
    return "no active maintainer: " + ", ".join(gone)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
