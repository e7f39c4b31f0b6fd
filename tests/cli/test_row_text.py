"""The rows `apps --json` and `classify --json` print as text are, byte for byte, the JSON
encoder's text of the rows as dicts: on every app of the sample, and on values that
JSON escapes or that a template could misread."""

from dataclasses import replace
from datetime import date

import pytest

from fusiondesk.cli.app_rows import app_row, classification_row, signs_of
from fusiondesk.cli.output import encode_row
from fusiondesk.cli.row_text import app_text, classification_text
from fusiondesk.core.facts import Integration, Owner
from fusiondesk.core.tiers import classify_many
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.classification.reclassify import policy_in_force


@pytest.fixture
def classified(sample_portfolio):
    with sample_portfolio.reading() as session:
        facts = list(load_facts(session).values())
        policy = policy_in_force(session)
    return facts, policy


def _pairs(facts, policy):
    # any day will do: both texts are of the same classification
    return list(zip(facts, classify_many(facts, policy, date(2026, 3, 1))))


def test_every_sample_app_is_written_as_the_encoder_writes_its_row(classified):
    pairs = _pairs(*classified)
    for facts, result in pairs:
        assert app_text(facts, signs_of(result)) == encode_row(app_row(facts, signs_of(result)))
        assert classification_text(facts, result) == encode_row(classification_row(facts, result))
    # the sample has what the shared texts are for: reasons, flags, unknowns and gates
    assert {result.drift for _, result in pairs} == {True, False}
    assert any(result.unknowns for _, result in pairs)


ODD_TEXT = 'A "quoted" 100% %s café\tline\nbreak \\ 営業 \u2028 \x01'


@pytest.mark.parametrize("changes", [
    {"name": ODD_TEXT, "description": ODD_TEXT, "notes": "%(key)s %% {}"},
    {"description": None, "users": None, "platform": None, "approved_tier": None,
     "created": None, "integrations": None, "compliance": None, "dr_plan": None},
    {"users": 0, "custom_code": False, "compliance": (), "data_categories": ("pii", ODD_TEXT),
     "last_used": date(1999, 12, 31), "integrations": (
         Integration(ODD_TEXT, "write", True, None, False, True), Integration("SAP"))},
    {"owners": (Owner("primary", email="a@x.example", status="active"),
                Owner("co_owner", name=ODD_TEXT, status="left"),
                Owner("business_owner", team="Team %s"),
                Owner("prodev_partner"))},  # an owner known by nothing is left out, as there
])
def test_values_json_escapes_are_written_as_the_encoder_writes_them(classified, changes):
    facts, policy = classified
    odd = [replace(facts[0], **changes)]
    for facts, result in _pairs(odd, policy):
        assert app_text(facts, signs_of(result)) == encode_row(app_row(facts, signs_of(result)))
        assert classification_text(facts, result) == encode_row(classification_row(facts, result))
