"""A sample portfolio's review history: done, open and overdue, by a few busy reviewers.

Reviews are what a CoE lead measures the pro-dev bottleneck by, so the sample has the
shape of a real queue: the periodic review each reviewed app last had (on its
`last_review` day) and the next one it scheduled, the production-readiness and integration reviews of apps that went
live or connect to something, a few milestone reviews still open (some past due), a
reviewer or two carrying most of the load, and some reviews finished after their SLA.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from fusiondesk.core.facts import AppFacts, PersonFacts
from fusiondesk.core.policy import default_policy
from fusiondesk.core.reviews import (
    APPROVED,
    APPROVED_WITH_CONDITIONS,
    ARCHITECTURE,
    INTEGRATION,
    PERIODIC,
    PRODUCTION_READINESS,
    REJECTED,
    SECURITY,
    due_date,
    next_periodic,
)
from fusiondesk.core.terms import Lifecycle, PersonRole, PersonStatus

_LIVE = (Lifecycle.PILOT, Lifecycle.PRODUCTION)
_BUILDING = (Lifecycle.IDEA, Lifecycle.DEVELOPMENT)
_NOTES = {
    APPROVED_WITH_CONDITIONS: ("Add a co-owner before the next release.",
                               "Document the data sources.",
                               "Move the connection to a service account."),
    REJECTED: ("Writes to the ledger without a pro-dev partner; rebuild that part.",
               "Holds personal data in a personal OneDrive."),
}


@dataclass(frozen=True, slots=True)
class SampleReview:
    """One review of a sample app, as the review table holds it."""

    app_id: str
    type: str
    requested: date
    due: date | None
    reviewer_email: str | None = None
    outcome: str | None = None
    notes: str | None = None
    completed: date | None = None


def review_history(apps: list[AppFacts], people: list[PersonFacts], seed: int,
                   today: date) -> list[SampleReview]:
    """The reviews of the sample's apps; the same arguments always give the same history."""
    rnd = random.Random(f"{seed}/review-history").random
    reviewers = _Reviewers(people, rnd)
    history = _History(rnd, reviewers, today)
    for app in apps:
        history.add(app)
    return history.reviews


class _Reviewers:
    """Active pro-devs and CoE admins; the first few carry most of the reviews."""

    def __init__(self, people: list[PersonFacts], rnd) -> None:
        found = sorted(p.email for p in people if p.email and p.status == PersonStatus.ACTIVE
                       and p.role in (PersonRole.PRO_DEVELOPER, PersonRole.COE_ADMIN))
        self.emails = found or [None]
        # Load falls off with rank: the usual bottleneck of one or two experts.
        self.weights = [1 / (rank + 1) ** 1.2 for rank in range(len(self.emails))]
        self.rnd = rnd

    def pick(self) -> str | None:
        point, total = self.rnd() * sum(self.weights), 0.0
        for email, weight in zip(self.emails, self.weights):
            total += weight
            if point <= total:
                return email
        return self.emails[-1]


class _History:
    def __init__(self, rnd, reviewers: _Reviewers, today: date) -> None:
        self.rnd, self.reviewers, self.today = rnd, reviewers, today
        self.policy = default_policy()
        self.reviews: list[SampleReview] = []

    def add(self, app: AppFacts) -> None:
        tier = app.approved_tier or 2
        if tier < 2 or app.lifecycle == Lifecycle.RETIRED:
            return  # Tier 1 self-certifies
        if app.last_review is not None and app.last_review <= self.today:
            self.done(app, PERIODIC, tier, app.last_review)
            self.next_periodic(app, tier, app.last_review)
        if app.lifecycle in _LIVE and app.deployed_on is not None and self.rnd() < 0.7:
            self.done(app, PRODUCTION_READINESS, tier, app.deployed_on)
        if app.integrations and self.rnd() < 0.5:
            self.done(app, INTEGRATION, tier, app.deployed_on or app.created)
        if app.lifecycle in _BUILDING and self.rnd() < 0.5:
            kind = SECURITY if app.data_sensitivity in ("confidential", "regulated") else ARCHITECTURE
            self.open(app, kind, tier)

    def done(self, app: AppFacts, kind: str, tier: int, completed: date | None) -> None:
        """A review finished on `completed` (or soon after it was asked for), mostly in time."""
        if completed is None or completed > self.today:
            return
        sla = (due_date(completed, tier, self.policy) - completed).days if tier > 1 else 2
        r = self.rnd()
        # Most finish inside the SLA; about one in five is late, a few by weeks.
        took = int(self.rnd() * sla) if r < 0.8 else sla + 1 + int(self.rnd() * sla * 3)
        requested = completed - timedelta(days=took)
        if app.created is not None and requested < app.created:
            requested = app.created
        outcome = self.outcome()
        self.reviews.append(SampleReview(
            app.app_id, kind, requested, due_date(requested, tier, self.policy),
            self.reviewers.pick(), outcome, self.note(outcome), completed))

    def next_periodic(self, app: AppFacts, tier: int, last: date) -> None:
        """The periodic review completing the last one scheduled (due at the cadence)."""
        due = next_periodic(last, tier, self.policy)
        if due is not None:
            self.reviews.append(SampleReview(app.app_id, PERIODIC, last, due))

    def open(self, app: AppFacts, kind: str, tier: int) -> None:
        """A review asked for in the last weeks; the older ones are past due."""
        requested = self.today - timedelta(days=int(self.rnd() * 30))
        if app.created is not None and requested < app.created:
            requested = app.created
        reviewer = self.reviewers.pick() if self.rnd() < 0.7 else None
        self.reviews.append(SampleReview(app.app_id, kind, requested,
                                         due_date(requested, tier, self.policy), reviewer))

    def outcome(self) -> str:
        r = self.rnd()
        return APPROVED if r < 0.75 else APPROVED_WITH_CONDITIONS if r < 0.93 else REJECTED

    def note(self, outcome: str) -> str | None:
        choices = _NOTES.get(outcome)
        return None if not choices else choices[int(self.rnd() * len(choices))]
