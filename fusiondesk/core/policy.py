"""The governance policy: tier thresholds, approved lists, review timings, flag limits.

The CoE lead edits it; the portfolio stores each edit as a new version. The
defaults live in resources/policy.toml so they read like a commented document.
Every key is declared once in `_KEYS`, which drives loading, validation, the
TOML-shaped dict, text parsing and the policy form (label, topic, unit and range
sit on the same line, so a new key cannot reach the form half-described).
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any

from fusiondesk.core.governance import GOVERNANCE
from fusiondesk.core.resources import resource_path

INT, FLOAT, BOOL, NAMES = "int", "float", "bool", "names"
CHOICE = "choice"  # one of the key's `choices`
_TRUE = frozenset(("yes", "y", "true", "t", "1", "on"))
_FALSE = frozenset(("no", "n", "false", "f", "0", "off"))


class PolicyError(ValueError):
    """A policy value a person gave is not allowed; the message says which key and why.

    `hint` says the same in the form's words, to show next to the field (no key names).
    """

    def __init__(self, message: str, key: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.key = key
        self.hint = hint or message


def name_key(name: str) -> str:
    """How a platform or system name is compared: trimmed, case-insensitive."""
    return name.strip().casefold()


@dataclass(frozen=True)
class Policy:
    """The rules in force. Lists keep the lead's spelling; lookups ignore case."""

    tier3_users: int
    tier4_users: int
    approved_platforms: tuple[str, ...]
    approved_connectors: tuple[str, ...]
    external_apis: tuple[str, ...]
    enterprise_systems: tuple[str, ...]
    inactivity_days: int
    user_growth_factor: float
    complex_integration_systems: int
    critical_needs_it_support: bool
    review_sla_hours: tuple[int, int, int, int]  # by tier, 1..4; 0 = none
    review_cadence_days: tuple[int, int, int, int]  # by tier, 1..4; 0 = on change only
    # The environment types (Power Platform's Default, Sandbox, ...) or names of each stage.
    production_environments: tuple[str, ...] = ()
    test_environments: tuple[str, ...] = ()
    development_environments: tuple[str, ...] = ()
    # Connector groups (core.connectors): approved_connectors is the Business group.
    non_business_connectors: tuple[str, ...] = ()
    blocked_connectors: tuple[str, ...] = ()
    unlisted_connector_group: str = "non_business"
    # What the programme's value is counted in (core.value): money in whole units.
    hourly_rate: int = 50  # a saved hour of business time
    prodev_day_rate: int = 800  # a pro-dev day, the cost an app avoided
    prodev_day_hours: int = 8  # hours in a pro-dev day: an estimate in hours, priced by the day
    licence_standard: int = 0  # a plan's cost per app and month, when the app's own is unknown
    licence_premium: int = 20
    licence_per_app: int = 5
    licence_process: int = 150
    currency: tuple[str, ...] = ("USD",)  # one name: the code money figures are shown in
    version: int = 1

    # Lowercase sets are built once per policy, not once per app classified.
    @cached_property
    def approved_platform_keys(self) -> frozenset[str]:
        """Approved platforms, normalised for lookup."""
        return frozenset(map(name_key, self.approved_platforms))

    @cached_property
    def connector_rules(self):
        """The connector groups as lookups (core.connectors.ConnectorRules)."""
        # imported here: core.connectors reads the vocabulary only, but a policy is what it reads
        from fusiondesk.core.connectors import ConnectorRules

        return ConnectorRules.of({"business": self.approved_connectors,
                                  "non_business": self.non_business_connectors,
                                  "blocked": self.blocked_connectors},
                                 self.unlisted_connector_group)

    @cached_property
    def external_api_keys(self) -> frozenset[str]:
        """Systems taken as external APIs, normalised for lookup."""
        return frozenset(map(name_key, self.external_apis))

    @cached_property
    def enterprise_system_keys(self) -> frozenset[str]:
        """Enterprise systems, normalised for lookup."""
        return frozenset(map(name_key, self.enterprise_systems))

    @cached_property
    def environment_stages(self) -> dict[str, str]:
        """Environment type or name (normalised) -> its stage; production wins a tie."""
        stages: dict[str, str] = {}
        for stage, names in (("development", self.development_environments),
                             ("test", self.test_environments),
                             ("production", self.production_environments)):
            stages.update(dict.fromkeys(map(name_key, names), stage))
        return stages

    def users_threshold(self, tier: int) -> int | None:
        """The user count that alone puts an app in `tier` (only Tiers 3 and 4 have one)."""
        return {3: self.tier3_users, 4: self.tier4_users}.get(tier)

    def sla_hours(self, tier: int) -> int | None:
        """Hours a review of a `tier` app may take; None when nobody reviews it."""
        return self.review_sla_hours[tier - 1] or None

    def cadence_days(self, tier: int) -> int | None:
        """Days between periodic reviews of a `tier` app; None for on change only."""
        return self.review_cadence_days[tier - 1] or None


class PolicyTopic(StrEnum):
    """The pages of the policy form, in the order a CoE lead reads them."""

    TIERS = "Tiers"
    REVIEWS = "Reviews"
    PLATFORMS = "Platforms"
    CONNECTORS = "Connectors and systems"
    WARNING_SIGNS = "Warning signs"
    ENVIRONMENTS = "Environments"
    VALUE = "Programme value"


class PortfolioNames(StrEnum):
    """Which of the portfolio's own names a list setting is completed from."""

    PLATFORMS = "platforms"
    SYSTEMS = "systems"  # the systems integrations connect to
    ENVIRONMENTS = "environments"  # environment types and names
    CURRENCIES = "currencies"  # nothing in the portfolio names one: typed, not completed


@dataclass(frozen=True)
class Shown:
    """How a key appears in the policy form: label, topic, tooltip, unit, upper bound, completion."""

    label: str
    topic: PolicyTopic
    tip: str  # the tooltip: what the setting changes, in DOMAIN.md's words
    unit: str = ""  # after the number: "users", "days", "hours", "×"
    maximum: float | None = None  # inclusive; the loader refuses more, the form cannot go past it
    zero_means: str = ""  # what 0 stands for, where 0 is allowed and means "none"
    names_from: PortfolioNames | None = None


@dataclass(frozen=True)
class PolicyKey:
    """One editable policy key: its dotted name, the Policy field, kind and meaning."""

    key: str
    attr: str
    kind: str
    description: str
    minimum: float = 0
    tier: int | None = None  # for per-tier tuples: which tier's slot
    choices: tuple[str, ...] = ()  # for CHOICE keys: the values allowed, in the form's order
    shown: Shown = field(kw_only=True)  # required: every key is on the form


# Generous upper bounds: they catch a slipped digit, never a real portfolio's policy.
MOST_USERS = 10_000_000
MOST_DAYS = 3650  # ten years
MOST_HOURS = 8760  # a year
def _tier_keys() -> tuple[PolicyKey, ...]:
    keys = []
    for tier in (4, 3, 2, 1):
        review = GOVERNANCE[tier].review
        keys.append(PolicyKey(
            f"tier{tier}.review_sla_hours", "review_sla_hours", INT,
            f"Hours a Tier {tier} review ({review}) may take before it is overdue "
            "(0: no reviewer).", 0, tier,
            shown=Shown(f"Tier {tier} review may take", PolicyTopic.REVIEWS,
                        f"Reviews of Tier {tier} apps ({review}): a requested review is due this many "
                        "hours later and counts as overdue after that. No reviewer: the builder "
                        "self-certifies and nothing falls due.",
                        "hours", MOST_HOURS, "No reviewer")))
        keys.append(PolicyKey(
            f"tier{tier}.review_cadence_days", "review_cadence_days", INT,
            f"Days between periodic reviews of a Tier {tier} app; completing one schedules "
            "the next (0: on change only).", 0, tier,
            shown=Shown(f"Tier {tier} reviewed every", PolicyTopic.REVIEWS,
                        f"Completing a periodic review of a Tier {tier} app schedules the next "
                        "one this many days later (91 is quarterly, 182 every six months, 365 "
                        "yearly). On change only: no schedule, reviewed when the app changes.",
                        "days", MOST_DAYS, "On change only")))
    return tuple(keys)


def _users_tip(tier: int) -> str:
    model = GOVERNANCE[tier]
    return (f"An app with at least this many active users is Tier {tier} or higher "
            f"({model.builder}; {model.review}). Inclusive: an app with "
            "exactly this many users is in the tier. Any other Tier "
            f"{tier} criterion is enough on its own.")


def _connector_group_keys() -> tuple[PolicyKey, ...]:
    """The DLP groups (core.connectors). 'approved' is the Business group's key: the name
    existing policy files use, so they load and classify as before."""
    where = (" 'Platform: Connector' holds on that platform only (e.g. 'Power Automate: "
             "Twitter'); it beats the name alone.")
    return (
        PolicyKey("connectors.approved", "approved_connectors", NAMES,
                  "Business connectors (the DLP Business group; 'approved' for short): "
                  "others are unapproved unless the record says so.",
                  shown=Shown("Business", PolicyTopic.CONNECTORS,
                              "Connectors approved for business data (the DLP Business group). "
                              "An integration whose record does not say is approved only when "
                              "its system is listed here; any other is an unapproved connector, "
                              "which makes the app Tier 3. Unknown is never treated as safe."
                              + where, names_from=PortfolioNames.SYSTEMS)),
        PolicyKey("connectors.non_business", "non_business_connectors", NAMES,
                  "Non-business connectors (personal and consumer services): allowed, but "
                  "never in one app with a business connector.",
                  shown=Shown("Non-business", PolicyTopic.CONNECTORS,
                              "Connectors for personal or consumer data (the DLP Non-business "
                              "group). An app may use them, but not together with a business "
                              "connector: that shows the mixed connectors warning sign. They "
                              "are not approved for business data, so they make an app Tier 3."
                              + where, names_from=PortfolioNames.SYSTEMS)),
        PolicyKey("connectors.blocked", "blocked_connectors", NAMES,
                  "Blocked connectors: an app using one is flagged and at least Tier 3.",
                  shown=Shown("Blocked", PolicyTopic.CONNECTORS,
                              "Connectors no app may use (the DLP Blocked group). An app using "
                              "one shows the blocked connector warning sign and is at least "
                              "Tier 3, even when its record says approved. Power Platform cannot "
                              "block the core Microsoft 365 connectors (SharePoint, Teams, "
                              "Dataverse, ...)." + where, names_from=PortfolioNames.SYSTEMS)),
        PolicyKey("connectors.unlisted", "unlisted_connector_group", CHOICE,
                  "The group of a connector on no list (business, non_business or blocked).",
                  choices=("business", "non_business", "blocked"),
                  shown=Shown("Connectors on no list are", PolicyTopic.CONNECTORS,
                              "The default group: where a connector nobody has classified "
                              "counts when the warning signs look for mixed or blocked "
                              "connectors (Power Platform starts new connectors in "
                              "Non-business). An unlisted connector is an unapproved connector "
                              "whatever its group, unless its record says approved.")),
    )


_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey("tier4.users", "tier4_users", INT,
              "Active users at or above which an app is Tier 4.", 1,
              shown=Shown("Tier 4 from", PolicyTopic.TIERS, _users_tip(4), "users", MOST_USERS)),
    PolicyKey("tier3.users", "tier3_users", INT,
              "Active users at or above which an app is at least Tier 3 (below tier4.users).", 1,
              shown=Shown("Tier 3 from", PolicyTopic.TIERS,
                          _users_tip(3) + " Must stay below the Tier 4 threshold.",
                          "users", MOST_USERS - 1)),
    *_tier_keys(),
    PolicyKey("platforms.approved", "approved_platforms", NAMES,
              "Platforms the CoE supports; others are flagged (empty: no list kept).",
              shown=Shown("Approved platforms", PolicyTopic.PLATFORMS,
                          "The platforms the CoE supports. An app on any other platform shows "
                          "the platform sprawl warning sign. An empty list means no list is "
                          "kept and nothing is flagged. Names match ignoring case, but exactly: "
                          "list each spelling your inventories use.",
                          names_from=PortfolioNames.PLATFORMS)),
    *_connector_group_keys(),
    PolicyKey("connectors.external_apis", "external_apis", NAMES,
              "Systems taken as external APIs when an integration's record does not say.",
              shown=Shown("External APIs", PolicyTopic.CONNECTORS,
                          "Systems outside the company, such as generic HTTP calls and "
                          "third-party services. Calling one makes an app Tier 3. Used when an "
                          "integration's record does not say whether its system is an external API.",
                          names_from=PortfolioNames.SYSTEMS)),
    PolicyKey("systems.enterprise", "enterprise_systems", NAMES,
              "Enterprise systems (ERP, CRM, HRIS, finance) when the record does not say.",
              shown=Shown("Enterprise systems", PolicyTopic.CONNECTORS,
                          "ERP, CRM, HRIS, finance and IT service management systems. Writing to "
                          "one makes an app Tier 4, and its integration review names it. Used when "
                          "an integration's record does not say whether its system is one.",
                          names_from=PortfolioNames.SYSTEMS)),
    PolicyKey("flags.inactivity_days", "inactivity_days", INT,
              "Days without use after which an app is flagged inactive.", 1,
              shown=Shown("Inactive after", PolicyTopic.WARNING_SIGNS,
                          "An app not used for this many days (inclusive) shows the inactive "
                          "warning sign and is an archive candidate; when its builder leaves, "
                          "the handover triage proposes to archive it unless it is critical. An "
                          "unknown last-used date never counts as inactive.",
                          "days", MOST_DAYS)),
    PolicyKey("flags.user_growth_factor", "user_growth_factor", FLOAT,
              "Growth since the last review (e.g. 2.0 = doubled) that flags user growth.", 1,
              shown=Shown("User growth flagged at", PolicyTopic.WARNING_SIGNS,
                          "An app whose users reached this multiple of the count at its last "
                          "review shows the user growth warning sign and needs re-review "
                          "(2.00× is doubled). Crossing a tier's user threshold is flagged too.",
                          "×", 100)),
    PolicyKey("flags.complex_integration_systems", "complex_integration_systems", INT,
              "Connected systems from which an integration architecture counts as complex.", 2,
              shown=Shown("Complex integration from", PolicyTopic.WARNING_SIGNS,
                          "An app connected to this many distinct systems shows the complex "
                          "integration warning sign (asynchronous or event-driven links count "
                          "as complex at any number).",
                          "systems", 100)),
    PolicyKey("flags.critical_needs_it_support", "critical_needs_it_support", BOOL,
              "Whether a high or mission-critical app needs IT support, not just its team.",
              shown=Shown("High and mission-critical apps need IT support", PolicyTopic.WARNING_SIGNS,
                          "Checked: a high or mission-critical app supported only by its team "
                          "shows the critical-without-support warning sign: it needs IT support. "
                          "Unchecked: team support is enough. No support, unknown support and a "
                          "missing DR plan are flagged either way.")),
    *(PolicyKey(f"environments.{stage}", f"{stage}_environments", NAMES,
                f"Environment types or names that are {stage} environments.",
                shown=Shown(label, PolicyTopic.ENVIRONMENTS, tip,
                            names_from=PortfolioNames.ENVIRONMENTS))
      for stage, label, tip in (
          ("production", "Production environments",
           "Environment types (Power Platform's Production) or environment names where apps "
           "run in production. A Tier 2 or higher app in production must pass a "
           "production-readiness review and be documented."),
          ("test", "Test environments",
           "Environment types (Sandbox) or names used for testing. An app in production use "
           "here shows the 'in use outside production' warning sign."),
          ("development", "Development environments",
           "Environment types (Default, Developer, Trial, Teams) or names meant for building "
           "and personal productivity. An app in production use here shows the 'in use "
           "outside production' warning sign. An environment in no list has no known stage "
           "and raises nothing."))),
)

# The programme's value (core.value): the assumptions its money figures rest on.
MOST_MONEY = 10_000_000
# (plan as written on the app, policy key name, attribute): the plans priced by the policy.
LICENCE_PLANS = (("Standard", "standard", "licence_standard"),
                 ("Premium", "premium", "licence_premium"),
                 ("Per app", "per_app", "licence_per_app"),
                 ("Process", "process", "licence_process"))
_VALUE_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey("value.hourly_rate", "hourly_rate", INT,
              "What an hour of business time saved is worth, in the policy's currency.", 1,
              shown=Shown("A saved hour is worth", PolicyTopic.VALUE,
                          "Hours an app saves a year are valued at this rate (the loaded cost "
                          "of an hour of the people who used to do the work by hand). Apps "
                          "with no hours saved recorded stay unknown, never zero.",
                          "per hour", MOST_MONEY)),
    PolicyKey("value.prodev_day_rate", "prodev_day_rate", INT,
              "What a pro-dev day costs: an app's pro-dev estimate is priced at this rate.", 1,
              shown=Shown("A pro-dev day costs", PolicyTopic.VALUE,
                          "The pro-dev cost an app avoided is its pro-dev estimate (the build "
                          "it replaced) at this day rate. Tier 1–2 solutions are typically "
                          "worth 0.5–2 pro-dev days each.", "per day", MOST_MONEY)),
    PolicyKey("value.prodev_day_hours", "prodev_day_hours", INT,
              "Working hours in a pro-dev day (estimates are kept in hours).", 1,
              shown=Shown("A pro-dev day has", PolicyTopic.VALUE,
                          "Pro-dev estimates are recorded in hours; this many make one day "
                          "at the day rate.", "hours", 24)),
    *(PolicyKey(f"value.licence_{key}", attr, INT,
                f"Monthly licence cost of one app on the {plan} plan, when its own is unknown.",
                shown=Shown(f"{plan} plan costs", PolicyTopic.VALUE,
                            f"An app on the {plan} plan with no licence cost of its own is "
                            "counted at this cost per month. An app on a plan not listed "
                            "here, or with no plan, has an unknown licence cost.",
                            "per app a month", MOST_MONEY, "Included, no cost"))
      for plan, key, attr in LICENCE_PLANS),
    PolicyKey("value.currency", "currency", NAMES,
              "The currency money figures are in (the first name is used).",
              shown=Shown("Currency", PolicyTopic.VALUE,
                          "The currency the rates and prices above are in, e.g. USD or EUR; "
                          "every money figure is shown in it. Only the first name counts.",
                          names_from=PortfolioNames.CURRENCIES)),
)
_KEYS = (*_KEYS, *_VALUE_KEYS)
_KEY_BY_NAME = {k.key: k for k in _KEYS}
VERSION_KEY = "version"


def policy_keys() -> list[str]:
    """Every editable dotted key, in the order the editor shows them."""
    return [k.key for k in _KEYS]


def describe_policy_key(key: str) -> str:
    """The one-line description of a dotted key."""
    return _spec(key).description


def policy_key_kind(key: str) -> str:
    """The kind of value a key takes: int, float, bool or names."""
    return _spec(key).kind


def _spec(key: str) -> PolicyKey:
    if key == VERSION_KEY:
        raise PolicyError("The policy 'version' is kept by the portfolio and cannot be set.", key)
    spec = _KEY_BY_NAME.get(key)
    if spec is None:
        raise PolicyError(_unknown_key_message(key), key)
    return spec


def _unknown_key_message(key: str) -> str:
    close = difflib.get_close_matches(key, _KEY_BY_NAME, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"Unknown policy key '{key}'.{hint} Known keys: {', '.join(_KEY_BY_NAME)}."


def _not_a_section_message(section: str) -> str:
    keys = [k for k in _KEY_BY_NAME if k.startswith(section + ".")]
    if not keys:
        return _unknown_key_message(section)
    return f"Policy section '{section}' must hold keys ({', '.join(keys)}), not a single value."


# --- values: read, check, write ------------------------------------------------

def get_policy_value(policy: Policy, key: str) -> Any:
    """The value of a dotted key (lists as tuples)."""
    return _get(policy, _spec(key))


def _get(policy: Policy, spec: PolicyKey) -> Any:
    value = getattr(policy, spec.attr)
    return value[spec.tier - 1] if spec.tier else value


def _with(policy: Policy, spec: PolicyKey, value: Any) -> Policy:
    if spec.tier:
        slots = list(getattr(policy, spec.attr))
        slots[spec.tier - 1] = value
        value = tuple(slots)
    return replace(policy, **{spec.attr: value})


def _checked(spec: PolicyKey, value: Any) -> Any:
    """A value as the Policy stores it, or PolicyError saying what is allowed."""
    if spec.kind == INT:
        if (isinstance(value, bool) or not isinstance(value, int) or value < spec.minimum
                or not _within_maximum(spec, value)):
            _refuse(spec, value, f"a whole number of at least {int(spec.minimum)}{_at_most(spec)}")
        return value
    if spec.kind == FLOAT:
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not math.isfinite(value) or value <= spec.minimum
                or not _within_maximum(spec, value)):
            _refuse(spec, value, f"a number greater than {spec.minimum:g}{_at_most(spec)}")
        return float(value)
    if spec.kind == BOOL:
        if not isinstance(value, bool):
            _refuse(spec, value, "true or false")
        return value
    if spec.kind == CHOICE:
        if value not in spec.choices:
            _refuse(spec, value, "one of " + ", ".join(spec.choices))
        return value
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        _refuse(spec, value, "a list of names")
    if not all(isinstance(name, str) for name in value):
        _refuse(spec, value, "a list of names (text only)")
    if joined := [name for name in value if LIST_SEPARATOR in name]:
        # an inventory cell splits at ';', so such a name could never match anything
        raise PolicyError(
            f"Policy key '{spec.key}' must list one name per entry (got {joined[0]!r}: "
            f"'{LIST_SEPARATOR}' separates names).", spec.key,
            f"“{joined[0].strip()}” holds several names: put each on its own line.")
    return _unique_names(value)


LIST_SEPARATOR = ";"


def _within_maximum(spec: PolicyKey, value: float) -> bool:
    return spec.shown.maximum is None or value <= spec.shown.maximum


def _at_most(spec: PolicyKey) -> str:
    return "" if spec.shown.maximum is None else f" and at most {spec.shown.maximum:,.10g}"


def _unique_names(names) -> tuple[str, ...]:
    # Keep the first spelling of each name; blanks are dropped, not errors.
    seen: dict[str, str] = {}
    for name in names:
        if name.strip() and name_key(name) not in seen:
            seen[name_key(name)] = name.strip()
    return tuple(seen.values())


def _refuse(spec: PolicyKey, value: Any, allowed: str) -> None:
    raise PolicyError(f"Policy key '{spec.key}' must be {allowed} (got {value!r}).", spec.key,
                      f"Must be {allowed}.")


def _check_consistency(policy: Policy) -> Policy:
    for problem in _consistency_problems(policy):
        raise problem
    return policy


def _consistency_problems(policy: Policy) -> list[PolicyError]:
    """Rules between keys; each side of a broken rule gets its own problem, first the one the loader names."""
    problems = _connector_problems(policy)
    if policy.tier3_users < policy.tier4_users:
        return problems
    message = (f"Policy key 'tier3.users' ({policy.tier3_users}) must be below "
               f"'tier4.users' ({policy.tier4_users}).")
    return [
        PolicyError(message, "tier3.users",
                    f"Must be below the Tier 4 threshold ({policy.tier4_users:,} users)."),
        PolicyError(message, "tier4.users",
                    f"Must be above the Tier 3 threshold ({policy.tier3_users:,} users)."),
        *problems,
    ]


def _connector_problems(policy: Policy) -> list[PolicyError]:
    from fusiondesk.core.connectors import unblockable_entries  # see Policy.connector_rules

    found = unblockable_entries(policy.blocked_connectors)
    if not found:
        return []
    return [PolicyError(
        f"Policy key 'connectors.blocked' lists {found[0]!r}, which a Power Platform data "
        "policy cannot block: class it business or non-business, or block it on another "
        "platform ('Salesforce: NAME').", "connectors.blocked",
        f"Power Platform cannot block “{found[0]}”: put it in Business or Non-business.")]


@dataclass(frozen=True)
class CheckedPolicy:
    """A policy as edited in a form: the policy when every value is allowed, else every problem."""

    policy: Policy | None
    problems: dict[str, PolicyError]  # by dotted key, every one at once


def check_policy_values(values: dict[str, Any], base: Policy) -> CheckedPolicy:
    """Check typed values by dotted key against the loader's own rules, all at once.

    A form shows every problem beside its field instead of stopping at the first; the
    rules are the ones `policy_from_dict` applies, so the form and the TOML agree.
    """
    problems: dict[str, PolicyError] = {}
    policy = base
    for key, value in values.items():
        spec = _spec(key)
        try:
            policy = _with(policy, spec, _checked(spec, value))
        except PolicyError as problem:
            problems[key] = problem
    for problem in _consistency_problems(policy):
        problems.setdefault(problem.key, problem)
    return CheckedPolicy(None if problems else policy, problems)


def policy_key(key: str) -> PolicyKey:
    """The declaration of a dotted key: kind, meaning, smallest value and how the form shows it."""
    return _spec(key)


def _checked_version(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PolicyError(f"Policy 'version' must be a whole number of at least 1 (got {value!r}).",
                          VERSION_KEY)
    return value


# --- the TOML-shaped dict ---------------------------------------------------

def policy_to_dict(policy: Policy) -> dict:
    """The policy as nested sections, the shape of policy.toml (lists as lists)."""
    tree: dict[str, Any] = {VERSION_KEY: policy.version}
    for spec in _KEYS:
        section, name = spec.key.split(".")
        value = _get(policy, spec)
        tree.setdefault(section, {})[name] = list(value) if spec.kind == NAMES else value
    return tree


def policy_from_dict(d: dict, base: Policy | None = None) -> Policy:
    """A validated Policy from nested sections; keys left out keep `base` (the defaults)."""
    values = _flat_values(d)
    policy = base if base is not None else default_policy()
    version = _checked_version(values.pop(VERSION_KEY, policy.version))
    for key, value in values.items():
        policy = _with(policy, _KEY_BY_NAME[key], _checked(_KEY_BY_NAME[key], value))
    return _check_consistency(replace(policy, version=version))


def _flat_values(d: Any) -> dict[str, Any]:
    """{'tier3.users': 50, ...} from the nested dict, refusing unknown keys."""
    if not isinstance(d, dict):
        raise PolicyError(f"A policy must be a table of sections (got {type(d).__name__}).")
    flat: dict[str, Any] = {}
    for section, body in d.items():
        if section == VERSION_KEY:
            flat[VERSION_KEY] = body
            continue
        if not isinstance(body, dict):
            raise PolicyError(_not_a_section_message(str(section)), str(section))
        for name, value in body.items():
            key = f"{section}.{name}"
            if key not in _KEY_BY_NAME:
                raise PolicyError(_unknown_key_message(key), key)
            flat[key] = value
    return flat


def _policy_from_complete_dict(d: dict) -> Policy:
    """The shipped defaults: every key must be present, nothing is inherited."""
    values = _flat_values(d)
    missing = [k for k in _KEY_BY_NAME if k not in values]
    if missing:
        raise PolicyError(f"The default policy lacks: {', '.join(missing)}.", missing[0])
    fields: dict[str, Any] = {"version": _checked_version(values.get(VERSION_KEY, 1))}
    per_tier: dict[str, list[int]] = {}
    for spec in _KEYS:
        value = _checked(spec, values[spec.key])
        if spec.tier:
            per_tier.setdefault(spec.attr, [0, 0, 0, 0])[spec.tier - 1] = value
        else:
            fields[spec.attr] = value
    fields.update({attr: tuple(slots) for attr, slots in per_tier.items()})
    return _check_consistency(Policy(**fields))


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The shipped default policy, read once from resources/policy.toml."""
    path = resource_path("policy.toml")
    try:
        tree = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"The default policy {path} is not valid TOML: {error}") from error
    return _policy_from_complete_dict(tree)


# --- text, as typed in the CLI or the editor ---------------------------------

def policy_value(policy: Policy, key: str) -> int | float | bool | str:
    """A key's value as a cell holds it: numbers as numbers, yes/no as a boolean, lists as text."""
    spec = _spec(key)
    value = _get(policy, spec)
    return "; ".join(value) if spec.kind == NAMES else value


def policy_value_text(policy: Policy, key: str) -> str:
    """A key's value as a person would type it: '50', 'SAP; Workday', 'true'."""
    spec = _spec(key)
    value = _get(policy, spec)
    if spec.kind == NAMES:
        return "; ".join(value)
    if spec.kind == BOOL:
        return "true" if value else "false"
    return f"{value:g}" if spec.kind == FLOAT else str(value)


def set_policy_value(policy: Policy, key: str, text: str) -> Policy:
    """A copy of `policy` with one dotted key set from text; PolicyError if not allowed."""
    spec = _spec(key)
    value = _checked(spec, _parse_text(spec, text))
    return _check_consistency(_with(policy, spec, value))


def _parse_text(spec: PolicyKey, text: str) -> Any:
    text = str(text).strip()
    if spec.kind == NAMES:
        return [part for part in text.replace(";", ",").split(",")]
    if spec.kind == CHOICE:  # "Non-business" as the form says it, or the stored word
        return text.lower().replace("-", "_").replace(" ", "_")
    if spec.kind == BOOL:
        word = text.lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        _refuse(spec, text, "yes or no (true/false, 1/0)")
    number = text.replace("_", "").replace(" ", "")
    # "1,200" users is a thousands separator; "1,5" as a factor is a decimal comma.
    number = number.replace(",", "") if spec.kind == INT else number.replace(",", ".")
    try:
        return int(number) if spec.kind == INT else float(number)
    except ValueError:
        kind = "a whole number" if spec.kind == INT else "a number"
        _refuse(spec, text, kind)
