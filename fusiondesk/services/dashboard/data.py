"""The numbers behind the dashboard: each chart's bars and the portfolio filter behind each bar.

Everything is counted by the store in SQL (GROUP BY, `db.store.dashboard`) or from
small grouped results, never by loading app objects, so the whole dashboard of
100,000 apps costs a few scans. What a chart is (bars, panels, filters) is
described in `dashboard.charts`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date

from fusiondesk.core.flags import FLAG_LABELS, FLAG_NAMES
from fusiondesk.core.measures import LEAVER_HORIZON_DAYS, Abandonment, leaver_window
from fusiondesk.core.policy import name_key
from fusiondesk.core.terms import FlagName
from fusiondesk.db.store import Session
from fusiondesk.db.store import dashboard as store
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.dashboard.ahead import Ahead, Reading
from fusiondesk.services.dashboard.charts import (
    CHART_NAMES,
    NO_APPS,
    NOT_RECORDED,
    TITLES,
    UNAPPROVED_PLATFORM,
    UNCLASSIFIED,
    Bar,
    Chart,
    DashboardData,
    Panel,
    empty_dashboard,
)
from fusiondesk.services.dashboard.delivery import (
    DUE_SOON_DAYS,
    delivered,
    lead_time,
    review_backlog,
    review_queue,
    review_throughput,
    throughput_chart,
)
from fusiondesk.services.handover.abandonment import portfolio_abandonment

# The chart model is re-exported: callers need only this module.
__all__ = ["CHART_NAMES", "NO_APPS", "NOT_RECORDED", "TITLES", "UNAPPROVED_PLATFORM",
           "UNCLASSIFIED", "Bar", "Chart", "DashboardData", "Panel", "dashboard_figures",
           "empty_dashboard", "flag_counts", "lead_time", "ownership", "platforms",
           "review_backlog", "review_throughput", "tier_drift", "tiers_by_department", "top_owners",
           "upcoming_leavers", "warning_signs"]

MAX_CATEGORIES = 12  # more departments or platforms than this are summed as "Other"
TOP_OWNERS = 10
TOP_LEAVERS = 15


def dashboard_figures(session: Session, today: date,
                      on_chart: Callable[[Chart], None] | None = None,
                      reading: Reading | None = None) -> DashboardData:
    """Count everything the dashboard shows, in a handful of aggregate queries.

    `on_chart` is called with each chart as soon as it is counted, so a caller can
    draw one chart while the next is being counted. `reading` (the portfolio's): the
    slowest figures are counted meanwhile on a second connection (`dashboard.ahead`).
    """
    with Ahead(session, reading) as ahead:
        # started first: they are counted while the apps' charts are
        queue = ahead.count(lambda helper: review_queue(helper, today))
        abandonment = ahead.count(portfolio_abandonment)
        shape = _portfolio_shape(session)
        apps = sum(shape.values())
        charts: dict[str, Chart] = {}
        for chart in _charts(session, today, shape, apps, queue, abandonment):
            charts[chart.name] = chart
            if on_chart is not None:
                on_chart(chart)
    return DashboardData(today, apps, charts)


def _charts(session: Session, today: date, shape: Counter, apps: int, queue: Callable,
            abandonment: Callable) -> Iterator[Chart]:
    """The charts in the dashboard's reading order, each counted when it is needed
    (`queue` and `abandonment` give the figures counted ahead)."""
    if not apps:
        yield from empty_dashboard(today).charts.values()
        return
    yield tiers_by_department(shape)
    flags = flag_counts(session)
    yield warning_signs(flags)
    yield tier_drift(shape)
    yield review_backlog(session, today)
    yield throughput_chart(queue())
    yield ownership(session, flags, apps, abandonment())
    yield upcoming_leavers(session, today)
    yield platforms(session)
    yield lead_time(session)
    yield delivered(session)


# --- tiers, drift and platforms ------------------------------------------------------

def _portfolio_shape(session: Session) -> Counter:
    """App counts by (department, tier, drift), from a single grouped scan."""
    return Counter({(dept, tier, bool(drift)): n
                    for drift, tier, dept, n in store.portfolio_shape(session)})


def _tier_label(tier: int | None) -> str:
    return f"Tier {tier}" if tier else UNCLASSIFIED


def _ranked(counts: Counter, limit: int = MAX_CATEGORIES) -> tuple[list, set]:
    """The `limit` biggest keys (an unrecorded one last) and the rest, summed as "Other"."""
    order = sorted(counts, key=lambda k: (k is None, -counts[k], str(k)))
    if len(order) <= limit + 1:  # an "Other" bar of one category would hide its name
        return order, set()
    return order[:limit], set(order[limit:])


_OTHER = "\x00other"  # stands for the categories summed together; never a real name


def _filter_for(**wanted) -> dict | None:
    """The table filter showing exactly these apps, or None when the table has none for them."""
    if any(value is None or value == _OTHER for value in wanted.values()):
        return None  # e.g. an unrecorded department: the table can't filter on "unrecorded"
    return wanted


def _department_tier_bars(counts: Counter, drift: bool) -> tuple[Bar, ...]:
    """Stacked bars: departments, biggest first, then segments by tier."""
    totals: Counter = Counter()
    for (dept, _tier), n in counts.items():
        totals[dept] += n
    shown, other = _ranked(totals)
    cells: Counter = Counter()
    for (dept, tier), n in counts.items():
        cells[_OTHER if dept in other else dept, tier] += n
    extra = {"drift": True} if drift else {}
    bars = []
    for dept in shown + ([_OTHER] if other else []):
        label = "Other departments" if dept == _OTHER else dept or NOT_RECORDED
        for tier in (1, 2, 3, 4, None):
            if cells[dept, tier]:
                wanted = {"department": dept, "tier": tier, **extra}
                bars.append(Bar(label, cells[dept, tier], _tier_label(tier),
                                _filter_for(**wanted)))
    return tuple(bars)


def _by_department_and_tier(shape: Counter, drift_only: bool) -> Counter:
    counts: Counter = Counter()
    for (dept, tier, drift), n in shape.items():
        if drift or not drift_only:
            counts[dept, tier] += n
    return counts


def tiers_by_department(shape: Counter) -> Chart:
    """Apps per department, stacked by computed tier."""
    bars = _department_tier_bars(_by_department_and_tier(shape, False), drift=False)
    high = sum(n for (_dept, tier, _drift), n in shape.items() if tier in (3, 4))
    total = sum(shape.values())
    return Chart("tiers_by_department", TITLES["tiers_by_department"],
                 (Panel(bars, horizontal=True),),
                 note=f"{total:,} apps; {high:,} ({high / total:.0%}) at Tier 3–4")


def tier_drift(shape: Counter) -> Chart:
    """Apps whose computed tier is above the approved one, per department and tier."""
    counts = _by_department_and_tier(shape, True)
    drifted, total = sum(counts.values()), sum(shape.values())
    bars = _department_tier_bars(counts, drift=True)
    note = f"{drifted:,} apps ({drifted / total:.0%}) grew beyond their approved tier: re-review"
    return Chart("tier_drift", TITLES["tier_drift"], (Panel(bars, horizontal=True),),
                 note=note, empty_text="No tier drift: every app is within its approved tier")


def platforms(session: Session) -> Chart:
    """Apps per platform (sprawl), split by whether the policy approves the platform."""
    counts = Counter(store.platform_counts(session))
    approved = policy_in_force(session).approved_platform_keys
    shown, other = _ranked(counts)
    bars = [_platform_bar(p, counts[p], approved) for p in shown]
    if other:
        bars.append(Bar("Other platforms", sum(counts[p] for p in other), "Other"))
    off_list = sum(n for p, n in counts.items() if p and name_key(p) not in approved)
    note = f"{len(counts) - (None in counts)} platforms"
    if approved:
        note += f"; {off_list:,} apps on platforms not on the approved list"
    return Chart("platforms", TITLES["platforms"], (Panel(tuple(bars), horizontal=True),),
                 note=note)


def _platform_bar(platform: str | None, n: int, approved: frozenset[str]) -> Bar:
    if platform is None:
        return Bar(NOT_RECORDED, n, "Not recorded")
    # With no approved list in the policy, every platform is simply "a platform".
    series = ("" if not approved else "Approved" if name_key(platform) in approved
              else UNAPPROVED_PLATFORM)
    return Bar(platform, n, series, {"platform": platform})


# --- warning signs and ownership: from the cached flags ----------------------------------

def flag_counts(session: Session) -> Counter:
    """Apps carrying each warning sign, plus "" for apps carrying any."""
    # Apps share a few thousand distinct flag combinations: each is split once.
    counts: Counter = Counter()
    for text, n in store.flag_combinations(session):
        counts[""] += n
        for name in set(text.split(";")):
            counts[name] += n
    return counts


def warning_signs(flags: Counter) -> Chart:
    """How many apps carry each warning sign, most common first."""
    names = sorted((n for n in FLAG_NAMES if flags[n]), key=lambda n: (-flags[n], n))
    bars = tuple(Bar(FLAG_LABELS[n], flags[n], "", {"flag": n}) for n in names)
    return Chart("warning_signs", TITLES["warning_signs"], (Panel(bars, horizontal=True),),
                 note=f"{flags['']:,} apps carry at least one warning sign",
                 empty_text="No warning signs on any app")


def ownership(session: Session, flags: Counter, apps: int,
              abandonment: Abandonment | None = None) -> Chart:
    """The people who own the most apps, and how many apps hang on one person or nobody
    (`abandonment`: the portfolio's rate, when already counted)."""
    top = top_owners(session)
    labels = _labels([(email, name) for email, name, _n in top])
    owners = tuple(Bar(label, n, "Apps owned", {"owner": email})
                   for label, (email, _name, n) in zip(labels, top))
    # The two signs are set on apps in service only (core.measures), so these counts are the
    # Ownership page's, the command line's and the audit workbook's.
    single, gone = flags[FlagName.SINGLE_OWNER], flags[FlagName.BUILDER_GONE]
    if abandonment is None:
        abandonment = portfolio_abandonment(session)
    spread = (Bar("Shared", apps - single - gone, "Shared"),
              Bar("Single owner", single, "Single owner", {"flag": FlagName.SINGLE_OWNER.value}),
              Bar("No active owner", gone, "No active owner", {"flag": FlagName.BUILDER_GONE.value}))
    panels = (Panel(owners, horizontal=True, title=f"Top {TOP_OWNERS} owners"),
              Panel(spread, title="Maintainers per app"))
    note = (f"{single:,} single-owner apps; {gone:,} with no active owner; abandonment "
            f"{abandonment.rate:.1%}: {abandonment.numerator:,} of {abandonment.denominator:,} "
            "apps of builders who left")
    return Chart("ownership", TITLES["ownership"], panels, note=note)


def top_owners(session: Session, limit: int = TOP_OWNERS) -> list[tuple[str, str | None, int]]:
    """(email, name, apps owned) of the people still here who own the most apps."""
    return store.top_owners(session, limit)


def _labels(people: list[tuple[str, str | None]]) -> list[str]:
    """A label per (email, name): the name, or the e-mail when the name is missing or shared."""
    names = Counter(name for _email, name in people)
    return [name if name and names[name] == 1 else email for email, name in people]


# --- people leaving ----------------------------------------------------------------------

def upcoming_leavers(session: Session, today: date) -> Chart:
    """People leaving within 90 days who own the most apps (each bar: their apps)."""
    _first, horizon = leaver_window(today)
    # one more than shown tells whether some are left out
    people, affected, rows = store.upcoming_leavers(session, today, TOP_LEAVERS + 1)
    shown = rows[:TOP_LEAVERS]
    labels = _labels([(email, name) for email, name, _when, _n in shown])
    bars = tuple(_leaver_bar(label, *row, today) for label, row in zip(labels, shown))
    note = f"{people:,} people leave by {horizon:%d %b %Y}, owning {affected:,} apps"
    if len(rows) > len(shown):
        note += f"; the {len(shown)} owning most are shown"
    return Chart("leavers", TITLES["leavers"], (Panel(bars, horizontal=True),), note=note,
                 empty_text=f"Nobody is leaving in the next {LEAVER_HORIZON_DAYS} days")


def _leaver_bar(label: str, email: str, _name, when: date, apps: int, today: date) -> Bar:
    urgency = "Within 30 days" if (when - today).days <= DUE_SOON_DAYS else "31–90 days"
    return Bar(f"{label} · {when:%d %b}", apps, urgency, {"owner": email})
