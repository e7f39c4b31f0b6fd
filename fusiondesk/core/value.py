"""What an app is worth, from its value ledger and the policy's assumptions.

The ledger is what its owners recorded: hours saved (per month, or per run with runs per
month), the pro-dev estimate the app replaced, its licence plan and cost. From it:

- **hours saved per year**: runs a month × minutes a run ÷ 60 × 12 when both are known
  (runs are what the platform counts, so that form is preferred), else the hours saved a
  month × 12; unknown when neither form is complete.
- **saved value**: the hours a year at the policy's hourly rate.
- **pro-dev cost avoided**: the estimate in hours ÷ hours a pro-dev day × the day rate
  (a one-off: the build the programme did not have to pay pro-devs for).
- **licence cost** (a year): the app's own monthly cost × 12, else its plan's price in
  the policy × 12; unknown when it has neither.
- **net value** (the first year): saved value + cost avoided − licence cost.
- **payback** (months): the year's licence, less the cost avoided, over the saved value a
  month — how long the saved hours take to pay for the licence; 0 when the cost avoided
  covers it, None when the app saves nothing the licence could be paid from.

Unknown inputs stay unknown (None) and are counted, never taken as zero: a figure that
needs an unknown input is unknown itself. Totals add the known figures and say how
many inputs were unknown, so a sponsor reads "at least", not a made-up whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from fusiondesk.core.policy import LICENCE_PLANS, Policy, name_key

MONTHS = 12


class Ledger(NamedTuple):
    """An app's value ledger as recorded; None is unknown.

    Named tuples, this and AppValue: 100,000 apps hold tens of thousands of distinct
    ledgers, and a tuple is made several times faster than a frozen dataclass.
    """

    hours_saved_per_month: int | None = None
    minutes_saved_per_run: int | None = None
    runs_per_month: int | None = None
    prodev_estimate_hours: int | None = None
    licence: str | None = None  # the plan as written: "Standard", "Premium", ...
    licence_cost_per_month: int | None = None


@dataclass(frozen=True, slots=True)
class Assumptions:
    """The policy's rates and prices the money figures rest on."""

    hourly_rate: int
    prodev_day_rate: int
    prodev_day_hours: int
    plan_prices: dict[str, int]  # by name_key(plan): the monthly cost of one app
    currency: str

    @classmethod
    def from_policy(cls, policy: Policy) -> Assumptions:
        """The assumptions of the policy in force."""
        prices = {name_key(plan): getattr(policy, attr) for plan, _key, attr in LICENCE_PLANS}
        return cls(policy.hourly_rate, policy.prodev_day_rate, policy.prodev_day_hours, prices,
                   policy.currency[0] if policy.currency else "")

    def plan_price(self, plan: str | None) -> int | None:
        """A plan's monthly price per app; None for no plan or one the policy does not price."""
        return None if plan is None else self.plan_prices.get(name_key(plan))

    def money(self, amount: float | None) -> str:
        """An amount as a sponsor reads it: '12,400 USD'; 'unknown' for None."""
        return "unknown" if amount is None else f"{amount:,.0f} {self.currency}".strip()


class AppValue(NamedTuple):
    """One app's figures (None: unknown) and how many of its three inputs were unknown."""

    hours_saved_per_year: float | None
    saved_value: float | None
    cost_avoided: float | None
    licence_cost: float | None  # a year
    unknown_hours: bool
    unknown_estimate: bool
    unknown_licence: bool

    @property
    def unknown_inputs(self) -> int:
        """How many of hours saved, pro-dev estimate and licence cost are unknown."""
        return self.unknown_hours + self.unknown_estimate + self.unknown_licence

    @property
    def net_value(self) -> float | None:
        """Saved value + cost avoided − licence cost; unknown when any of them is."""
        if None in (self.saved_value, self.cost_avoided, self.licence_cost):
            return None
        return self.saved_value + self.cost_avoided - self.licence_cost

    @property
    def payback_months(self) -> float | None:
        """Months of saved value that pay the year's licence (see the module's docstring)."""
        return payback_months(self.saved_value, self.cost_avoided, self.licence_cost)


def hours_per_year(ledger: Ledger) -> float | None:
    """Hours saved a year: the per-run form when complete, else the per-month one."""
    if ledger.minutes_saved_per_run is not None and ledger.runs_per_month is not None:
        return ledger.minutes_saved_per_run * ledger.runs_per_month / 60 * MONTHS
    if ledger.hours_saved_per_month is not None:
        return float(ledger.hours_saved_per_month * MONTHS)
    return None


def licence_per_month(ledger: Ledger, assumptions: Assumptions) -> int | None:
    """The app's own monthly licence cost, else its plan's price; None when neither is known."""
    if ledger.licence_cost_per_month is not None:
        return ledger.licence_cost_per_month
    return assumptions.plan_price(ledger.licence)


def app_value(ledger: Ledger, assumptions: Assumptions) -> AppValue:
    """The figures of one app."""
    hours = hours_per_year(ledger)
    estimate = ledger.prodev_estimate_hours
    monthly = licence_per_month(ledger, assumptions)
    return AppValue(
        hours_saved_per_year=hours,
        saved_value=None if hours is None else hours * assumptions.hourly_rate,
        cost_avoided=None if estimate is None else _days(estimate, assumptions) * assumptions.prodev_day_rate,
        licence_cost=None if monthly is None else monthly * MONTHS,
        unknown_hours=hours is None, unknown_estimate=estimate is None,
        unknown_licence=monthly is None)


def payback_months(saved_value: float | None, cost_avoided: float | None,
                   licence_cost: float | None) -> float | None:
    """Months until the saved value pays a year's licence net of the cost avoided."""
    if None in (saved_value, cost_avoided, licence_cost):
        return None
    owed = max(0.0, licence_cost - cost_avoided)
    if not owed:
        return 0.0
    return owed / (saved_value / MONTHS) if saved_value else None


def _days(hours: int, assumptions: Assumptions) -> float:
    return hours / assumptions.prodev_day_hours


@dataclass(slots=True)
class ValueTotals:
    """The known figures of many apps added up, and how many inputs were unknown.

    A total is unknown (None) only when no app of the group knows its input: the sum of
    the known ones is a floor ("at least"), and the unknown count says how much is missing.
    """

    apps: int = 0
    known_hours: float = 0.0  # the sums over the apps that know each input
    known_saved: float = 0.0
    known_avoided: float = 0.0
    known_licence: float = 0.0
    unknown_hours: int = 0
    unknown_estimate: int = 0
    unknown_licence: int = 0
    backlog_items: int = 0  # IT backlog items the apps absorbed

    def add(self, value: AppValue, apps: int = 1, backlog_items: int = 0) -> None:
        """Count `apps` apps alike in `value` (the store groups alike ledgers)."""
        self.apps += apps
        self.backlog_items += backlog_items
        if value.unknown_hours:
            self.unknown_hours += apps
        else:
            self.known_hours += value.hours_saved_per_year * apps
            self.known_saved += value.saved_value * apps
        if value.unknown_estimate:
            self.unknown_estimate += apps
        else:
            self.known_avoided += value.cost_avoided * apps
        if value.unknown_licence:
            self.unknown_licence += apps
        else:
            self.known_licence += value.licence_cost * apps

    def merge(self, other: ValueTotals) -> None:
        """Add another group's totals to these."""
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def _known(self, total: float, unknown: int) -> float | None:
        return None if self.apps and unknown == self.apps else total

    @property
    def hours_saved_per_year(self) -> float | None:
        """Hours saved a year by the apps that record them; None when none does."""
        return self._known(self.known_hours, self.unknown_hours)

    @property
    def saved_value(self) -> float | None:
        """Those hours at the hourly rate; None when no app records hours saved."""
        return self._known(self.known_saved, self.unknown_hours)

    @property
    def cost_avoided(self) -> float | None:
        """Pro-dev cost avoided by the apps with an estimate; None when none has one."""
        return self._known(self.known_avoided, self.unknown_estimate)

    @property
    def licence_cost(self) -> float | None:
        """A year of licences of the apps whose cost is known; None when none is."""
        return self._known(self.known_licence, self.unknown_licence)

    @property
    def unknown_inputs(self) -> int:
        """Unknown inputs across the apps (at most three an app), none counted as zero."""
        return self.unknown_hours + self.unknown_estimate + self.unknown_licence

    @property
    def net_value(self) -> float | None:
        """The known saved value and cost avoided, less the known licence cost."""
        parts = (self.saved_value, self.cost_avoided, self.licence_cost)
        return None if None in parts else parts[0] + parts[1] - parts[2]

    @property
    def payback_months(self) -> float | None:
        """Payback of the known figures taken together."""
        return payback_months(self.saved_value, self.cost_avoided, self.licence_cost)


@dataclass(slots=True)
class ValueBreakdown:
    """Totals for everything, and per department, platform and delivery quarter."""

    total: ValueTotals = field(default_factory=ValueTotals)
    by_department: dict[str | None, ValueTotals] = field(default_factory=dict)
    by_platform: dict[str | None, ValueTotals] = field(default_factory=dict)
    by_quarter: dict[str | None, ValueTotals] = field(default_factory=dict)

    def add(self, value: AppValue, department: str | None, platform: str | None,
            quarter: str | None, apps: int = 1, backlog_items: int = 0) -> None:
        """Count alike apps in the total and in each of their groups."""
        for totals in (self.total, _group(self.by_department, department),
                       _group(self.by_platform, platform), _group(self.by_quarter, quarter)):
            totals.add(value, apps, backlog_items)

    @classmethod
    def from_cells(cls, cells: dict[tuple, ValueTotals]) -> ValueBreakdown:
        """The breakdown of totals already added up per (department, platform, quarter).

        100,000 apps fall into a few thousand such cells: adding each app once to its cell
        and the cells to the groups costs a quarter of adding every app to four groups.
        """
        found = cls()
        for (department, platform, quarter), totals in cells.items():
            for group in (found.total, _group(found.by_department, department),
                          _group(found.by_platform, platform), _group(found.by_quarter, quarter)):
                group.merge(totals)
        return found


def _group(groups: dict, key) -> ValueTotals:
    found = groups.get(key)
    if found is None:
        found = groups[key] = ValueTotals()
    return found
