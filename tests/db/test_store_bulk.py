"""The store's bulk writes an import relies on: versioned updates, merges, owners by e-mail."""

from datetime import datetime

from fusiondesk.core.facts import Owner, PersonFacts
from fusiondesk.core.terms import Entity, OwnerRole, Source
from fusiondesk.db.store.apps import (
    app_ids_after,
    insert_app_rows,
    last_app_id,
    update_apps,
)
from fusiondesk.db.store.compared import compared_rows
from fusiondesk.db.store.import_log import LOG_COLUMNS, insert_log, log_created_apps, log_stamp
from fusiondesk.db.store.ownership import (
    apps_owned_by_emails,
    apps_owned_by_people,
    move_ownerships,
    owner_rows,
    read_owners,
    write_owners,
)
from fusiondesk.db.store.people import ids_by_email, insert_people, update_people
from fusiondesk.db.store.settings import delete_setting, read_setting, write_setting
from fusiondesk.db.store.teams import insert_teams, team_ids_by_name


def _apps(session, *app_ids):
    insert_app_rows(session, ("app_id", "name", "platform", "last_used", "version"),
                    [(a, f"App {a}", "power_apps", "2026-03-04", 1) for a in app_ids])
    return app_ids_after(session, 0)


def test_a_versioned_update_matches_only_rows_still_at_the_version_read(empty_portfolio):
    with empty_portfolio.transaction() as session:
        ids = _apps(session, "A-1", "A-2")
        matched = update_apps(session, ("name",), [("Renamed", ids["A-1"], 1),
                                                   ("Stale", ids["A-2"], 7)])
        assert matched == 1
        rows = {r[1]: r for r in compared_rows(session, ("name", "last_used"), with_keys=True)}
    assert rows["A-1"][2:5] == (2, "Renamed", "2026-03-04")  # version bumped, date as ISO text
    assert rows["A-2"][2:5] == (1, "App A-2", "2026-03-04")
    assert rows["A-1"][5:] == ("Renamed", "power_apps", None)  # the matching keys


def test_people_updates_bump_versions_and_ids_follow_emails(empty_portfolio):
    with empty_portfolio.transaction() as session:
        ids = insert_people(session, [PersonFacts(email="ann@x.org"), PersonFacts(email="bo@x.org")])
        assert update_people(session, ("status",), [("leaving", ids["ann@x.org"], 1)]) == 1
        assert update_people(session, ("status",), [("leaving", ids["ann@x.org"], 1)]) == 0
        assert ids_by_email(session) == ids


def test_merging_moves_ownerships_without_doubling_a_role(empty_portfolio):
    with empty_portfolio.transaction() as session:
        people = insert_people(session, [PersonFacts(email="ann@x.org"),
                                         PersonFacts(email="bo@x.org")])
        ids = _apps(session, "A-1", "A-2")
        ann, bo = Owner(OwnerRole.PRIMARY, email="ann@x.org"), Owner(OwnerRole.PRIMARY, email="bo@x.org")
        write_owners(session, owner_rows(ids["A-1"], [ann, bo], people, {})
                     + owner_rows(ids["A-2"], [ann], people, {}))
        assert apps_owned_by_people(session, [people["ann@x.org"]]) == sorted(ids.values())
        assert apps_owned_by_emails(session, ["bo@x.org"]) == {ids["A-1"]}
        moved = move_ownerships(session, people["ann@x.org"], people["bo@x.org"])
        assert moved == sorted(ids.values())
        owners = read_owners(session)
    assert [o.email for o in owners[ids["A-1"]]] == ["bo@x.org"]
    assert [o.email for o in owners[ids["A-2"]]] == ["bo@x.org"]


def test_created_apps_are_logged_from_the_app_table_in_id_order(empty_portfolio):
    with empty_portfolio.transaction() as session:
        stamp = log_stamp(session, datetime(2026, 11, 1, 9, 30))
        first = last_app_id(session) + 1
        ids = _apps(session, "A-2", "A-1")
        logged = log_created_apps(session, first, max(ids.values()), stamp, "ann", "(created)",
                                  "inventory.xlsx")
        insert_log(session, [(stamp, "ann", Entity.APP, "A-1", "name", "App A-1", "New",
                              Source.IMPORT, "inventory.xlsx")])
        rows = session.connection().exec_driver_sql(
            f"SELECT {', '.join(LOG_COLUMNS)} FROM change_log ORDER BY id").all()
    assert logged == 2
    assert [r[2:7] for r in rows] == [("app", "A-2", "(app)", None, "(created)"),
                                      ("app", "A-1", "(app)", None, "(created)"),
                                      ("app", "A-1", "name", "App A-1", "New")]
    assert {r[7] for r in rows} == {"import"}


def test_teams_and_settings(empty_portfolio):
    with empty_portfolio.transaction() as session:
        first = insert_teams(session, [("Ops", "IT"), ("Sales", None)])
        again = insert_teams(session, [("Ops", "Other"), ("HR", None)])
        assert again["Ops"] == first["Ops"] and set(again) == {"Ops", "Sales", "HR"}
        assert team_ids_by_name(session) == again
        write_setting(session, "k", "v1")
        write_setting(session, "k", "v2")
        assert read_setting(session, "k") == "v2"
        delete_setting(session, "k")
        assert read_setting(session, "k") is None
