"""The store: one mapping per table, built by field name, shared by single edits and bulk writes."""

from dataclasses import fields as dataclass_fields
from datetime import date

from sqlalchemy import select

from fusiondesk.core.facts import AppFacts, Owner, PersonFacts
from fusiondesk.core.fields import PERSON_COLUMNS
from fusiondesk.core.terms import OwnerRole, PersonStatus
from fusiondesk.db.models import Ownership, Person
from fusiondesk.db.store import ownership, people
from fusiondesk.db.store.chunks import CHUNK, Scope, chunks
from fusiondesk.services.apps import bulk
from fusiondesk.services.apps import edits as app_edits

EVERYONE = PersonFacts(
    email="ada@example.com", name="Ada Lovelace", department="Finance", role="pro_developer",
    certification="pl-900", certified_platforms=("power_apps", "power_automate"),
    status=PersonStatus.LEAVING, leave_date=date(2026, 3, 31), manager_email="boss@example.com",
    capacity=7,
)


def test_every_person_fact_is_a_person_field_and_column_of_the_same_name():
    facts = {f.name for f in dataclass_fields(PersonFacts)}
    assert facts <= set(PERSON_COLUMNS)
    assert set(PERSON_COLUMNS) <= set(Person.__table__.c.keys())


def test_a_person_round_trips_every_field_by_name(empty_portfolio):
    assert all(getattr(EVERYONE, f.name) not in (None, ()) for f in dataclass_fields(PersonFacts))
    with empty_portfolio.transaction() as session:
        ids = people.insert_people(session, [EVERYONE])
    with empty_portfolio.reading() as session:
        assert people.read_people(session) == [EVERYONE]
        assert people.read_people_by_id(session) == {ids["ada@example.com"]: EVERYONE}
        (row,) = people.person_rows(session, where=Person.email == "ada@example.com")
        assert row.id == ids["ada@example.com"] and row.version == 1
        assert row.values == {name: getattr(EVERYONE, name) for name in PERSON_COLUMNS}


def test_facts_are_built_by_name_so_a_new_field_shifts_no_other():
    values = {name: getattr(EVERYONE, name) for name in PERSON_COLUMNS}
    shuffled = dict(reversed(list(values.items())))
    assert people.person_facts(shuffled) == EVERYONE
    # a column the facts do not have yet (a new field, not in PersonFacts) changes nothing
    assert people.person_facts({"pronouns": "she/her", **values}) == EVERYONE


def test_an_unknown_list_reads_as_none_in_facts_and_as_unknown_in_values(empty_portfolio):
    with empty_portfolio.transaction() as session:
        people.insert_people(session, [PersonFacts(email="Bo@Example.com ", name="Bo")])
    with empty_portfolio.reading() as session:
        (bo,) = people.read_people(session)
        assert bo.email == "bo@example.com" and bo.certified_platforms == ()
        assert bo.status == PersonStatus.ACTIVE
        assert people.person_rows(session)[0].values["certified_platforms"] is None


def test_every_owner_fact_is_read_from_a_column():
    # certificates: what counts of the builder's certifications, made from the person's
    # columns and their certification rows (db.store.certifications), not one column; a
    # team's members are read from team_member (teams.members_by_team), not a column
    assert set(ownership._OWNER_SOURCES) | {"members"} == (
        {f.name for f in dataclass_fields(Owner)} - {"certificates"})


OWNERS = (
    Owner(OwnerRole.PRIMARY, "ada@example.com"),
    Owner(OwnerRole.CO_OWNER, "bo@example.com"),
    Owner(OwnerRole.CO_OWNER, "bo@example.com"),  # written once
    Owner(OwnerRole.BUSINESS_OWNER, team="Finance Ops"),
)


def _stored(session, db_id):
    query = (select(Ownership.role, Person.email, Ownership.team_id)
             .outerjoin(Person, Ownership.person_id == Person.id)
             .where(Ownership.app_id == db_id).order_by(Ownership.id))
    return [(role, email, team is not None) for role, email, team in session.execute(query)]


def test_ownership_written_by_a_single_edit_and_in_bulk_reads_back_the_same(empty_portfolio):
    with empty_portfolio.transaction() as session:
        people.insert_people(session, [EVERYONE])
        app_edits.create_app(session, AppFacts("ONE", "One", owners=OWNERS), "tester")
        ids = bulk.insert_apps(session, [AppFacts("MANY", "Many", owners=OWNERS)])
    with empty_portfolio.reading() as session:
        one = app_edits.db_id_of(session, "ONE")
        owners = ownership.read_owners(session)
        assert owners[one] == owners[ids["MANY"]]
        assert [(o.role, o.key) for o in owners[one]] == [
            (OwnerRole.PRIMARY, "ada@example.com"), (OwnerRole.CO_OWNER, "bo@example.com"),
            (OwnerRole.BUSINESS_OWNER, "Finance Ops")]
        assert owners[one][0].status == PersonStatus.LEAVING  # the person's own facts
        assert owners[one][0].person_role == "pro_developer"
        assert _stored(session, one) == _stored(session, ids["MANY"])


def test_an_owner_without_an_email_is_keyed_by_name(empty_portfolio):
    named = (Owner(OwnerRole.PRIMARY, name="Cy Young"),)
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts("N", "Named", owners=named), "tester")
    with empty_portfolio.reading() as session:
        (owner,) = ownership.read_owners(session)[app_edits.db_id_of(session, "N")]
        assert (owner.email, owner.name, owner.key) == (None, "Cy Young", "Cy Young")
        assert ownership.owner_cells(session, ["primary_owner"]) == {
            app_edits.db_id_of(session, "N"): ("Cy Young",)}


def test_chunks_stay_under_sqlites_limit_on_bound_parameters():
    ids = list(range(2_500))
    assert [len(group) for group in chunks(ids)] == [CHUNK, CHUNK, 2_500 - 2 * CHUNK]
    assert CHUNK < 999
    assert [x for group in chunks(ids) for x in group] == ids


def test_owners_of_more_apps_than_one_statement_can_name(empty_portfolio):
    apps = [AppFacts(f"A-{n}", f"App {n}", owners=(Owner(OwnerRole.PRIMARY, "ada@example.com"),))
            for n in range(2 * CHUNK + 100)]
    with empty_portfolio.transaction() as session:
        ids = sorted(bulk.insert_apps(session, apps).values())
    with empty_portfolio.reading() as session:
        owners = ownership.read_owners(session, Scope(ids))
        assert sorted(owners) == ids
        assert len({id(o[0]) for o in owners.values()}) == 1  # one shared Owner
    with empty_portfolio.transaction() as session:
        ownership.delete_owners(session, ids[:-1])
    with empty_portfolio.reading() as session:
        assert list(ownership.read_owners(session, Scope(ids))) == [ids[-1]]
