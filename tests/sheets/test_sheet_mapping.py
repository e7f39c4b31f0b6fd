"""Suggesting which canonical field each source column holds."""

from __future__ import annotations

import pytest

from fusiondesk.core.fields import APP_FIELDS, PERSON_FIELDS
from fusiondesk.sheets.mapping import (
    ColumnSuggestion,
    detect_entity,
    header_key,
    mapping_for,
    suggest_mapping,
)


@pytest.mark.parametrize("header, field", [
    ("App Display Name", "name"), ("Application", "name"), ("App Name", "name"),
    ("Maker", "primary_owner"), ("Created By", "primary_owner"), ("Owner", "primary_owner"),
    ("Owner Email", "primary_owner"), ("# of users", "users"), ("Shared Users", "users"),
    ("User Count", "users"), ("Data Classification", "data_sensitivity"),
    ("Business Impact", "criticality"), ("Go-live", "deployed_on"),
    ("Go Live Date", "deployed_on"), ("Environment Name", "environment"),
    ("Connectors", "integrations"), ("Last Launched", "last_used"),
    ("Last Modified On", "last_modified"), ("Created On", "created"),
    ("Department/BU", "department"),
])
def test_known_synonyms_map_with_high_confidence(header, field):
    [suggestion] = suggest_mapping([header])

    assert (suggestion.field, suggestion.confidence) == (field, 0.9)
    assert suggestion.reason.startswith("known synonym for ")


def test_co_owners_is_the_canonical_name_however_it_is_spelt():
    assert [(s.field, s.confidence) for s in suggest_mapping(["Co-owners"])] == [
        ("co_owners", 1.0)]


@pytest.mark.parametrize("header, field", [
    ("name", "name"), ("NAME", "name"), ("Data_Sensitivity", "data_sensitivity"),
    ("data sensitivity", "data_sensitivity"), ("  calc_complexity ", "calc_complexity"),
    ("Primary owner", "primary_owner"), ("DR plan", "dr_plan"), ("APPROVED_TIER", "approved_tier"),
])
def test_canonical_names_in_any_case_map_with_full_confidence(header, field):
    assert suggest_mapping([header]) == [
        ColumnSuggestion(header, field, 1.0, "canonical field name")]


def test_the_export_headers_map_back_to_every_field():
    headers = [field.name for field in APP_FIELDS]

    assert mapping_for(headers) == {name: name for name in headers}


def test_each_field_goes_to_one_column_and_the_better_match_wins():
    suggestions = suggest_mapping(["Application", "Name", "App Name"])

    assert [(s.header, s.field, s.confidence) for s in suggestions] == [
        ("Application", None, 0.0), ("Name", "name", 1.0), ("App Name", None, 0.0)]
    assert suggestions[0].reason == "best match name is already used by another column"


def test_equal_matches_go_to_the_first_column():
    suggestions = suggest_mapping(["Owner", "Maker"])

    assert [(s.field, s.confidence) for s in suggestions] == [
        ("primary_owner", 0.9), (None, 0.0)]


def test_misspelt_headers_match_fuzzily_below_synonym_confidence():
    [owner, users] = suggest_mapping(["Ownr Emial", "Numbr of users"])

    assert owner.field == "primary_owner" and 0.6 <= owner.confidence < 0.9
    assert owner.reason == "similar to “owner email”"
    assert users.field == "users" and 0.6 <= users.confidence < 0.9


def test_headers_that_contain_a_synonym_match():
    [suggestion] = suggest_mapping(["App owner email (primary)"])

    assert suggestion.field == "primary_owner"
    assert suggestion.reason == "contains “app owner email”"
    assert 0.75 < suggestion.confidence < 0.9


def test_unrelated_and_known_unmapped_headers_get_no_field():
    suggestions = suggest_mapping(["Favourite colour", "Modified By", "Owner Name", ""])

    assert [(s.field, s.confidence) for s in suggestions] == [(None, 0.0)] * 4
    assert suggestions[0].reason == "no matching field"
    assert suggestions[1].reason == "known column with no canonical field"


def test_mapping_for_leaves_out_unmatched_columns():
    assert mapping_for(["App Name", "Favourite colour", "Maker"]) == {
        "App Name": "name", "Maker": "primary_owner"}


@pytest.mark.parametrize("header, field", [
    ("Email", "email"), ("E-mail address", "email"), ("UPN", "email"),
    ("Full Name", "name"), ("Role", "role"), ("Persona", "role"),
    ("Certification level", "certification"), ("Employment status", "status"),
    ("Last day", "leave_date"), ("Line manager", "manager_email"),
    ("Max apps", "capacity"), ("Department/BU", "department"),
    ("Certified platforms", "certified_platforms"),
])
def test_people_headers(header, field):
    [suggestion] = suggest_mapping([header], PERSON_FIELDS)

    assert suggestion.field == field
    assert suggestion.confidence >= 0.9


def test_people_sheet_maps_maker_to_the_persons_name():
    assert mapping_for(["Email", "Maker"], PERSON_FIELDS) == {"Email": "email", "Maker": "name"}


@pytest.mark.parametrize("headers, sheet, entity", [
    (["App Name", "Owner", "Users"], None, "apps"),
    (["Email", "Name", "Role", "Status"], None, "people"),
    (["Email", "Name", "Role"], "Apps", "apps"),
    (["App Name", "Users"], "People", "people"),
    (["Name", "Department"], None, "apps"),
    (["Name", "Owner Email", "Status"], "Sheet1", "apps"),
])
def test_detect_entity(headers, sheet, entity):
    assert detect_entity(headers, sheet) == entity


def test_mapping_for_uses_the_sheet_to_choose_fields():
    assert mapping_for(["Email", "Name", "Status"], sheet="People") == {
        "Email": "email", "Name": "name", "Status": "status"}
    assert mapping_for(["Name", "Status"], sheet="Apps") == {"Name": "name", "Status": "lifecycle"}


def test_header_key_ignores_case_and_punctuation():
    assert header_key(" Department/BU ") == "department bu"
    assert header_key("# of users") == "number of users"
    assert header_key("R&D") == "r and d"


def test_sixteen_thousand_columns_map_in_under_a_second():
    """Excel's widest sheet: header matching is linear, fuzzy matching only near the header."""
    import time

    headers = ["App Name", "Ownr Emial", "Enviroment"] + [f"Measure {n} value" for n in range(16381)]
    started = time.perf_counter()
    found = suggest_mapping(headers)
    elapsed = time.perf_counter() - started

    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert [s.field for s in found[:3]] == ["name", "primary_owner", "environment"]
    assert all(s.field is None for s in found[3:])
