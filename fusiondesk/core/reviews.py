"""Which reviews an app needs, when each is due, and when the next periodic one falls.

From DOMAIN.md ("Reviews and audits"): an architecture review before building,
an integration review before connecting, a security review before touching
sensitive data, a production-readiness review before deployment, and periodic
reviews at the tier's cadence. A retired app needs none.

Review times are calendar time, not business hours: an SLA of 48 hours on a
review requested on Monday is due on Wednesday, and a part day counts as a whole
one (30 hours is two days), because reviews are tracked by date and a review is
late only after its due day has passed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.flags import survey_integrations
from fusiondesk.core.policy import Policy, name_key
from fusiondesk.core.terms import Lifecycle, ReviewOutcome, ReviewType, Sensitivity, values_of
from fusiondesk.core.tiers import Classification

ARCHITECTURE, INTEGRATION, SECURITY, PRODUCTION_READINESS, PERIODIC = ReviewType
REVIEW_TYPES = tuple(ReviewType)
REVIEW_LABELS = {
    ARCHITECTURE: "Architecture",
    INTEGRATION: "Integration",
    SECURITY: "Security",
    PRODUCTION_READINESS: "Production readiness",
    PERIODIC: "Periodic",
}

APPROVED, APPROVED_WITH_CONDITIONS, REJECTED = ReviewOutcome
OUTCOMES = tuple(ReviewOutcome)
OUTCOME_LABELS = {
    APPROVED: "Approved",
    APPROVED_WITH_CONDITIONS: "Approved with conditions",
    REJECTED: "Rejected",
}

_BUILDING = frozenset(values_of((Lifecycle.IDEA, Lifecycle.DEVELOPMENT)))
_HEADING_TO_PRODUCTION = frozenset(values_of((Lifecycle.DEVELOPMENT, Lifecycle.PILOT)))
_IN_USE = frozenset(values_of((Lifecycle.PILOT, Lifecycle.PRODUCTION)))
_SENSITIVE = frozenset(values_of((Sensitivity.CONFIDENTIAL, Sensitivity.REGULATED)))


@dataclass(frozen=True, slots=True)
class RequiredReview:
    """A review an app needs, and why, in words a builder understands."""

    type: str
    why: str


def required_reviews(facts: AppFacts, classification: Classification,
                     policy: Policy) -> list[RequiredReview]:
    """The reviews `facts` calls for at its computed tier, in REVIEW_TYPES order."""
    if facts.lifecycle == Lifecycle.RETIRED:
        return []
    tier = classification.tier
    found = [
        _architecture(facts, tier),
        _integration(facts, policy),
        _security(facts),
        _production_readiness(facts, tier),
        _periodic(facts, tier, policy),
    ]
    return [review for review in found if review is not None]


def _architecture(facts: AppFacts, tier: int) -> RequiredReview | None:
    if tier >= 3:
        return RequiredReview(ARCHITECTURE, f"Tier {tier}: design reviewed before building")
    if tier == 2 and facts.lifecycle in _BUILDING:
        return RequiredReview(ARCHITECTURE, f"Tier 2 app in {facts.lifecycle}")
    return None


def _integration(facts: AppFacts, policy: Policy) -> RequiredReview | None:
    links = survey_integrations(facts.integrations, policy, facts.platform)
    enterprise = _enterprise_systems(facts, policy)
    parts = []
    if links.writes:
        parts.append("writes to " + ", ".join(links.writes))
    if links.external:
        parts.append("external API: " + ", ".join(links.external))
    if enterprise:
        parts.append("enterprise system: " + ", ".join(enterprise))
    return RequiredReview(INTEGRATION, "; ".join(parts)) if parts else None


def _enterprise_systems(facts: AppFacts, policy: Policy) -> list[str]:
    """Enterprise systems the app connects to in any direction (reading one counts too)."""
    names: dict[str, str] = {}
    for link in facts.integrations or ():
        enterprise = link.enterprise
        if enterprise is None:
            enterprise = name_key(link.system) in policy.enterprise_system_keys
        if enterprise:
            names.setdefault(name_key(link.system), link.system.strip())
    return list(names.values())


def _security(facts: AppFacts) -> RequiredReview | None:
    parts = []
    if facts.data_sensitivity in _SENSITIVE:
        parts.append(f"{facts.data_sensitivity} data")
    if facts.data_categories:
        parts.append("categories: " + ", ".join(facts.data_categories))
    return RequiredReview(SECURITY, "; ".join(parts)) if parts else None


def _production_readiness(facts: AppFacts, tier: int) -> RequiredReview | None:
    if tier >= 2 and facts.lifecycle in _HEADING_TO_PRODUCTION:
        return RequiredReview(PRODUCTION_READINESS,
                              f"Tier {tier} app in {facts.lifecycle}, heading to production")
    return None


def _periodic(facts: AppFacts, tier: int, policy: Policy) -> RequiredReview | None:
    # Only apps in use are re-reviewed; an unknown lifecycle is not assumed to be
    # unused. Apps still being built are covered by their milestone reviews.
    days = policy.cadence_days(tier)
    if days is None or facts.lifecycle in _BUILDING:
        return None
    stage = facts.lifecycle if facts.lifecycle in _IN_USE else "lifecycle unknown"
    return RequiredReview(PERIODIC, f"Tier {tier} ({stage}): every {days} days")


def due_date(requested: date, tier: int, policy: Policy) -> date | None:
    """When a review requested on `requested` is due under the tier's SLA (None: no SLA).

    Calendar hours, part days rounded up: 48 hours is two days, 30 hours two days.
    """
    hours = policy.sla_hours(tier)
    if hours is None:
        return None
    return requested + timedelta(days=math.ceil(hours / 24))


def next_periodic(completed: date, tier: int, policy: Policy) -> date | None:
    """When the periodic review after one completed on `completed` falls (None: on change only)."""
    days = policy.cadence_days(tier)
    return None if days is None else completed + timedelta(days=days)


def is_approval(outcome: str | None) -> bool:
    """True for the outcomes that let the app go ahead (with or without conditions)."""
    return outcome in (APPROVED, APPROVED_WITH_CONDITIONS)


def review_type(text: str) -> str:
    """A review type as people type it ('Production readiness', 'security') → its name."""
    return _choice(text, REVIEW_TYPES, "review type")


def review_outcome(text: str) -> str:
    """An outcome as people type it ('approved with conditions') → its name."""
    return _choice(text, OUTCOMES, "outcome")


def _choice(text: str, allowed: tuple[str, ...], what: str) -> str:
    name = "_".join(str(text).strip().casefold().replace("-", " ").split())
    if name not in allowed:
        raise ValueError(f"Unknown {what} '{text}'; use one of: {', '.join(allowed)}.")
    return name
