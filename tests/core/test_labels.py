"""Every value a screen can show has words a person reads, kept in one place."""

import inspect
from enum import StrEnum

import pytest

from fusiondesk.core import labels, terms
from fusiondesk.core.fields import APP_FIELDS, ENUM, PERSON_FIELDS

VOCABULARIES = [obj for _name, obj in inspect.getmembers(terms, inspect.isclass)
                if issubclass(obj, StrEnum) and obj is not StrEnum]


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_member_of_every_vocabulary_has_a_label(vocabulary):
    missing = [m.value for m in vocabulary if not labels.LABELS.get(vocabulary, {}).get(m.value)]
    assert missing == [], f"{vocabulary.__name__} has no label for {missing}"


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_no_label_is_the_raw_value_with_underscores(vocabulary):
    raw = [text for text in labels.LABELS[vocabulary].values() if "_" in text]
    assert raw == []


def test_labels_name_no_value_a_vocabulary_lacks():
    stale = {v.__name__: set(labels.LABELS[v]) - {m.value for m in v} for v in labels.LABELS}
    assert {name: extra for name, extra in stale.items() if extra} == {}


@pytest.mark.parametrize("field", [f for f in (*APP_FIELDS, *PERSON_FIELDS) if f.kind == ENUM],
                         ids=lambda f: f.name)
def test_every_enum_field_shows_labels_for_its_choices(field):
    shown = [labels.field_label(field.name, value) for value in field.choices]
    assert all(text and text != value for text, value in zip(shown, field.choices)
               if "_" in value)
    assert len(set(shown)) == len(shown)  # two choices never read the same


def test_a_role_reads_as_words_and_stays_stored_as_its_value():
    assert labels.field_label("role", "business_owner") == "Business owner"
    assert labels.label(terms.OwnerRole, terms.OwnerRole.PRODEV_PARTNER) == "Pro-dev partner"
    assert labels.choices(terms.Triage)[-1] == ("Archive candidate", "archive_candidate")


def test_unknown_and_unlisted_values_read_as_they_are():
    assert labels.label(terms.PersonStatus, None) == ""
    assert labels.label(terms.PersonStatus, "on_sabbatical") == "on_sabbatical"
    assert labels.field_label("name", "Expense Tracker") is None
