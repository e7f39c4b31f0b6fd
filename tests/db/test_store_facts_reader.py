"""The facts of many apps, read range by range: the same facts as one app at a time, field by field.

`load_facts` builds facts column by column and `FactsReader` reads the people once for a
job; both must give exactly what the ORM's rows say, owners' certificates (which facts
compare without) and teams' members included.
"""

from dataclasses import fields as dataclass_fields

import pytest
from sqlalchemy import select

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.core.terms import OwnerRole
from fusiondesk.db.models import App, Person, TeamMember
from fusiondesk.db.store.apps import APP_LISTS, id_ranges, load_facts, read_app
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.deployers import read_deployers
from fusiondesk.db.store.facts_reader import DeployersOnFile, FactsReader

# Facts the ORM reference below does not rebuild: they come from other tables (reviews,
# people named by `deployed_by`) and are compared with the single-app read instead.
DERIVED = {"owners", "integrations", "next_review_due", "readiness_passed", "deployer",
           "deployer_role"}


def _in_full(facts: dict[int, AppFacts]) -> dict[int, tuple]:
    """Facts with what equality leaves out: each owner's certificates (compare=False)."""
    return {db_id: (f, [(o.certificates, o.members) for o in f.owners]) for db_id, f in facts.items()}


def _ranges_of(session, size: int) -> list[Scope]:
    return [Scope(low=low, high=high) for low, high in id_ranges(session, size)]


@pytest.mark.parametrize("for_classification", [False, True])
def test_a_reader_gives_load_facts_own_facts_range_by_range(sample_portfolio, for_classification):
    with sample_portfolio.reading() as session:
        scopes = _ranges_of(session, 7)  # 60 apps in 9 ranges: people shared across ranges
        reader = FactsReader(for_classification)
        read = [_in_full(reader.read(session, scope)) for scope in scopes]
        loaded = [_in_full(load_facts(session, scope=scope, for_classification=for_classification))
                  for scope in scopes]
    assert read == loaded
    owners = [o for part in loaded for facts, _ in part.values() for o in facts.owners]
    # the sample exercises what the reader shares: builders' certificates, team members
    assert any(o.certificates for o in owners) and any(o.members for o in owners)
    assert sum(len(part) for part in read) == 60


def test_whole_ranges_and_single_apps_read_the_same_facts(sample_portfolio):
    with sample_portfolio.reading() as session:
        whole = _in_full(load_facts(session))
        ranged = {}
        for scope in _ranges_of(session, 11):
            ranged.update(_in_full(load_facts(session, scope=scope)))
        single = {}
        for db_id, app_id in session.execute(select(App.id, App.app_id)):
            single.update(_in_full({db_id: read_app(session, app_id).facts}))
    assert whole == ranged == single


def test_load_facts_says_what_the_orm_rows_say(sample_portfolio):
    with sample_portfolio.reading() as session:
        facts = load_facts(session)
        apps = session.scalars(select(App)).all()
        assert len(apps) == len(facts) == 60
        for app in apps:
            assert _facts_fields(facts[app.id]) == _orm_fields(app), app.app_id
            assert facts[app.id].owners == _orm_owners(session, app), app.app_id
            assert _as_rows(facts[app.id].integrations) == _orm_integrations(app), app.app_id


def _facts_fields(facts: AppFacts) -> dict:
    return {f.name: getattr(facts, f.name) for f in dataclass_fields(AppFacts)
            if f.name not in DERIVED}


def _orm_fields(app: App) -> dict:
    expected = {}
    for f in dataclass_fields(AppFacts):
        if f.name in DERIVED:
            continue
        value = getattr(app, f.name)
        if f.name in APP_LISTS and value is not None:  # a stored list: "a; b"
            value = tuple(part.strip() for part in value.split(";") if part.strip())
        expected[f.name] = value
    return expected


def _orm_owners(session, app: App) -> tuple[Owner, ...]:
    owners = []
    for row in sorted(app.owners, key=lambda o: o.id):
        person = row.person
        owners.append(Owner(role=row.role, email=person and person.email,
                            team=row.team and row.team.name, status=person and person.status,
                            person_role=person and person.role,
                            name=person.name if person and not person.email else None,
                            members=_orm_members(session, row.team_id)))
    return tuple(owners)


def _orm_members(session, team_id: int | None) -> tuple:
    if team_id is None:
        return ()
    people = session.scalars(select(Person).join(TeamMember, TeamMember.person_id == Person.id)
                             .where(TeamMember.team_id == team_id))
    return tuple(sorted((p.email or p.name, p.status) for p in people))


def _orm_integrations(app: App) -> tuple:
    return tuple((i.system, i.direction, i.approved, i.external_api, i.enterprise, i.asynchronous)
                 for i in sorted(app.integrations, key=lambda i: i.position))


def _as_rows(integrations) -> tuple:
    return tuple((i.system, i.direction, i.approved, i.external_api, i.enterprise, i.asynchronous)
                 for i in integrations)


def test_the_sample_has_what_the_orm_comparison_needs(sample_portfolio):
    with sample_portfolio.reading() as session:
        facts = load_facts(session).values()
    assert any(len(f.integrations) > 1 for f in facts)  # order matters
    assert any(f.data_categories for f in facts) and any(f.last_used for f in facts)
    assert any(o.team for f in facts for o in f.owners)


DEPLOYED_BY = [
    "ada@example.com", "  ADA@Example.com ", "nobody@example.com",  # e-mails, any case
    "Grace Hopper", "grace  hopper", "Hopper, Grace",  # one person, spelled three ways
    "Élodie Durand", "Elodie Durand",  # accents ignored
    "Sam Lee",  # two people share the name: nobody in particular
    "Margaret Hamilton",  # a name only, no e-mail yet
    "Unknown Person", "",
]


def test_deployers_found_in_memory_are_the_ones_sql_finds(empty_portfolio):
    with empty_portfolio.transaction() as session:
        for email, name, role in [
                ("ada@example.com", "Ada Lovelace", "pro_developer"),
                ("grace@example.com", "Grace Hopper", "citizen_developer"),
                ("elodie@example.com", "Élodie Durand", "citizen_developer"),
                ("sam1@example.com", "Sam Lee", "citizen_developer"),
                ("sam2@example.com", "Sam Lee", "business_owner"),
                (None, "Margaret Hamilton", "citizen_developer")]:
            session.add(Person(email=email, name=name, role=role))
    with empty_portfolio.reading() as session:
        in_memory = DeployersOnFile(session)
        for texts in [DEPLOYED_BY, DEPLOYED_BY[3:6], DEPLOYED_BY[6:7], DEPLOYED_BY[7:8],
                      DEPLOYED_BY[8:]]:
            assert in_memory(session, set(texts)) == read_deployers(session, set(texts))
        found = in_memory(session, set(DEPLOYED_BY))
        unaccented = in_memory(session, {"Elodie Durand"})  # found by its words
    assert found["  ADA@Example.com "] == ("ada@example.com", "pro_developer")
    assert unaccented == {"Elodie Durand": ("elodie@example.com", "citizen_developer")}
    assert found["Margaret Hamilton"] == ("Margaret Hamilton", "citizen_developer")
    assert "Sam Lee" not in found and "Unknown Person" not in found


def test_a_reader_shares_each_owner_between_ranges(sample_portfolio):
    with sample_portfolio.reading() as session:
        reader = FactsReader()
        parts = [reader.read(session, scope) for scope in _ranges_of(session, 7)]
    made: dict[str, set[int]] = {}
    ranges: dict[str, set[int]] = {}
    for n, part in enumerate(parts):
        for facts in part.values():
            for owner in facts.owners:
                if owner.role == OwnerRole.PRIMARY and not owner.team:
                    made.setdefault(owner.key, set()).add(id(owner))
                    ranges.setdefault(owner.key, set()).add(n)
    assert any(len(seen) > 1 for seen in ranges.values())  # some build apps in several ranges
    assert all(len(objects) == 1 for objects in made.values())  # each made once


@pytest.mark.parametrize("size", [1, 7, 25, 60, 1000])
def test_id_ranges_cover_every_app_once_even_with_gaps_in_the_ids(sample_portfolio, size):
    from fusiondesk.db.store.apps import delete_app

    with sample_portfolio.transaction() as session:
        ids = sorted(session.scalars(select(App.id)))
        for gone in ids[3:20] + ids[40:41] + ids[-1:]:  # deletions leave gaps, the last id too
            delete_app(session, gone)
    with sample_portfolio.reading() as session:
        kept = sorted(session.scalars(select(App.id)))
        ranges = id_ranges(session, size)
    covered = [i for low, high in ranges for i in kept if low <= i <= high]
    assert covered == kept  # every app in exactly one range, the ranges in id order
    assert all(high >= low for low, high in ranges)
    assert len(ranges) <= -(-len(kept) // size)  # never more ranges than `size` apps make


def test_id_ranges_of_an_empty_portfolio_are_none(empty_portfolio):
    with empty_portfolio.reading() as session:
        assert id_ranges(session, 5) == []


def test_a_reader_without_derived_facts_reads_the_rest_alike(sample_portfolio):
    """For what shows stored fields: the facts only classification reads from reviews and
    people are left unknown; every other fact is the whole reader's."""
    with sample_portfolio.reading() as session:
        scopes = _ranges_of(session, 13)
        whole = [FactsReader().read(session, scope) for scope in scopes]
        light = [FactsReader(derived=False).read(session, scope) for scope in scopes]
    unknown = {"next_review_due": None, "readiness_passed": False, "deployer": None,
               "deployer_role": None}
    pairs = [(w[i], part[i]) for w, part in zip(whole, light) for i in w]
    assert len(pairs) == 60
    def values(facts):
        return {f.name: getattr(facts, f.name) for f in dataclass_fields(facts)}

    assert all({**values(whole_facts), **unknown} == values(light_facts)
               for whole_facts, light_facts in pairs)
    assert any(a.next_review_due for a, _ in pairs) and any(a.deployer for a, _ in pairs)
