"""Kind, licence and environment type: the words platform exports write, read as canonical values."""

from __future__ import annotations

import pytest

from fusiondesk.core.fields import APP_FIELD_BY_NAME, ENVIRONMENT_TYPES, KINDS
from fusiondesk.sheets.normalise import Normaliser
from fusiondesk.sheets.values import CellIssue
from fusiondesk.sheets.vocabulary import ENUM_SYNONYMS, value_key


def read(field: str, raw):
    return Normaliser(field)(raw)


@pytest.mark.parametrize("raw, expected", [
    # the Power Platform admin center's item types, and their older names
    ("Canvas app", "canvas_app"), ("Canvas", "canvas_app"), ("CanvasApp", "canvas_app"),
    ("ClassicCanvasApp", "canvas_app"), ("SharePoint form", "canvas_app"),
    ("Model-driven app", "model_driven_app"), ("Model driven", "model_driven_app"),
    ("ModelDrivenApp", "model_driven_app"),
    ("Cloud flow", "cloud_flow"), ("Flow", "cloud_flow"),
    ("Automated cloud flow", "cloud_flow"), ("Instant cloud flow", "cloud_flow"),
    ("Scheduled cloud flow", "cloud_flow"), ("Power Automate flow", "cloud_flow"),
    ("Microsoft Flow", "cloud_flow"),
    ("Desktop flow", "desktop_flow"), ("RPA", "desktop_flow"),
    ("Power Automate Desktop", "desktop_flow"), ("UI flow", "desktop_flow"),
    ("Agent", "agent"), ("Copilot", "agent"), ("Copilot agent", "agent"), ("Bot", "agent"),
    ("Chatbot", "agent"), ("Power Virtual Agents bot", "agent"),
    ("Copilot Studio agent", "agent"),
    ("Site", "site"), ("Power Pages site", "site"), ("Portal", "site"), ("Website", "site"),
    ("Code app", "other"), ("Custom page", "other"), ("Solution", "other"), ("Other", "other"),
    # the stored values themselves, as an exported workbook writes them
    *((kind, kind) for kind in KINDS), ("  model_driven_app ", "model_driven_app"),
])
def test_export_item_types_read_as_kinds(raw, expected):
    assert read("kind", raw) == expected


@pytest.mark.parametrize("raw", ["App", "Power app", "Desktop", "Workflow"])
def test_an_ambiguous_item_type_is_refused_rather_than_guessed(raw):
    issue = read("kind", raw)

    assert isinstance(issue, CellIssue) and issue.value is None
    assert issue.unrecognised == (raw,)
    assert "is not a known kind; use one of canvas_app, model_driven_app" in issue.message


@pytest.mark.parametrize("raw, expected", [
    ("Default", "default"), ("Sandbox", "sandbox"), ("Developer", "developer"), ("Dev", "developer"),
    ("Production", "production"), ("Prod", "production"), ("Trial", "trial"),
    ("Trial (subscription-based)", "trial"), ("Teams", "teams"), ("Microsoft Teams", "teams"),
    ("Dataverse for Teams", "teams"), ("Test", "sandbox"),
    *((kind, kind) for kind in ENVIRONMENT_TYPES),
])
def test_environment_types_read_as_canonical_values(raw, expected):
    assert read("environment_type", raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Premium", "Premium"), (" Standard  ", "Standard"), ("Per app", "Per app"),
    ("Pay-as-you-go", "Pay-as-you-go"), ("Confidential", "Confidential"), ("", None),
    ("n/a", None),
])
def test_licence_is_kept_as_written(raw, expected):
    assert read("licence", raw) == expected


def test_licence_is_free_text_not_a_data_class():
    assert APP_FIELD_BY_NAME["licence"].kind == "text"
    assert APP_FIELD_BY_NAME["licence"].choices == ()


@pytest.mark.parametrize("field", ["kind", "environment_type"])
def test_every_synonym_names_a_choice_and_never_hides_another(field):
    choices = APP_FIELD_BY_NAME[field].choices
    synonyms = ENUM_SYNONYMS[field]
    assert set(synonyms.values()) <= set(choices)
    # a synonym spelled like another choice would silently beat it
    assert not {value_key(c) for c in choices} & {k for k, v in synonyms.items()
                                                  if value_key(v) != k}
