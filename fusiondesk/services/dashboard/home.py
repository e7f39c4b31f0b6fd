"""The Home page's figures: the handful of numbers a CoE lead checks on Monday.

Each figure is what the Dashboard, the Ownership page, the command line and the
audit workbook count: no active owner, single owner and overdue review are the
warning signs `core.flags` sets under `core.measures`' rules, an upcoming leaver is
`core.measures`' one, narrowed to the next 30 days. Each figure carries the Portfolio
filter that lists exactly its apps, and is counted with that filter's own match, so
the number on a card is the number of rows its click shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fusiondesk.core.measures import Abandonment, leaver_window
from fusiondesk.core.terms import FlagName, Source
from fusiondesk.db.store import Session
from fusiondesk.db.store import change_log as log_store
from fusiondesk.db.store import home as store
from fusiondesk.services.dashboard.delivery import DUE_SOON_DAYS
from fusiondesk.services.handover.abandonment import portfolio_abandonment

TIERS = (4, 3, 2, 1)
HIGH_TIERS = (3, 4)  # the tiers that need a pro-dev partner (DOMAIN.md's tier table)
SIGNS = (FlagName.BUILDER_GONE, FlagName.SINGLE_OWNER, FlagName.REVIEW_OVERDUE)


@dataclass(frozen=True, slots=True)
class Figure:
    """One number on Home, with the Portfolio filter showing exactly its apps (None: no such filter)."""

    name: str
    title: str
    count: int
    note: str
    filter: dict | None = None


@dataclass(frozen=True, slots=True)
class LastImport:
    """When the portfolio last took in an inventory, from which file, by whom."""

    at: datetime
    source: str | None
    who: str


@dataclass(frozen=True)
class HomeFigures:
    """Everything the Home page shows, as of `today`."""

    today: date
    apps: int
    tiers: tuple[Figure, ...] = ()  # Tier 4 … Tier 1, then the unclassified when there are any
    high_tier_share: float = 0.0  # Tier 3–4 apps over all apps
    watch: tuple[Figure, ...] = ()  # drift, no active owner, single owner, overdue reviews
    leavers: int = 0  # people leaving within LEAVERS_DAYS
    leaver_apps: int = 0  # the apps they own, each once
    last_import: LastImport | None = None

    @property
    def is_empty(self) -> bool:
        """True for a portfolio with no apps yet (Home then says how to begin)."""
        return self.apps == 0


LEAVERS_DAYS = DUE_SOON_DAYS  # the Dashboard's leavers chart marks the same 30 days as urgent


def home_figures(session: Session, today: date) -> HomeFigures:
    """Count the Home page's figures: one scan of the apps, and a few small queries."""
    tiers, signs = _app_counts(session)
    apps = sum(tiers.values())
    last = _last_import(session)
    if not apps:
        return HomeFigures(today, 0, last_import=last)
    people, owned = leavers_within(session, today, LEAVERS_DAYS)
    high = sum(tiers[tier] for tier in HIGH_TIERS)
    return HomeFigures(today, apps, _tier_figures(tiers, apps), high / apps,
                       _watch_figures(signs, portfolio_abandonment(session)), people, owned, last)


def _app_counts(session: Session) -> tuple[Counter, Counter]:
    """Apps per computed tier (None: not classified), and apps drifted or carrying each sign."""
    tiers: Counter = Counter()
    signs: Counter = Counter()
    for tier, apps, drifted, *carrying in store.tier_counts(session, [s.value for s in SIGNS]):
        tiers[tier] += apps
        signs["drift"] += drifted
        for sign, n in zip(SIGNS, carrying):
            signs[sign] += n
    return tiers, signs


def _tier_figures(shape: Counter, apps: int) -> tuple[Figure, ...]:
    figures = [Figure(f"tier_{tier}", f"Tier {tier}", shape[tier], _share(shape[tier], apps),
                      {"tier": tier}) for tier in TIERS]
    if shape[None]:  # the table has no "unclassified" filter: shown, not clickable
        figures.append(Figure("unclassified", "Unclassified", shape[None], _share(shape[None], apps)))
    return tuple(figures)


def _watch_figures(signs: Counter, abandonment: Abandonment) -> tuple[Figure, ...]:
    """The warning signs a lead acts on first."""
    gone, single = signs[FlagName.BUILDER_GONE], signs[FlagName.SINGLE_OWNER]
    overdue = signs[FlagName.REVIEW_OVERDUE]
    return (
        Figure("drift", "Tier drift", signs["drift"],
               "computed above the approved tier: review again", {"drift": True}),
        Figure("no_active_owner", "No active owner", gone,
               f"abandonment {abandonment.rate:.1%}: {abandonment.numerator:,} of "
               f"{abandonment.denominator:,} apps of builders who left (target under 10%)",
               {"flag": FlagName.BUILDER_GONE.value}),
        Figure("single_owner", "Single owner", single, "one person away from no owner",
               {"flag": FlagName.SINGLE_OWNER.value}),
        Figure("overdue_reviews", "Overdue reviews", overdue, "apps with a review past its due day",
               {"flag": FlagName.REVIEW_OVERDUE.value}),
    )


def leavers_within(session: Session, today: date, days: int) -> tuple[int, int]:
    """(people, apps they own) of the upcoming leavers (core.measures) leaving within `days`."""
    return store.leaving_between(session, *leaving_days(today, days))


def leaving_days(today: date, days: int = LEAVERS_DAYS) -> tuple[date, date]:
    """The first and last leave date of the leavers Home counts (the Portfolio's filter too)."""
    first, last = leaver_window(today)
    return first, min(last, today + timedelta(days=days))


HIGH_TIER_FILTER = {"tiers": (3, 4)}  # the Tier 3–4 share's apps


def _last_import(session: Session) -> LastImport | None:
    newest = log_store.read_entries(session, source=Source.IMPORT, limit=1)
    return LastImport(newest[0].at, newest[0].source_detail, newest[0].who) if newest else None


def _share(count: int, apps: int) -> str:
    return f"{count / apps:.0%} of apps" if apps else ""
