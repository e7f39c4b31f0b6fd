"""What a person reads for each value of a closed vocabulary: one place, every vocabulary.

The stored value stays the StrEnum's plain string (`business_owner`); screens and tables
show its label ("Business owner"). Labels are sentence case in the domain's words (DOMAIN.md),
so "Mission-critical", "Archive candidate", "Pro-dev partner". A member without a label
fails `tests/core/test_labels.py`, so adding a member means adding its words here. The
vocabularies whose words their own module already keeps (warning signs, triage, actions,
review types and outcomes) are taken from there, not spelled twice.
"""

from __future__ import annotations

from enum import StrEnum

from fusiondesk.core import terms as t
from fusiondesk.core.fields import APP_FIELD_BY_NAME, ENUM, PERSON_FIELD_BY_NAME
from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.core.handover import ACTION_LABELS, TRIAGE_LABELS
from fusiondesk.core.reviews import OUTCOME_LABELS, REVIEW_LABELS
from fusiondesk.core.values import format_value

LABELS: dict[type[StrEnum], dict[str, str]] = {
    t.Lifecycle: {"idea": "Idea", "development": "Development", "pilot": "Pilot",
                  "production": "Production", "retired": "Retired"},
    t.Scope: {"team": "Team", "department": "Department",
              "cross_department": "Cross-department", "enterprise": "Enterprise",
              "external": "External"},
    t.Sensitivity: {"public": "Public", "internal": "Internal", "confidential": "Confidential",
                    "regulated": "Regulated"},
    t.DataCategory: {"pii": "Personal data (PII)", "phi": "Health data (PHI)",
                     "payment": "Payment data", "financial": "Financial data",
                     "credentials": "Credentials"},
    t.Criticality: {"low": "Low", "medium": "Medium", "high": "High",
                    "mission_critical": "Mission-critical"},
    t.Complexity: {"simple": "Simple", "moderate": "Moderate", "complex": "Complex"},
    t.Support: {"none": "No support", "team": "Team", "it": "IT"},
    t.Direction: {"read": "Read", "write": "Write", "bidirectional": "Bidirectional"},
    t.Kind: {"canvas_app": "Canvas app", "model_driven_app": "Model-driven app",
             "cloud_flow": "Cloud flow", "desktop_flow": "Desktop flow", "agent": "Agent",
             "site": "Site", "other": "Other"},
    t.EnvironmentType: {"default": "Default", "sandbox": "Sandbox", "developer": "Developer",
                        "production": "Production", "trial": "Trial", "teams": "Teams"},
    t.OwnerRole: {"primary": "Primary owner", "co_owner": "Co-owner",
                  "business_owner": "Business owner", "prodev_partner": "Pro-dev partner"},
    t.PersonRole: {"citizen_developer": "Citizen developer", "pro_developer": "Pro developer",
                   "coe_admin": "CoE admin", "business_owner": "Business owner"},
    t.Certification: {"none": "Not trained", "trained": "Trained", "certified": "Certified"},
    t.PersonStatus: {"active": "Active", "leaving": "Leaving", "left": "Left"},
    t.Source: {"edit": "Edit", "bulk_edit": "Bulk edit", "undo": "Undo", "import": "Import",
               "rule": "Rule", "review": "Review", "handover": "Handover", "policy": "Policy",
               "audit": "Audit", "sample": "Sample"},
    t.Entity: {"app": "App", "person": "Person", "review": "Review", "policy": "Policy",
               "handover_plan": "Handover plan", "handover_item": "Handover item",
               "audit": "Audit", "portfolio": "Portfolio"},
    t.Whole: {"(app)": "App", "(person)": "Person", "(plan)": "Plan", "(review)": "Review",
              "(merged)": "Merged into directory record"},
    t.Existence: {"(created)": "created", "(deleted)": "deleted", "(exists)": "exists"},
    t.Triage: dict(TRIAGE_LABELS),
    t.Action: dict(ACTION_LABELS),
    t.PlanStatus: {"planned": "Planned", "in_progress": "In progress", "done": "Done"},
    t.FlagName: dict(FLAG_LABELS),
    t.ReviewType: dict(REVIEW_LABELS),
    t.ReviewOutcome: dict(OUTCOME_LABELS),
}

# The enum field of each app or person field that offers choices.
_FIELD_VOCABULARY: dict[str, type[StrEnum]] = {
    field.name: next(v for v in LABELS if tuple(v) == field.choices)
    for field in (*APP_FIELD_BY_NAME.values(), *PERSON_FIELD_BY_NAME.values())
    if field.kind == ENUM
}


def label(vocabulary: type[StrEnum], value: str | None) -> str:
    """The words for one value of a vocabulary: '' for unknown, a value it lacks as it is."""
    if value is None or value == "":
        return ""
    return LABELS[vocabulary].get(value, str(value))


def field_label(field_name: str, value) -> str | None:
    """The words for an enum field's value (`role`, `lifecycle`, ...), or None for other fields."""
    vocabulary = _FIELD_VOCABULARY.get(field_name)
    if vocabulary is None:
        return None
    return label(vocabulary, value)


def display_value(field_name: str, value) -> str:
    """A field's value as a cell shows it: an enum's label, any other value's plain text."""
    shown = field_label(field_name, value)
    return format_value(field_name, value) if shown is None else shown


def vocabulary_of(field_name: str) -> type[StrEnum] | None:
    """The vocabulary an enum field's values come from (None for other fields)."""
    return _FIELD_VOCABULARY.get(field_name)


def choices(vocabulary: type[StrEnum]) -> list[tuple[str, str]]:
    """(label, value) pairs in the vocabulary's order, as combo boxes offer them."""
    return [(LABELS[vocabulary][member.value], member.value) for member in vocabulary]
