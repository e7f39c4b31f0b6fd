"""The field registry agrees with itself and with the facts an app carries."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import date

import pytest

from fusiondesk.core.facts import FACT_TYPES, AppFacts, DeclaredAppFacts
from fusiondesk.core.fields import (
    APP_FIELDS,
    BOOL,
    DATE,
    EMAILS,
    ENUM,
    INT,
    INTEGRATIONS,
    LIST,
    OWNER_COLUMNS,
    OWNER_FIELDS,
    PERSON_FIELDS,
    TEXT,
    TIER,
    Field,
)
from fusiondesk.core.policy import default_policy
from fusiondesk.core.tiers import classify_many
from fusiondesk.sample_generator import generate
from fusiondesk.sheets.mapping import header_key

KINDS = {TEXT, INT, DATE, BOOL, ENUM, LIST, INTEGRATIONS, TIER, EMAILS}
# What AppFacts holds besides the registry's fields: owners come from the owner columns,
# the next review and a passed readiness review from the reviews, the deployer and their
# role from the people `deployed_by` names.
NOT_COLUMNS = {"owners", "next_review_due", "readiness_passed", "deployer", "deployer_role"}


@pytest.mark.parametrize("registry", [APP_FIELDS, PERSON_FIELDS], ids=["apps", "people"])
def test_every_field_has_one_name_a_known_kind_and_a_label(registry):
    names = [f.name for f in registry]
    assert len(names) == len(set(names))
    for f in registry:
        assert f.kind in KINDS, f.name
        assert f.label and f.label[0].isupper(), f.name
        assert not f.choices or f.kind in (ENUM, LIST), f.name
        assert f.kind != ENUM or f.choices, f"{f.name} is an enum without choices"


@pytest.mark.parametrize("registry", [APP_FIELDS, PERSON_FIELDS], ids=["apps", "people"])
def test_header_spellings_are_in_header_key_form_and_claimed_once(registry):
    claimed: dict[str, str] = {}
    for f in registry:
        for header in f.headers:
            assert header == header_key(header), f"{f.name}: {header!r} is not in header_key form"
            assert header not in claimed, f"{header!r} is claimed by {claimed.get(header)} and {f.name}"
            claimed[header] = f.name


def test_owner_fields_are_the_flat_owner_columns_and_the_team():
    assert OWNER_FIELDS == (*OWNER_COLUMNS, "owner_team")
    assert {f.name for f in APP_FIELDS if f.kind == EMAILS} == set(OWNER_COLUMNS)


def test_every_app_field_but_the_integrations_has_a_place_in_the_editor():
    unplaced = [f.name for f in APP_FIELDS if f.group is None]
    assert unplaced == ["integrations"]  # edited on a tab of its own


def test_app_facts_carry_every_registry_field_and_nothing_else():
    facts = {f.name for f in fields(AppFacts)}
    registry = {f.name for f in APP_FIELDS} - set(OWNER_FIELDS)
    assert facts - NOT_COLUMNS == registry


def _spelled(python_type) -> str:
    return python_type.__name__ if isinstance(python_type, type) else str(python_type)


def test_declared_facts_have_the_type_their_registry_kind_gives():
    by_name = {f.name: f for f in APP_FIELDS}
    for fact in fields(DeclaredAppFacts):
        spec = by_name.get(fact.name)
        if spec is None or spec.kind == INTEGRATIONS:
            continue
        if fact.default is MISSING:  # app_id and name: every app has them
            assert fact.type == _spelled(FACT_TYPES[spec.kind]), fact.name
            continue
        assert fact.type == f"{_spelled(FACT_TYPES[spec.kind])} | None", fact.name
        assert fact.default is None, f"{fact.name}: None means unknown, and unknown is the default"


def test_an_undeclared_field_becomes_a_fact_that_is_unknown_until_given(monkeypatch):
    # What adding a field to the registry alone gives AppFacts, built as facts.py builds it.
    from fusiondesk.core import facts as facts_module

    extra = Field("minutes_saved", INT, "Minutes saved")
    monkeypatch.setattr(facts_module, "APP_FIELDS", (*APP_FIELDS, extra))
    added = {name: (python_type, spec) for name, python_type, spec in facts_module._undeclared_facts()}
    python_type, spec = added["minutes_saved"]
    assert python_type == (int | None) and spec.default is None


def test_classification_reads_only_the_fields_marked_classified():
    # Blanking every other field changes no tier, reason, flag or unknown: reclassifying,
    # which loads only the classified fields, decides what a full load would.
    sample = generate(400, seed=11).apps
    others = {f.name: None for f in APP_FIELDS
              if not f.classified and f.name not in OWNER_FIELDS and f.kind != INTEGRATIONS}
    blanked = [app.with_changes(**others) for app in sample]
    policy, today = default_policy(), date(2026, 11, 1)
    assert classify_many(blanked, policy, today) == classify_many(sample, policy, today)
