"""The store's one-app and one-person functions read and write what the bulk paths do."""

from sqlalchemy import select

from fusiondesk.db.models import App, Person
from fusiondesk.db.store import apps as app_store
from fusiondesk.db.store import people as people_store


def test_an_app_read_for_editing_has_the_facts_the_bulk_read_gives(sample_portfolio):
    with sample_portfolio.reading() as session:
        everyone = app_store.load_facts(session)
        versions = dict(session.execute(select(App.id, App.version)).all())
        for db_id, facts in everyone.items():
            stored = app_store.read_app(session, facts.app_id)
            assert (stored.db_id, stored.version, stored.facts) == (db_id, versions[db_id], facts)
        assert app_store.read_app(session, "no-such-app") is None


def test_an_update_on_a_stale_version_writes_nothing(sample_portfolio):
    with sample_portfolio.transaction() as session:
        stored = app_store.read_app(session, app_store.load_facts(session)[1].app_id)
        changed = stored.facts.with_changes(notes="first")
        assert app_store.update_app(session, stored, changed)
        assert not app_store.update_app(session, stored, stored.facts.with_changes(notes="second"))
        assert app_store.read_app(session, stored.facts.app_id).facts.notes == "first"


def test_people_are_listed_in_the_order_the_database_sorts_names_and_emails(sample_portfolio):
    with sample_portfolio.transaction() as session:
        people_store.insert_person(session, {"email": None, "name": "Zed Nomail"})
        people_store.insert_person(session, {"email": "noname@contoso.example"})
        expected = list(session.scalars(select(Person.id).order_by(Person.name, Person.email)))
        assert [p.id for p in people_store.listed_people(session)] == expected


def test_people_are_found_by_every_word_of_a_search(sample_portfolio):
    with sample_portfolio.reading() as session:
        someone = people_store.listed_people(session)[5].values
        found = people_store.listed_people(session, f"{someone['email'].upper()} "
                                                    f"{someone['department'] or ''}")
        assert someone["email"] in [p.values["email"] for p in found]
        assert all(p.values["status"] == "left"
                   for p in people_store.listed_people(session, status="left"))
