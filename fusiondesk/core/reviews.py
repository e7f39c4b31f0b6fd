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
    tier, lifecycle = classification.tier, facts.lifecycle
    found = [
        _architecture(tier, lifecycle),
        _integration(facts, policy),
        _security(facts.data_sensitivity, facts.data_categories),
        _production_readiness(tier, lifecycle),
        _periodic(tier, lifecycle, policy),
    ]
    return [review for review in found if review is not None]


class RequiredReviewsMemo:
    """`required_reviews` under one policy, remembered per combination of the facts it reads.

    An import of 100,000 apps has under a thousand combinations of tier, lifecycle, data
    sensitivity and data categories, so the reviews those call for are worked out once
    each, and the same RequiredReview objects come back for every app that shares them.
    The integration review is worked out per app: its reason names the app's own systems,
    which differ from almost every app to the next, and hashing them costs more than
    surveying them.
    """

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        # (tier, lifecycle, sensitivity, categories) -> the reviews before and after
        # the integration review, in REVIEW_TYPES order
        self._known: dict[tuple, tuple[tuple[RequiredReview, ...], tuple[RequiredReview, ...]]] = {}

    def __call__(self, facts: AppFacts, tier: int) -> tuple[RequiredReview, ...]:
        """What `required_reviews(facts, <a classification at tier>, policy)` returns, as a tuple."""
        if facts.lifecycle == Lifecycle.RETIRED:
            return ()
        categories = facts.data_categories
        # as a tuple: facts built by hand may carry a list, which cannot be a key
        key = (tier, facts.lifecycle, facts.data_sensitivity,
               None if categories is None else tuple(categories))
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._learn(*key)
        before, after = found
        integration = _integration(facts, self.policy) if facts.integrations else None
        return before + after if integration is None else (*before, integration, *after)

    def _learn(self, tier: int, lifecycle: str | None, sensitivity: str | None,
               categories: tuple[str, ...] | None):
        before = (_architecture(tier, lifecycle),)
        after = (_security(sensitivity, categories), _production_readiness(tier, lifecycle),
                 _periodic(tier, lifecycle, self.policy))
        return _present(before), _present(after)


def _present(reviews: tuple[RequiredReview | None, ...]) -> tuple[RequiredReview, ...]:
    return tuple(review for review in reviews if review is not None)


def _architecture(tier: int, lifecycle: str | None) -> RequiredReview | None:
    if tier >= 3:
        return RequiredReview(ARCHITECTURE, f"Tier {tier}: design reviewed before building")
    if tier == 2 and lifecycle in _BUILDING:
        return RequiredReview(ARCHITECTURE, f"Tier 2 app in {lifecycle}")
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


def _security(sensitivity: str | None, categories: tuple[str, ...] | None) -> RequiredReview | None:
    parts = []
    if sensitivity in _SENSITIVE:
        parts.append(f"{sensitivity} data")
    if categories:
        parts.append("categories: " + ", ".join(categories))
    return RequiredReview(SECURITY, "; ".join(parts)) if parts else None


def _production_readiness(tier: int, lifecycle: str | None) -> RequiredReview | None:
    if tier >= 2 and lifecycle in _HEADING_TO_PRODUCTION:
        return RequiredReview(PRODUCTION_READINESS,
                              f"Tier {tier} app in {lifecycle}, heading to production")
    return None


def _periodic(tier: int, lifecycle: str | None, policy: Policy) -> RequiredReview | None:
    # Only apps in use are re-reviewed; an unknown lifecycle is not assumed to be
    # unused. Apps still being built are covered by their milestone reviews.
    days = policy.cadence_days(tier)
    if days is None or lifecycle in _BUILDING:
        return None
    stage = lifecycle if lifecycle in _IN_USE else "lifecycle unknown"
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
