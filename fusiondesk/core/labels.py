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
    t.Lifecycle: {t.Lifecycle.IDEA: "Idea", t.Lifecycle.DEVELOPMENT: "Development",
                  t.Lifecycle.PILOT: "Pilot", t.Lifecycle.PRODUCTION: "Production",
                  t.Lifecycle.RETIRED: "Retired"},
    t.Scope: {t.Scope.TEAM: "Team", t.Scope.DEPARTMENT: "Department",
              t.Scope.CROSS_DEPARTMENT: "Cross-department", t.Scope.ENTERPRISE: "Enterprise",
              t.Scope.EXTERNAL: "External"},
    t.Sensitivity: {t.Sensitivity.PUBLIC: "Public", t.Sensitivity.INTERNAL: "Internal",
                    t.Sensitivity.CONFIDENTIAL: "Confidential",
                    t.Sensitivity.REGULATED: "Regulated"},
    t.DataCategory: {t.DataCategory.PII: "Personal data (PII)",
                     t.DataCategory.PHI: "Health data (PHI)",
                     t.DataCategory.PAYMENT: "Payment data",
                     t.DataCategory.FINANCIAL: "Financial data",
                     t.DataCategory.CREDENTIALS: "Credentials"},
    t.Criticality: {t.Criticality.LOW: "Low", t.Criticality.MEDIUM: "Medium",
                    t.Criticality.HIGH: "High",
                    t.Criticality.MISSION_CRITICAL: "Mission-critical"},
    t.Complexity: {t.Complexity.SIMPLE: "Simple", t.Complexity.MODERATE: "Moderate",
                   t.Complexity.COMPLEX: "Complex"},
    t.Support: {t.Support.NONE: "No support", t.Support.TEAM: "Team", t.Support.IT: "IT"},
    t.Direction: {t.Direction.READ: "Read", t.Direction.WRITE: "Write",
                  t.Direction.BIDIRECTIONAL: "Bidirectional"},
    t.Kind: {t.Kind.CANVAS_APP: "Canvas app", t.Kind.MODEL_DRIVEN_APP: "Model-driven app",
             t.Kind.CLOUD_FLOW: "Cloud flow", t.Kind.DESKTOP_FLOW: "Desktop flow",
             t.Kind.AGENT: "Agent", t.Kind.SITE: "Site", t.Kind.OTHER: "Other"},
    t.EnvironmentType: {t.EnvironmentType.DEFAULT: "Default",
                        t.EnvironmentType.SANDBOX: "Sandbox",
                        t.EnvironmentType.DEVELOPER: "Developer",
                        t.EnvironmentType.PRODUCTION: "Production",
                        t.EnvironmentType.TRIAL: "Trial", t.EnvironmentType.TEAMS: "Teams"},
    t.EnvironmentStage: {t.EnvironmentStage.DEVELOPMENT: "Development",
                         t.EnvironmentStage.TEST: "Test",
                         t.EnvironmentStage.PRODUCTION: "Production"},
    t.OwnerRole: {t.OwnerRole.PRIMARY: "Primary owner", t.OwnerRole.CO_OWNER: "Co-owner",
                  t.OwnerRole.BUSINESS_OWNER: "Business owner",
                  t.OwnerRole.PRODEV_PARTNER: "Pro-dev partner"},
    t.PersonRole: {t.PersonRole.CITIZEN_DEVELOPER: "Citizen developer",
                   t.PersonRole.PRO_DEVELOPER: "Pro developer",
                   t.PersonRole.COE_ADMIN: "CoE admin",
                   t.PersonRole.BUSINESS_OWNER: "Business owner"},
    t.Certification: {t.Certification.NONE: "Not trained", t.Certification.TRAINED: "Trained",
                      t.Certification.CERTIFIED: "Certified"},
    t.PersonStatus: {t.PersonStatus.ACTIVE: "Active", t.PersonStatus.LEAVING: "Leaving",
                     t.PersonStatus.LEFT: "Left"},
    t.Source: {t.Source.EDIT: "Edit", t.Source.BULK_EDIT: "Bulk edit", t.Source.UNDO: "Undo",
               t.Source.IMPORT: "Import", t.Source.RULE: "Rule", t.Source.REVIEW: "Review",
               t.Source.HANDOVER: "Handover", t.Source.POLICY: "Policy", t.Source.AUDIT: "Audit",
               t.Source.SAMPLE: "Sample"},
    t.Entity: {t.Entity.APP: "App", t.Entity.PERSON: "Person", t.Entity.REVIEW: "Review",
               t.Entity.POLICY: "Policy", t.Entity.HANDOVER_PLAN: "Handover plan",
               t.Entity.HANDOVER_ITEM: "Handover item", t.Entity.AUDIT: "Audit",
               t.Entity.PORTFOLIO: "Portfolio", t.Entity.TEAM: "Team"},
    t.Whole: {t.Whole.APP: "App", t.Whole.PERSON: "Person", t.Whole.PLAN: "Plan",
              t.Whole.REVIEW: "Review", t.Whole.MERGED: "Merged into directory record"},
    t.Existence: {t.Existence.CREATED: "created", t.Existence.DELETED: "deleted",
                  t.Existence.EXISTS: "exists"},
    t.Triage: dict(TRIAGE_LABELS),
    t.Action: dict(ACTION_LABELS),
    t.PlanStatus: {t.PlanStatus.PLANNED: "Planned", t.PlanStatus.IN_PROGRESS: "In progress",
                   t.PlanStatus.DONE: "Done"},
    t.FlagName: dict(FLAG_LABELS),
    t.ReviewType: dict(REVIEW_LABELS),
    t.ReviewOutcome: dict(OUTCOME_LABELS),
    t.ConnectorGroup: {t.ConnectorGroup.BUSINESS: "Business",
                       t.ConnectorGroup.NON_BUSINESS: "Non-business",
                       t.ConnectorGroup.BLOCKED: "Blocked"},
    t.TeamRole: {t.TeamRole.LEAD: "Team lead", t.TeamRole.MEMBER: "Member"},
}

# --- escalation cases and duplicates (issue 18) ---
LABELS[t.Entity].update({t.Entity.ESCALATION: "Escalation case",
                         t.Entity.DUPLICATES: "Duplicate decision"})
LABELS[t.Whole].update({t.Whole.CASE: "Case", t.Whole.DECISION: "Decision"})
LABELS[t.EscalationStage] = {
    t.EscalationStage.RECOGNISED: "Recognised", t.EscalationStage.PARTNERED: "Partnered",
    t.EscalationStage.DECIDED: "Decided", t.EscalationStage.CLOSED: "Closed"}
LABELS[t.DuplicateVerdict] = {t.DuplicateVerdict.KEEP: "Keep all",
                              t.DuplicateVerdict.MERGE: "Merge",
                              t.DuplicateVerdict.RETIRE: "Retire the copies"}

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
