"""Facts made in bulk (`facts_of_columns`) are the facts AppFacts(*values) makes."""

import pickle
from dataclasses import FrozenInstanceError, fields, replace
from datetime import date

import pytest

from fusiondesk.core.facts import AppFacts, Integration, Owner, facts_of_columns

NAMES = [f.name for f in fields(AppFacts)]


def _values(n: int) -> list:
    """A distinct value for every field of app n (what type it is does not matter here)."""
    return [f"{name}-{n}" for name in NAMES]


def test_bulk_facts_equal_the_constructors_field_by_field():
    rows = [_values(n) for n in range(3)]
    rows.append([None] * len(NAMES))
    made = list(facts_of_columns(*zip(*rows)))
    assert made == [AppFacts(*row) for row in rows]
    assert all(type(one) is AppFacts for one in made)
    assert [[getattr(one, n) for n in NAMES] for one in made] == rows


def test_bulk_facts_behave_as_facts():
    owner = Owner(role="primary", email="ana@contoso.example")
    columns = [[None] for _ in NAMES]
    columns[NAMES.index("app_id")] = ["A-1"]
    columns[NAMES.index("owners")] = [(owner,)]
    columns[NAMES.index("integrations")] = [(Integration("SAP", "write"),)]
    columns[NAMES.index("created")] = [date(2026, 1, 2)]
    (facts,) = facts_of_columns(*columns)
    with pytest.raises(FrozenInstanceError):
        facts.name = "changed"  # still frozen
    assert hash(facts) == hash(AppFacts(*(column[0] for column in columns)))
    assert pickle.loads(pickle.dumps(facts)) == facts  # sent to a second process as before
    assert replace(facts, name="B").name == "B" and facts.name is None


def test_bulk_facts_need_every_field():
    with pytest.raises(TypeError, match="fields"):
        facts_of_columns(*([["x"]] * (len(NAMES) - 1)))
