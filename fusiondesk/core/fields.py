"""The canonical fields of the portfolio, as DOMAIN.md names them: the field registry.

These names are the column headers of the import template and of the exported
"Apps" sheet, so an export re-imports unchanged. Every layer (sheets, db, CLI,
GUI) reads the field list from here rather than spelling it again: the header
spellings the mapping recognises, where the app editor places a field, the
table's and exports' columns, what classification loads and the facts an app
carries all follow from one `Field(...)` below. Adding a canonical app field is
its line here, its column in db/models.py with a migration, and whatever rule
reads it; tests/core/test_fields*.py fail loudly when a list kept by hand misses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fusiondesk.core.terms import (
    Certification,
    Complexity,
    Criticality,
    DataCategory,
    Direction,
    EnvironmentType,
    Kind,
    Lifecycle,
    OwnerRole,
    PersonRole,
    PersonStatus,
    Scope,
    Sensitivity,
    Support,
    values_of,
)

LIFECYCLES = values_of(Lifecycle)
SCOPES = values_of(Scope)
SENSITIVITIES = values_of(Sensitivity)
DATA_CATEGORIES = values_of(DataCategory)
KNOWN_COMPLIANCE = ("HIPAA", "GDPR", "PCI DSS", "SOX")  # open: others are kept by name
CRITICALITIES = values_of(Criticality)
COMPLEXITIES = values_of(Complexity)
SUPPORT_LEVELS = values_of(Support)
DIRECTIONS = values_of(Direction)
# What an item is, as the platforms' inventories type it: apps, automations, agents, sites.
KINDS = values_of(Kind)
# The type of environment an item lives in (Power Platform's environment types).
ENVIRONMENT_TYPES = values_of(EnvironmentType)

OWNER_ROLES = values_of(OwnerRole)
PERSON_ROLES = values_of(PersonRole)
CERTIFICATIONS = values_of(Certification)
PERSON_STATUSES = values_of(PersonStatus)

# Field kinds: how a value is parsed, stored and shown.
TEXT, INT, DATE, BOOL, ENUM, LIST, INTEGRATIONS, TIER, EMAILS = (
    "text", "int", "date", "bool", "enum", "list", "integrations", "tier", "emails",
)


class Group(StrEnum):
    """Where the app editor places a field: the editor's tabs are made of these, in this order."""

    GENERAL = "general"  # what the item is and where it lives
    BUSINESS = "business"  # who uses it and what it is worth to them
    NOTES = "notes"
    RISK = "risk"
    OWNERS = "owners"
    DATES = "dates"
    GOVERNANCE = "governance"
    VALUE = "value"  # the value ledger: what the app saves and costs (core.value)


@dataclass(frozen=True, slots=True)
class Field:
    """One canonical column, declared once; what each layer needs to know of it follows.

    `headers` are the spellings inventories use for the column (in `header_key` form),
    matched besides the name and the label; `group` is where the app editor shows it (None:
    not a form row, as integrations have a tab of their own); `classified` says the
    classification rules (core.tiers, core.flags) read it, so reclassifying loads it;
    `sample_range` is the (low, high) whole numbers the sample generator draws for a field
    its own rules do not fill (the shipped sample is then made again: `make sample`).
    """

    name: str
    kind: str
    label: str
    choices: tuple[str, ...] = ()
    required: bool = False
    headers: tuple[str, ...] = ()
    group: Group | None = None
    classified: bool = False
    sample_range: tuple[int, int] | None = None


APP_FIELDS: tuple[Field, ...] = (
    Field("app_id", TEXT, "App ID", group=Group.GENERAL, classified=True,
          headers=("app id", "appid", "application id", "id", "app guid", "guid", "resource id",
                   "object id", "sys id", "flow id", "app identifier", "record id", "solution id",
                   "item id", "app id string", "flow id string", "bot id", "agent id")),
    Field("name", TEXT, "Name", required=True, group=Group.GENERAL, classified=True,
          headers=("app name", "app display name", "display name", "application",
                   "application name", "app", "solution name", "flow name", "app title", "title",
                   "solution", "process name", "bot name", "automation name", "name of app",
                   "item name", "item display name", "agent name", "flow display name")),
    Field("description", TEXT, "Description", group=Group.GENERAL,
          headers=("app description", "purpose", "summary", "details", "what it does",
                   "business purpose", "desc")),
    Field("platform", TEXT, "Platform", group=Group.GENERAL, classified=True,
          headers=("technology", "tool", "low code platform", "product", "platform name")),
    Field("kind", ENUM, "Kind", KINDS, group=Group.GENERAL,
          headers=("item type", "app type", "type of app", "application kind", "resource type",
                   "object type", "type of item", "flow type", "component type")),
    # The plan an item is licensed under ("Standard", "Premium"): not a data class.
    Field("licence", TEXT, "Licence", group=Group.GENERAL,
          headers=("license", "licence type", "license type", "plan", "app plan", "licence plan",
                   "license plan", "app plan classification", "plan classification", "licensing",
                   "license requirement", "licence requirement", "premium license", "sku")),
    Field("environment", TEXT, "Environment", group=Group.GENERAL, classified=True,
          headers=("environment name", "env", "environment display name", "instance", "tenant",
                   "environment id")),
    Field("environment_type", ENUM, "Environment type", ENVIRONMENT_TYPES, group=Group.GENERAL,
          classified=True, headers=("environment type", "env type", "environment sku", "environmentsku",
                   "environment kind", "type of environment")),
    Field("lifecycle", ENUM, "Lifecycle", LIFECYCLES, group=Group.GENERAL, classified=True,
          headers=("lifecycle stage", "stage", "status", "app status", "state", "phase",
                   "lifecycle status")),
    Field("department", TEXT, "Department", group=Group.BUSINESS,
          headers=("department bu", "business unit", "bu", "dept", "division", "owning department",
                   "org unit", "business area", "department name")),
    Field("scope", ENUM, "Scope", SCOPES, group=Group.BUSINESS, classified=True,
          headers=("audience", "reach", "usage scope", "user scope", "sharing scope",
                   "app scope")),
    Field("users", INT, "Users", group=Group.BUSINESS, classified=True,
          headers=("number of users", "no of users", "number users", "shared users", "user count",
                   "users count", "active users", "unique users", "monthly active users", "mau",
                   "count of users", "total users", "number of active users")),
    # What the app is worth: the hours of work it saves a month, as its owners estimate them.
    Field("hours_saved_per_month", INT, "Hours saved / month", group=Group.VALUE,
          headers=("time saved h month", "hours saved", "time saved", "monthly hours saved",
                   "hours saved monthly", "time saved per month", "time saved month",
                   "hrs saved per month", "hrs saved month", "saved hours per month",
                   "time savings", "time savings hours month", "effort saved hours month")),
    # The rest of the value ledger (core.value says how the figures combine). Hours saved
    # come per month (above) or per run: minutes, since a run saves minutes, not hours.
    Field("minutes_saved_per_run", INT, "Minutes saved / run", group=Group.VALUE,
          headers=("time saved per run", "minutes saved", "time saved per run minutes",
                   "minutes saved per execution", "time saved per execution", "saving per run",
                   "estimated time savings minutes", "estimated minutes saved",
                   "time savings per run", "manual minutes per run",
                   "minutes per run saved")),
    Field("runs_per_month", INT, "Runs / month", group=Group.VALUE,
          # A bare "Runs" or "Run count" is left out: exports count runs over 28 days or
          # all time, and taking either as a month's would misstate the hours saved.
          headers=("runs month", "monthly runs", "executions per month", "monthly executions",
                   "runs per month count", "transactions per month", "frequency per month",
                   "flow runs per month", "number of runs per month")),
    Field("prodev_estimate_hours", INT, "Pro-dev estimate (hours)", group=Group.VALUE,
          headers=("pro dev estimate", "pro dev estimate hours", "development estimate",
                   "development effort", "estimated development effort", "dev effort hours",
                   "estimated dev hours", "it estimate", "it estimate hours",
                   "pro code estimate", "traditional development estimate",
                   "estimated development hours", "effort estimate hours")),
    Field("licence_cost_per_month", INT, "Licence cost / month", group=Group.VALUE,
          headers=("licence cost", "license cost", "licence cost month", "license cost month",
                   "monthly licence cost", "monthly license cost", "license cost per month",
                   "licensing cost", "monthly cost", "cost per month", "run cost")),
    Field("it_backlog_item", TEXT, "IT backlog item", group=Group.VALUE,
          headers=("backlog item", "it backlog", "backlog reference", "backlog id",
                   "it request", "it ticket", "demand id", "demand number", "replaces request",
                   "it backlog reference")),
    Field("data_sensitivity", ENUM, "Data sensitivity", SENSITIVITIES, group=Group.RISK,
          classified=True,
          headers=("data classification", "classification", "sensitivity", "sensitivity label",
                   "information classification", "data class", "security classification",
                   "data sensitivity level")),
    Field("data_categories", LIST, "Data categories", DATA_CATEGORIES, group=Group.RISK,
          classified=True,
          headers=("data category", "data types", "data type", "sensitive data",
                   "sensitive data types", "personal data types")),
    Field("compliance", LIST, "Compliance", group=Group.RISK, classified=True,
          headers=("compliance regimes", "regulations", "regulatory", "compliance requirements",
                   "regulatory requirements", "compliance regime", "regulation")),
    Field("integrations", INTEGRATIONS, "Integrations",
          headers=("connectors", "connections", "data sources", "systems", "connected systems",
                   "integrated systems", "apis", "connector names", "integration", "connector")),
    Field("criticality", ENUM, "Criticality", CRITICALITIES, group=Group.RISK, classified=True,
          headers=("business impact", "business criticality", "impact", "priority", "importance",
                   "critical", "criticality level")),
    Field("calc_complexity", ENUM, "Calculation complexity", COMPLEXITIES, group=Group.RISK,
          classified=True,
          headers=("calculation complexity", "complexity", "logic complexity",
                   "algorithm complexity", "calculations")),
    Field("custom_code", BOOL, "Custom code", group=Group.RISK, classified=True,
          headers=("custom code required", "uses custom code", "has custom code", "pro code",
                   "code required")),
    Field("support", ENUM, "Support", SUPPORT_LEVELS, group=Group.RISK, classified=True,
          headers=("support model", "supported by", "support level", "support type")),
    Field("dr_plan", BOOL, "DR plan", group=Group.RISK, classified=True,
          headers=("disaster recovery", "disaster recovery plan", "dr", "bcp", "backup plan",
                   "business continuity", "business continuity plan")),
    Field("doc_functional", BOOL, "Functional doc", group=Group.RISK, classified=True,
          headers=("functional doc", "functional documentation", "functional description",
                   "documentation", "documented", "functional spec")),
    Field("doc_data_sources", BOOL, "Data sources doc", group=Group.RISK, classified=True,
          headers=("data sources doc", "data source documentation", "data sources documented",
                   "data sources documentation")),
    Field("doc_logic", BOOL, "Logic doc", group=Group.RISK, classified=True,
          headers=("logic doc", "logic documentation", "logic summary", "logic documented")),
    # Owners in a flat sheet: one column per role, `;`-separated emails.
    Field("primary_owner", EMAILS, "Primary owner", group=Group.OWNERS,
          headers=("owner", "owner email", "app owner", "app owner email", "maker", "maker email",
                   "created by", "created by email", "creator", "owner upn", "builder", "author",
                   "primary owner email", "owner e mail", "developer")),
    Field("co_owners", EMAILS, "Co-owners", group=Group.OWNERS,
          headers=("co owner", "coowners", "coowner", "co owner emails", "co owners emails",
                   "secondary owner", "secondary owners", "backup owner", "additional owners",
                   "shared owners")),
    Field("business_owner", EMAILS, "Business owner", group=Group.OWNERS,
          headers=("business sponsor", "sponsor", "biz owner", "business owner name",
                   "business contact", "product owner", "process owner", "business owner email")),
    Field("prodev_partner", EMAILS, "Pro-dev partner", group=Group.OWNERS,
          headers=("pro dev partner", "pro developer", "it partner", "technical owner",
                   "it contact", "developer partner", "fusion partner", "pro dev")),
    Field("owner_team", LIST, "Owner team", group=Group.OWNERS,
          headers=("owning team", "team", "team name", "owner group", "owning group")),
    Field("created", DATE, "Created", group=Group.DATES,
          headers=("created on", "created date", "date created", "creation date", "created at",
                   "created time")),
    Field("last_modified", DATE, "Last modified", group=Group.DATES,
          headers=("last modified on", "modified", "modified on", "last updated", "updated",
                   "updated on", "date modified", "last modified date", "modified date",
                   "last modified time")),
    Field("last_used", DATE, "Last used", group=Group.DATES, classified=True,
          headers=("last launched", "last launched on", "last launch date", "last run",
                   "last accessed", "last activity", "last used date", "last opened",
                   "last used on", "last run date")),
    Field("approved_tier", TIER, "Approved tier", group=Group.GOVERNANCE, classified=True,
          headers=("tier", "governance tier", "current tier", "risk tier", "tier on record")),
    Field("last_review", DATE, "Last review", group=Group.GOVERNANCE,
          headers=("last reviewed", "last review date", "reviewed on", "review date",
                   "last reviewed on")),
    Field("users_at_last_review", INT, "Users at last review", group=Group.GOVERNANCE,
          classified=True,
          headers=("users at review", "users when reviewed", "users last review")),
    Field("requested_on", DATE, "Requested on", group=Group.DATES,
          headers=("requested", "request date", "date requested", "submitted on", "intake date",
                   "requested date")),
    Field("deployed_on", DATE, "Deployed on", group=Group.DATES,
          headers=("go live", "go live date", "golive", "deployed", "deployment date",
                   "launch date", "release date", "production date", "live date", "published on",
                   "deployed date")),
    # Who deployed it to production (issue 17): a person, by e-mail or display name as the
    # owners are; hand-kept registers carry it, platform exports do not. The production gate
    # checks it against the tier's deployment path (core.gate).
    Field("deployed_by", TEXT, "Deployed by", group=Group.DATES, classified=True,
          headers=("deployed by email", "promoted by", "released by", "deployer",
                   "deployed by name", "promoted to production by", "published by",
                   "released by email", "promoted by email", "go live by")),
    Field("notes", TEXT, "Notes", group=Group.NOTES,
          headers=("comments", "remarks", "comment", "note")),
)

PERSON_FIELDS: tuple[Field, ...] = (
    Field("email", TEXT, "Email", required=True,
          headers=("e mail", "email address", "e mail address", "mail", "upn",
                   "user principal name", "work email", "person email", "maker email",
                   "user email", "login", "employee email")),
    Field("name", TEXT, "Name",
          headers=("full name", "display name", "person", "person name", "employee",
                   "employee name", "maker name", "maker")),
    Field("department", TEXT, "Department",
          headers=("department bu", "business unit", "bu", "dept", "division", "org unit",
                   "team")),
    Field("role", ENUM, "Role", PERSON_ROLES,
          headers=("person role", "job role", "developer type", "maker type", "persona", "type")),
    Field("certification", ENUM, "Certification", CERTIFICATIONS,
          headers=("certification level", "certified", "training", "training status",
                   "skill level")),
    Field("certified_platforms", LIST, "Certified platforms",
          headers=("certifications", "platforms certified", "certified on",
                   "platform certifications")),
    Field("status", ENUM, "Status", PERSON_STATUSES,
          headers=("employment status", "state", "employee status", "active", "account enabled",
                   "enabled", "account status", "user enabled", "is enabled")),
    Field("leave_date", DATE, "Leave date",
          headers=("leaving date", "last day", "end date", "termination date", "departure date",
                   "exit date", "left on", "leaving on")),
    Field("manager_email", TEXT, "Manager email",
          headers=("manager", "line manager", "reports to", "manager upn", "supervisor",
                   "manager e mail")),
    Field("capacity", INT, "Capacity",
          headers=("max apps", "app capacity", "bandwidth", "max owned apps")),
)

# Owner columns of the flat sheet and the ownership role each one means (in OwnerRole order).
OWNER_COLUMNS = dict(zip(("primary_owner", "co_owners", "business_owner", "prodev_partner"),
                         OWNER_ROLES, strict=True))
# Every flat-sheet column about an app's owners: the facts hold them as `owners`, the
# table shows them as one Owners column.
OWNER_FIELDS = (*OWNER_COLUMNS, "owner_team")

APP_FIELD_BY_NAME = {f.name: f for f in APP_FIELDS}
PERSON_FIELD_BY_NAME = {f.name: f for f in PERSON_FIELDS}
APP_COLUMNS = tuple(f.name for f in APP_FIELDS)
PERSON_COLUMNS = tuple(f.name for f in PERSON_FIELDS)
