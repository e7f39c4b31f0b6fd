"""The portfolio table's queries: sort, filter and search give the right rows."""

from sqlalchemy import select

from fusiondesk.db.models import App
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.apps.table import AppQuery
from fusiondesk.services.people.edits import apps_owned_by


def _names(session, ids):
    rows = dict(session.execute(select(App.id, App.name).where(App.id.in_(ids))).all())
    return [rows[i] for i in ids]


def test_sort_by_users_puts_unknown_last_both_ways(sample_portfolio):
    with sample_portfolio.reading() as session:
        ids = app_table.matching_ids(session, AppQuery(sort="users"))
        users = dict(session.execute(select(App.id, App.users)).all())
        ordered = [users[i] for i in ids]
        known = [u for u in ordered if u is not None]
        assert known == sorted(known)
        assert all(u is None for u in ordered[len(known):])
        down = [users[i] for i in app_table.matching_ids(session, AppQuery(sort="users", descending=True))]
        assert [u for u in down if u is not None] == sorted(known, reverse=True)
        assert len(ids) == 60


def test_filters_combine(sample_portfolio):
    with sample_portfolio.reading() as session:
        platform = session.scalar(select(App.platform).where(App.lifecycle == "production").limit(1))
        ids = app_table.matching_ids(session, AppQuery(platform=platform, lifecycle="production"))
        expected = set(session.scalars(select(App.id).where(App.platform == platform,
                                                             App.lifecycle == "production")))
        assert set(ids) == expected and ids


def test_search_matches_name_words_case_insensitively(sample_portfolio):
    with sample_portfolio.reading() as session:
        name = session.scalar(select(App.name).order_by(App.id).limit(1))
        word = name.split()[0].upper()
        ids = app_table.matching_ids(session, AppQuery(search=word))
        assert name in _names(session, ids)
        haystacks = session.execute(select(App.id, App.name, App.app_id, App.department,
                                           App.platform, App.owner_summary)).all()
        expected = {row[0] for row in haystacks
                    if any(word.lower() in (v or "").lower() for v in row[1:])}
        assert set(ids) == expected
        assert app_table.matching_ids(session, AppQuery(search="zzz-no-such-app")) == []


def test_search_treats_percent_literally(sample_portfolio):
    with sample_portfolio.reading() as session:
        assert app_table.matching_ids(session, AppQuery(search="%")) == []


def test_owner_filter_returns_apps_the_person_owns(sample_portfolio):
    with sample_portfolio.reading() as session:
        owner = app_table.owner_emails(session)[0]
        ids = app_table.matching_ids(session, AppQuery(owner=owner))
        assert ids and set(ids) == set(apps_owned_by(session, owner))


def test_fetch_cells_returns_display_values(sample_portfolio):
    with sample_portfolio.reading() as session:
        ids = app_table.matching_ids(session, AppQuery(sort="name"))[:3]
        cells = app_table.fetch_cells(session, ids, ("name", "tier", "users"))
        assert set(cells) == set(ids)
        assert all(app_table.display("tier", c["tier"]).startswith("Tier ") for c in cells.values())


def test_in_memory_quick_search_gives_the_rows_sql_gives(sample_portfolio):
    with sample_portfolio.reading() as session:
        base = app_table.matching_ids(session, AppQuery(sort="users", descending=True))
        texts = app_table.search_texts(session, base)
        for search in ("fin", "FINANCE power", "contoso", "zzz", "a e", "%"):
            in_sql = app_table.matching_ids(session, AppQuery(search=search, sort="users", descending=True))
            assert app_table.filter_by_words(base, texts, search) == in_sql, search
