"""The read-side stores: the portfolio table's queries, the dashboard's counts, the audits' reads."""

from datetime import date, datetime

from fusiondesk.core.facts import AppFacts, Owner, PersonFacts
from fusiondesk.core.terms import Entity, OwnerRole, PersonStatus, Source
from fusiondesk.db.models import App, ChangeLogEntry
from fusiondesk.db.store import app_table, audit, dashboard, people, settings
from fusiondesk.db.store.chunks import CHUNK
from fusiondesk.services.apps import bulk

DAY = date(2026, 11, 1)


def test_table_keys_stored_under_another_name_resolve_to_their_column():
    assert app_table.stored("owners") is App.owner_summary
    assert app_table.stored("integrations") is App.integration_summary
    assert app_table.stored("users") is App.users


def test_search_words_match_literally_in_any_case_and_every_word_must_match(empty_portfolio):
    with empty_portfolio.transaction() as session:
        ids = bulk.insert_apps(session, [AppFacts("A", "Budget 100% ready", department="Finance"),
                                         AppFacts("B", "Budget 1000 ready", department="Finance"),
                                         AppFacts("C", "Under_score", department="HR")])
    keys = {db_id: key for key, db_id in ids.items()}
    with empty_portfolio.reading() as session:
        def found(*words, **kwargs):
            return [keys[i] for i in app_table.matching_ids(session, {}, words=words, **kwargs)]

        assert found("100%") == ["A"] and found("BUDGET") == ["A", "B"]
        assert found("budget", "finance") == ["A", "B"] and found("budget", "hr") == []
        assert found("r_s") == ["C"] and found("t_1") == []  # % and _ are no wildcards
        assert found("budget", sort="name", descending=True) == ["B", "A"]
        assert found(sort="department") == ["A", "B", "C"]


def test_existing_ids_of_more_apps_than_one_statement_can_name(empty_portfolio):
    keys = [f"A-{n}" for n in range(CHUNK + 50)]
    with empty_portfolio.transaction() as session:
        ids = bulk.insert_apps(session, [AppFacts(k, k) for k in keys])
    with empty_portfolio.reading() as session:
        assert sorted(app_table.existing_db_ids(session, [*keys, "GONE"])) == sorted(ids.values())
        assert app_table.app_count(session) == len(keys)


def test_flag_combinations_come_back_split_with_their_counts(empty_portfolio):
    with empty_portfolio.transaction() as session:
        ids = bulk.insert_apps(session, [AppFacts(k, k) for k in "ABCD"])
        for key, flags in zip("ABCD", ("single_owner;inactive", "single_owner;inactive",
                                        "inactive", "")):
            session.query(App).filter(App.id == ids[key]).update({"flags": flags})
    with empty_portfolio.reading() as session:
        assert sorted(dashboard.flag_combinations(session)) == [
            ("inactive", 1), ("single_owner;inactive", 2)]


def test_leavers_count_people_and_their_apps_in_the_span(empty_portfolio):
    ada = PersonFacts(email="ada@example.com", name="Ada", status=PersonStatus.LEAVING,
                      leave_date=date(2026, 12, 1))
    bo = PersonFacts(email="bo@example.com", name="Bo", leave_date=date(2027, 6, 1))
    owned = (Owner(OwnerRole.PRIMARY, "ada@example.com"), Owner(OwnerRole.CO_OWNER, "bo@example.com"))
    with empty_portfolio.transaction() as session:
        people.insert_people(session, [ada, bo])
        bulk.insert_apps(session, [AppFacts(k, k, owners=owned) for k in "AB"])
    with empty_portfolio.reading() as session:
        assert dashboard.upcoming_leavers(session, DAY, 5) == (  # Bo is not marked leaving
            1, 2, [("ada@example.com", "Ada", date(2026, 12, 1), 2)])
        assert dashboard.top_owners(session, 1) == [("ada@example.com", "Ada", 2)]


def _log(entity, key, field, new, source=Source.EDIT, old=None):
    return ChangeLogEntry(at=datetime(2026, 11, 1), who="tester", entity=entity, entity_key=key,
                          field=field, old_value=old, new_value=new, source=source)


def test_the_audit_reads_only_log_rows_after_the_last_it_saw(empty_portfolio):
    with empty_portfolio.transaction() as session:
        assert audit.newest_log_id(session) == 0
        session.add(_log(Entity.APP, "OLD", "approved_tier", "2"))
        session.flush()
        seen = audit.newest_log_id(session)
        session.add_all([_log(Entity.APP, "A", "approved_tier", "3", old="2"),
                         _log(Entity.PERSON, "ada@example.com", "status", PersonStatus.LEFT),
                         _log(Entity.AUDIT, "portfolio", "last_audit", "x", Source.AUDIT)])
    with empty_portfolio.reading() as session:
        assert audit.logged_changes_since(session, seen, Entity.APP, "approved_tier") == [
            ("A", "2", "3", "tester")]
        assert audit.logged_keys_since(session, seen, Entity.PERSON, "status",
                                       PersonStatus.LEFT) == {"ada@example.com"}
        assert audit.changes_by_source_since(session, 0, Source.AUDIT) == {"edit": 3}
        assert audit.changes_by_source_since(session, seen, Source.AUDIT) == {"edit": 2}


def test_a_setting_is_replaced_not_added(empty_portfolio):
    with empty_portfolio.transaction() as session:
        assert settings.read_setting(session, "audit.history") is None
        settings.write_setting(session, "audit.history", "[1]")
        settings.write_setting(session, "audit.history", "[1, 2]")
    with empty_portfolio.reading() as session:
        assert settings.read_setting(session, "audit.history") == "[1, 2]"
