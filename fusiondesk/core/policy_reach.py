"""Which apps a policy change can move: the facts each setting reads, and where its old and
new values disagree on them (issue 17: a what-if on 100,000 apps in under 2 s). And which
apps the passing of days can move (`days_reach`): what keeps stored warning signs current.

Classifying every app under two policies costs seconds, yet a setting reads few facts:
`tier3.users` reads an app's users alone, so only an app whose users lie between the old
and the new threshold can move; every other app compares its users the same way under
both policies, and so gets the same tier and warning signs. A `Reach` describes those apps
as tests on a few facts, which the what-if reads narrowly for the whole portfolio before
it loads and classifies the apps that pass.

Each test covers every place the rules (core.tiers, core.flags, core.gate) read its
setting, and passes whenever one of those reads could come out differently; so an app
that passes no test is classified exactly as before. A test may pass more apps than will
move (they are classified and found unchanged), never fewer. A setting not declared here,
read or unread, cannot be bounded: the what-if then classifies everything (`policy_reach`
returns None), so a new setting is slow until declared, never wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from typing import Callable

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.gate import environment_stage
from fusiondesk.core.policy import Policy, name_key
from fusiondesk.core.terms import CRITICAL, Lifecycle, Support

_IN_PRODUCTION = Lifecycle.PRODUCTION.value
_NO_SUPPORT, _IT_SUPPORT = Support.NONE.value, Support.IT.value


@dataclass(frozen=True)
class FactTest:
    """Apps that may move: those whose `facts` (stored app fields) pass `moves`."""

    facts: tuple[str, ...]  # field names, e.g. ("users_at_last_review", "users")
    moves: Callable[..., bool]  # called with those facts' values, in that order
    # Only apps whose first fact is at least `low` and below `high` (an end left None is
    # open), or is one of `among`, can pass: the store reads those alone.
    low: int | date | None = None
    high: int | date | None = None
    among: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LinkTest:
    """Apps that may move: those with at least `at_least` integrations, whose systems (as
    stored, one per integration) pass `moves`."""

    at_least: int
    moves: Callable[[list[str]], bool]


@dataclass(frozen=True)
class Reach:
    """The apps a policy change can move; an app passing none of the tests cannot."""

    tests: tuple[FactTest, ...] = ()
    # Apps connected to a system whose spelling (as stored) passes this test.
    systems: Callable[[str], bool] | None = None
    # Apps with at least `at_least` integrations whose systems (as stored) pass `moves`.
    links: tuple[LinkTest, ...] = ()
    # Apps with an open review due, or a person among their owners (not through a team)
    # holding a certificate that expires, on or after the first day and before the second.
    falling_due: tuple[date, date] | None = None

    def __or__(self, other: Reach) -> Reach:
        """The apps either change can move (both changes made at once)."""
        return Reach(self.tests + other.tests, _either(self.systems, other.systems),
                     self.links + other.links,
                     _hull(self.falling_due, other.falling_due))


NOWHERE = Reach()


def policy_reach(before: Policy, after: Policy, today: date) -> Reach | None:
    """The apps changing `before` into `after` can move as of `today`; None when the change
    cannot be bounded (the caller classifies every app)."""
    reach = NOWHERE
    for attr in _changed(before, after):
        if attr in UNREAD:
            continue
        bound = _BOUNDS.get(attr)
        if bound is None:
            return None
        reach = reach | bound(before, after, today)
    return reach


def days_reach(since: date, today: date, policy: Policy) -> Reach:
    """The apps whose tier or warning signs can differ between classifying them on `since`
    and on `today` under `policy` (either day may be the later one).

    The rules read the day in three places only (core.flags, core.certification): a review
    due before the day is overdue, an app unused for the inactivity days is inactive, and
    a builder's certificate expiring before the day has lapsed. Each passes from one state
    to the other on one day, so the apps that can move are those whose date falls in the
    days between (a property test classifies the shipped sample on days apart to check it).
    """
    first, last = sorted((since, today))
    if first == last:
        return NOWHERE
    # inactive on day d: last used on or before d - inactivity days
    idle = timedelta(days=policy.inactivity_days - 1)
    return Reach((FactTest(("last_used",), _known, low=first - idle, high=last - idle),),
                 falling_due=(first, last))


def _known(value) -> bool:
    return value is not None


def _hull(first: tuple[date, date] | None, second: tuple[date, date] | None):
    """One span of days covering both (it may pass more apps, never fewer)."""
    if first is None or second is None:
        return first or second
    return min(first[0], second[0]), max(first[1], second[1])


def _changed(before: Policy, after: Policy) -> list[str]:
    """The Policy fields whose values differ (lists read together count as one)."""
    changed = [f.name for f in fields(Policy) if getattr(before, f.name) != getattr(after, f.name)]
    return list(dict.fromkeys(_READ_AS_ONE.get(name, name) for name in changed))


# --- the settings the rules read, and the apps each can move ----------------------------

def _threshold(attr: str) -> Callable:
    """A user threshold: core.tiers and the user-growth sign only ask `users >= threshold`."""
    def bound(before: Policy, after: Policy, _today: date) -> Reach:
        old, new = getattr(before, attr), getattr(after, attr)
        # users at or above one threshold and below the other: the band between them
        return Reach((FactTest(("users",), lambda users: users is not None
                               and (users >= old) != (users >= new),
                               low=min(old, new), high=max(old, new)),))
    return bound


def _growth(before: Policy, after: Policy, _today: date) -> Reach:
    """The user-growth factor: `users >= factor * users at the last review`, when that is > 0."""
    old, new = before.user_growth_factor, after.user_growth_factor

    def moves(reviewed, users) -> bool:
        return (users is not None and bool(reviewed) and reviewed > 0
                and (users >= old * reviewed) != (users >= new * reviewed))
    # counts are whole numbers: more than none reviewed is at least one
    return Reach((FactTest(("users_at_last_review", "users"), moves, low=1),))


def _inactivity(before: Policy, after: Policy, today: date) -> Reach:
    """The inactive sign: days since last used `>=` the inactivity days."""
    old, new = before.inactivity_days, after.inactivity_days
    fewest, most = sorted((old, new))

    @cache  # a portfolio's last-used days repeat
    def moves(last_used) -> bool:
        if last_used is None:
            return False
        idle = (today - last_used).days
        return (idle >= old) != (idle >= new)
    # idle at least `fewest` and fewer than `most` days: last used in that window of days
    return Reach((FactTest(("last_used",), moves, low=today - timedelta(days=most - 1),
                           high=today - timedelta(days=fewest - 1)),))


def _complex_integration(before: Policy, after: Policy, _today: date) -> Reach:
    """The complex-integration sign: an app's distinct systems `>=` the setting."""
    old, new = before.complex_integration_systems, after.complex_integration_systems

    def moves(systems: list[str]) -> bool:
        # one system listed twice (SAP:read, sap:write) is one, as the survey counts it
        count = len({_system_key(system) for system in systems})
        return (count >= old) != (count >= new)
    # an app has at least as many integrations as distinct systems
    return Reach(links=(LinkTest(min(old, new), moves),))


def _critical_support(before: Policy, after: Policy, _today: date) -> Reach:
    """Whether team support is enough for a critical app: read only for a high or
    mission-critical app supported by a level that is neither none nor IT."""
    def moves(criticality, support) -> bool:
        return (criticality in CRITICAL and support is not None
                and support not in (_NO_SUPPORT, _IT_SUPPORT))
    return Reach((FactTest(("criticality", "support"), moves, among=tuple(CRITICAL)),))


def _platforms(before: Policy, after: Policy, _today: date) -> Reach:
    """The unapproved-platform sign, raised on a named platform while a list is kept."""
    @cache  # a portfolio names few platforms, and every app asks
    def moves(platform) -> bool:
        return bool(platform) and _unapproved(platform, before) != _unapproved(platform, after)
    return Reach((FactTest(("platform",), moves),))


def _unapproved(platform: str, policy: Policy) -> bool:
    return bool(policy.approved_platforms) and name_key(platform) not in policy.approved_platform_keys


def _environments(before: Policy, after: Policy, _today: date) -> Reach:
    """The production gate reads an environment's stage for apps in production only."""
    @cache  # environments and their types repeat across the portfolio
    def moves(lifecycle, environment_type, environment) -> bool:
        return lifecycle == _IN_PRODUCTION and (
            _stage(environment_type, environment, before)
            != _stage(environment_type, environment, after))
    return Reach((FactTest(("lifecycle", "environment_type", "environment"), moves,
                           among=(_IN_PRODUCTION,)),))


def _stage(environment_type: str | None, environment: str | None, policy: Policy) -> str | None:
    # the gate's own rule, on the two facts it reads (the type decides, else the name)
    where = AppFacts(app_id="", name="", environment_type=environment_type,
                     environment=environment)
    return environment_stage(where, policy)


def _connectors(before: Policy, after: Policy, _today: date) -> Reach:
    """The connector groups and system lists, read per integration by the same system name
    (core.flags.survey_integrations): links to a system both policies treat alike resolve
    alike on every app, whatever its platform or what its record says."""
    changed = _systems_treated_differently(before, after)
    unlisted_moved = before.unlisted_connector_group != after.unlisted_connector_group
    old, new = before.connector_rules.listed, after.connector_rules.listed

    @cache  # one answer per spelling: the portfolio's distinct systems are asked
    def moves(system: str) -> bool:
        key = _system_key(system)
        # the default group is read for a connector no list names (on some platform)
        return key in changed or (unlisted_moved and (key not in old or key not in new))
    return Reach(systems=moves)


def _system_key(system: str) -> str:
    """How core.flags.survey_integrations tells systems apart."""
    return (system.strip() or "(unnamed)").casefold()


def _systems_treated_differently(before: Policy, after: Policy) -> frozenset[str]:
    """Connector keys the two policies list in different groups, or as external API or
    enterprise system on one side only."""
    old, new = before.connector_rules, after.connector_rules
    listed = {key for key in old.listed.keys() | new.listed.keys()
              if old.listed.get(key) != new.listed.get(key)}
    # (platform, connector) -> group entries on one side only: that connector, on any platform
    by_platform = {connector for (_platform, connector), _group
                   in set(old.by_platform.items()) ^ set(new.by_platform.items())}
    return frozenset(listed | by_platform
                     | (before.external_api_keys ^ after.external_api_keys)
                     | (before.enterprise_system_keys ^ after.enterprise_system_keys))


# Settings read together, bounded as one: the connector groups build one set of lookups
# (Policy.connector_rules) and the system lists sit beside them in the same survey; the
# three environment lists make one map of stages (Policy.environment_stages).
_CONNECTOR_LISTS = ("approved_connectors", "non_business_connectors", "blocked_connectors",
                    "unlisted_connector_group", "external_apis", "enterprise_systems")
_ENVIRONMENT_LISTS = ("production_environments", "test_environments", "development_environments")
_READ_AS_ONE = {**dict.fromkeys(_CONNECTOR_LISTS, "connectors"),
                **dict.fromkeys(_ENVIRONMENT_LISTS, "environments")}

_BOUNDS: dict[str, Callable[[Policy, Policy, date], Reach]] = {
    "tier3_users": _threshold("tier3_users"),
    "tier4_users": _threshold("tier4_users"),
    "user_growth_factor": _growth,
    "inactivity_days": _inactivity,
    "complex_integration_systems": _complex_integration,
    "critical_needs_it_support": _critical_support,
    "approved_platforms": _platforms,
    "environments": _environments,
    "connectors": _connectors,
}

# Settings no tier or warning-sign rule reads: review timings (the schedule is stored per
# review), the programme's value, and the version number. Changing them moves no app.
UNREAD = frozenset((
    "review_sla_hours", "review_cadence_days", "hourly_rate", "prodev_day_rate",
    "prodev_day_hours", "licence_standard", "licence_premium", "licence_per_app",
    "licence_process", "currency", "version",
))

# Every Policy field, as this module sorts it (tests check each field is sorted).
DECLARED = frozenset((*(name for name in _BOUNDS if name not in _READ_AS_ONE.values()),
                      *_READ_AS_ONE, *UNREAD))


def _either(first, second):
    if first is None or second is None:
        return first or second
    return lambda system: first(system) or second(system)

