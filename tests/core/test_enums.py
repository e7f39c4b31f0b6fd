"""Every closed vocabulary is one StrEnum whose values are the strings stored and exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fusiondesk
from fusiondesk.core import fields, handover, reviews, successors
from fusiondesk.core.terms import (
    Action,
    Certification,
    Complexity,
    Criticality,
    DataCategory,
    Direction,
    Entity,
    EnvironmentType,
    Kind,
    Lifecycle,
    OwnerRole,
    PersonRole,
    PersonStatus,
    PlanStatus,
    ReviewOutcome,
    ReviewType,
    Scope,
    Sensitivity,
    Source,
    Support,
    Triage,
    is_active_status,
    is_staying,
)

# DOMAIN.md's lists, as written there: the stored values must never drift from them.
DOMAIN_LISTS = {
    Lifecycle: "idea | development | pilot | production | retired",
    Scope: "team | department | cross_department | enterprise | external",
    Sensitivity: "public | internal | confidential | regulated",
    DataCategory: "pii | phi | payment | financial | credentials",
    Criticality: "low | medium | high | mission_critical",
    Complexity: "simple | moderate | complex",
    Support: "none | team | it",
    Direction: "read | write | bidirectional",
    OwnerRole: "primary | co_owner | business_owner | prodev_partner",
    PersonRole: "citizen_developer | pro_developer | coe_admin | business_owner",
    Certification: "none | trained | certified",
    PersonStatus: "active | leaving | left",
}

FIELD_TUPLES = {
    Lifecycle: fields.LIFECYCLES, Scope: fields.SCOPES, Sensitivity: fields.SENSITIVITIES,
    DataCategory: fields.DATA_CATEGORIES, Criticality: fields.CRITICALITIES,
    Complexity: fields.COMPLEXITIES, Support: fields.SUPPORT_LEVELS,
    Direction: fields.DIRECTIONS, Kind: fields.KINDS,
    EnvironmentType: fields.ENVIRONMENT_TYPES, OwnerRole: fields.OWNER_ROLES,
    PersonRole: fields.PERSON_ROLES, Certification: fields.CERTIFICATIONS,
    PersonStatus: fields.PERSON_STATUSES, Triage: handover.TRIAGES,
    PlanStatus: handover.STATUSES, Action: successors.ACTIONS,
    ReviewType: reviews.REVIEW_TYPES, ReviewOutcome: reviews.OUTCOMES,
}


@pytest.mark.parametrize("enum", list(DOMAIN_LISTS), ids=lambda e: e.__name__)
def test_each_enum_holds_exactly_domain_md_values_in_order(enum):
    assert [m.value for m in enum] == DOMAIN_LISTS[enum].split(" | ")


@pytest.mark.parametrize("enum", list(FIELD_TUPLES), ids=lambda e: e.__name__)
def test_the_choice_tuples_are_the_enums(enum):
    assert FIELD_TUPLES[enum] == tuple(m.value for m in enum)


def test_kinds_and_environment_types_keep_their_stored_spellings():
    assert fields.KINDS == ("canvas_app", "model_driven_app", "cloud_flow", "desktop_flow",
                            "agent", "site", "other")
    assert fields.ENVIRONMENT_TYPES == ("default", "sandbox", "developer", "production",
                                        "trial", "teams")


def test_change_log_sources_and_entities_keep_their_stored_spellings():
    assert {s.value for s in Source} == {"edit", "bulk_edit", "undo", "import", "rule", "review",
                                         "handover", "policy", "audit", "sample"}
    assert {e.value for e in Entity} == {"app", "person", "review", "policy", "handover_plan",
                                         "handover_item", "audit", "portfolio", "team",
                                         "escalation", "duplicates"}


def test_a_member_is_its_plain_string_in_json_text_and_dict_keys():
    encoded = json.dumps({Source.IMPORT: Criticality.MISSION_CRITICAL})
    assert encoded == '{"import": "mission_critical"}'
    assert f"{PersonStatus.LEAVING}" == str(PersonStatus.LEAVING) == "leaving"
    assert {"high": 1}[Criticality.HIGH] == 1 and {Criticality.HIGH: 1}["high"] == 1


def test_active_owner_and_staying_are_one_rule_each():
    assert [s for s in PersonStatus if is_active_status(s)] == ["active", "leaving"]
    assert not is_active_status(None) and not is_active_status("unknown")
    assert [s for s in PersonStatus if is_staying(s)] == ["active"]


# The rule stays enforced: these values are spelled only where their vocabulary is declared
# (and in the synonym tables of what users write).
SPELLED_ONCE = ('"mission_critical"', '"leaving"', "'mission_critical'", "'leaving'")
ALLOWED = {"core/terms.py", "sheets/vocabulary.py"}


def test_vocabulary_values_are_not_spelled_as_literals_elsewhere():
    package = Path(fusiondesk.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(literal in line for literal in SPELLED_ONCE):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []
