"""What a change set touched, as the views ask it."""

from fusiondesk.core.terms import Entity, Existence
from fusiondesk.services import affected
from fusiondesk.services.changes import ChangeSet, FieldChange


def _changes(*rows) -> ChangeSet:
    return ChangeSet([FieldChange(entity, key, field, None, new) for entity, key, field, new in rows])


def test_an_app_edit_names_its_app_and_fields_only():
    done = _changes((Entity.APP, "A-1", "users", 5), (Entity.APP, "A-1", "primary_owner", ("x@y.z",)))
    assert affected.app_ids(done) == {"A-1"}
    assert affected.app_fields(done) == {"users", "primary_owner"}
    assert affected.app_fields(done) & affected.OWNER_FIELDS == {"primary_owner"}
    assert not affected.apps_came_or_went(done) and not affected.is_portfolio_wide(done)
    assert affected.touches_only(done, Entity.APP) and not affected.touches(done, Entity.PERSON)


def test_a_review_names_its_app_by_the_key_before_the_last_hash():
    done = _changes((Entity.REVIEW, "A#7#12", "(review)", Existence.CREATED))
    assert affected.app_ids(done) == {"A#7"} and affected.app_fields(done) == set()


def test_created_apps_and_portfolio_wide_changes_are_told_apart():
    assert affected.apps_came_or_went(_changes((Entity.APP, "A-2", affected.APP_MARKER, Existence.CREATED)))
    for wide in (affected.everything(), _changes((Entity.POLICY, "policy", "version", 3)),
                 _changes((Entity.PORTFOLIO, "sample", "(apps)", "400"))):
        assert affected.is_portfolio_wide(wide) and affected.touches(wide, Entity.PERSON)
        assert not affected.touches_only(wide, Entity.AUDIT)
