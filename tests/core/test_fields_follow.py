"""Every list about canonical fields follows the registry, or fails here when it misses a field.

The editor, the table, the exports, the store and the sample derive theirs from core.fields;
the value words of enum fields and the model's columns are kept by hand, so a new field
they miss fails loudly here instead of silently reading or showing nothing.
"""

from __future__ import annotations

from fusiondesk.core.fields import (
    APP_COLUMNS,
    APP_FIELDS,
    ENUM,
    INTEGRATIONS,
    OWNER_FIELDS,
    PERSON_FIELDS,
    Group,
)
from fusiondesk.db.models import App
from fusiondesk.db.store.apps import APP_SCALARS, CLASSIFIED_SCALARS
from fusiondesk.gui.app_editor import TAB_GROUPS, TABS
from fusiondesk.sample_generator import generate
from fusiondesk.services.apps.table import COLUMN_BY_KEY, COLUMNS, DEFAULT_COLUMNS
from fusiondesk.services.audit.workbook import COMPUTED_COLUMNS, apps_columns
from fusiondesk.sheets.header_synonyms import APP_SYNONYMS, PERSON_SYNONYMS
from fusiondesk.sheets.vocabulary import ENUM_SYNONYMS, value_key

# The fields stored as they are in the app table (owners and integrations have tables of their own).
STORED_AS_IS = [f.name for f in APP_FIELDS if f.name not in OWNER_FIELDS and f.kind != INTEGRATIONS]


def test_the_editor_shows_each_placed_field_once_on_the_tab_of_its_group():
    assert {g for groups in TAB_GROUPS.values() for g in groups} == set(Group)
    shown = [name for names in TABS.values() for name in names]
    assert sorted(shown) == sorted(f.name for f in APP_FIELDS if f.group is not None)


def test_the_table_and_its_export_offer_every_field():
    keys = [c.key for c in COLUMNS]
    assert set(keys) == {*STORED_AS_IS, "integrations", "owners", "tier", "flags", "drift"}
    assert len(keys) == len(set(keys))
    assert set(DEFAULT_COLUMNS) <= set(COLUMN_BY_KEY)
    for f in APP_FIELDS:
        if f.name in COLUMN_BY_KEY:
            assert COLUMN_BY_KEY[f.name].header == f.label


def test_the_audit_workbook_apps_sheet_has_every_canonical_column():
    assert [name for name, _width in apps_columns()] == [*APP_COLUMNS, *COMPUTED_COLUMNS]


def test_the_store_keeps_every_field_and_loads_the_classified_ones_for_classification():
    assert list(APP_SCALARS) == STORED_AS_IS
    assert list(CLASSIFIED_SCALARS) == [f.name for f in APP_FIELDS if f.classified]
    assert set(CLASSIFIED_SCALARS) <= set(APP_SCALARS)


def test_the_app_model_has_a_column_for_every_field_stored_as_it_is():
    columns = set(App.__table__.columns.keys())
    missing = [name for name in STORED_AS_IS if name not in columns]
    assert not missing, f"add these to db/models.py App (and a migration): {missing}"


def test_header_synonyms_are_the_registry_headers():
    assert APP_SYNONYMS == {f.name: f.headers for f in APP_FIELDS if f.headers}
    assert PERSON_SYNONYMS == {f.name: f.headers for f in PERSON_FIELDS if f.headers}


def test_every_enum_field_has_its_value_words_and_they_name_its_choices():
    enums = {f.name: f for f in (*APP_FIELDS, *PERSON_FIELDS) if f.kind == ENUM}
    missing = sorted(set(enums) - set(ENUM_SYNONYMS))
    assert not missing, f"add the words inventories use for {missing} to sheets/vocabulary.py"
    assert set(ENUM_SYNONYMS) <= set(enums)
    for name, words in ENUM_SYNONYMS.items():
        assert set(words.values()) <= set(enums[name].choices), name
        assert all(word == value_key(word) for word in words), name


def test_the_sample_draws_a_field_from_its_registry_range(monkeypatch):
    import fusiondesk.sample_generator as generator

    monkeypatch.setattr(generator, "HINTED", (("users_at_last_review", (3, 5)),))
    hinted = generate(60, seed=3).apps
    values = [app.users_at_last_review for app in hinted]
    assert set(values) == {None, 3, 4, 5}
    # Drawn from a stream of its own: every other fact is as the unhinted sample has it.
    monkeypatch.setattr(generator, "HINTED", ())
    plain = generate(60, seed=3).apps
    assert [app.with_changes(users_at_last_review=p.users_at_last_review)
            for app, p in zip(hinted, plain)] == plain
