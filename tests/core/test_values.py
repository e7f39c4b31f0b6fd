"""The flat-sheet forms of values: what is written reads back as the same facts."""

from itertools import product

import pytest

from fusiondesk.core.facts import Integration
from fusiondesk.core.values import carry_integrations, parse_integrations


@pytest.mark.parametrize("direction, approved, external, enterprise, asynchronous", list(product(
    (None, "read", "write", "bidirectional"), (None, True, False), (None, True, False),
    (None, True, False), (False, True))))
def test_every_integration_reads_back_from_its_text(direction, approved, external, enterprise, asynchronous):
    item = Integration("SAP S/4", direction, approved, external, enterprise, asynchronous)
    assert parse_integrations(item.to_text()) == (item,)


def test_text_forms_people_read():
    assert Integration("SAP", "write").to_text() == "SAP:write"
    assert Integration("Stripe", "write", False, True, None, True).to_text() == "Stripe:write:unapproved:external:async"


def test_plain_text_keeps_what_the_record_knows():
    stored = (Integration("SAP", "write", approved=True, enterprise=True),)
    assert carry_integrations(parse_integrations("SAP:write"), stored) == stored
    assert carry_integrations(parse_integrations("SAP:write:unapproved"), stored) == (
        Integration("SAP", "write", approved=False, enterprise=True),)
