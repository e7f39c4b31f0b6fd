"""The canonical fields of the portfolio, as DOMAIN.md names them.

These names are the column headers of the import template and of the exported
"Apps" sheet, so an export re-imports unchanged. Every layer (sheets, db, CLI,
GUI) reads the field list from here rather than spelling it again.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Field:
    """One canonical column: its name, kind, allowed values and a label for people."""

    name: str
    kind: str
    label: str
    choices: tuple[str, ...] = ()
    required: bool = False


APP_FIELDS: tuple[Field, ...] = (
    Field("app_id", TEXT, "App ID"),
    Field("name", TEXT, "Name", required=True),
    Field("description", TEXT, "Description"),
    Field("platform", TEXT, "Platform"),
    Field("kind", ENUM, "Kind", KINDS),
    # The plan an item is licensed under ("Standard", "Premium"): not a data class.
    Field("licence", TEXT, "Licence"),
    Field("environment", TEXT, "Environment"),
    Field("environment_type", ENUM, "Environment type", ENVIRONMENT_TYPES),
    Field("lifecycle", ENUM, "Lifecycle", LIFECYCLES),
    Field("department", TEXT, "Department"),
    Field("scope", ENUM, "Scope", SCOPES),
    Field("users", INT, "Users"),
    Field("data_sensitivity", ENUM, "Data sensitivity", SENSITIVITIES),
    Field("data_categories", LIST, "Data categories", DATA_CATEGORIES),
    Field("compliance", LIST, "Compliance"),
    Field("integrations", INTEGRATIONS, "Integrations"),
    Field("criticality", ENUM, "Criticality", CRITICALITIES),
    Field("calc_complexity", ENUM, "Calculation complexity", COMPLEXITIES),
    Field("custom_code", BOOL, "Custom code"),
    Field("support", ENUM, "Support", SUPPORT_LEVELS),
    Field("dr_plan", BOOL, "DR plan"),
    Field("doc_functional", BOOL, "Functional doc"),
    Field("doc_data_sources", BOOL, "Data sources doc"),
    Field("doc_logic", BOOL, "Logic doc"),
    # Owners in a flat sheet: one column per role, `;`-separated emails.
    Field("primary_owner", EMAILS, "Primary owner"),
    Field("co_owners", EMAILS, "Co-owners"),
    Field("business_owner", EMAILS, "Business owner"),
    Field("prodev_partner", EMAILS, "Pro-dev partner"),
    Field("owner_team", LIST, "Owner team"),
    Field("created", DATE, "Created"),
    Field("last_modified", DATE, "Last modified"),
    Field("last_used", DATE, "Last used"),
    Field("approved_tier", TIER, "Approved tier"),
    Field("last_review", DATE, "Last review"),
    Field("users_at_last_review", INT, "Users at last review"),
    Field("requested_on", DATE, "Requested on"),
    Field("deployed_on", DATE, "Deployed on"),
    Field("notes", TEXT, "Notes"),
)

PERSON_FIELDS: tuple[Field, ...] = (
    Field("email", TEXT, "Email", required=True),
    Field("name", TEXT, "Name"),
    Field("department", TEXT, "Department"),
    Field("role", ENUM, "Role", PERSON_ROLES),
    Field("certification", ENUM, "Certification", CERTIFICATIONS),
    Field("certified_platforms", LIST, "Certified platforms"),
    Field("status", ENUM, "Status", PERSON_STATUSES),
    Field("leave_date", DATE, "Leave date"),
    Field("manager_email", TEXT, "Manager email"),
    Field("capacity", INT, "Capacity"),
)

# Owner columns of the flat sheet and the ownership role each one means (in OwnerRole order).
OWNER_COLUMNS = dict(zip(("primary_owner", "co_owners", "business_owner", "prodev_partner"),
                         OWNER_ROLES, strict=True))

APP_FIELD_BY_NAME = {f.name: f for f in APP_FIELDS}
PERSON_FIELD_BY_NAME = {f.name: f for f in PERSON_FIELDS}
APP_COLUMNS = tuple(f.name for f in APP_FIELDS)
PERSON_COLUMNS = tuple(f.name for f in PERSON_FIELDS)
