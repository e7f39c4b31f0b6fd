"""A shared portfolio's three roles: the server refuses what a role may not do, in words."""

from __future__ import annotations

import itertools

import pytest

_names = itertools.count()


@pytest.fixture
def shared(postgres_server):
    """A portfolio set up by `server-setup` as the server's administrator, and URL(user)."""
    n = next(_names)
    database = f"fd_roles_{n}"
    users = {role: f"fd_{role}_{n}" for role in ("reader", "editor", "admin", "nobody")}
    postgres_server.admin(f'CREATE DATABASE "{database}"',
                          *(f"CREATE ROLE {user} LOGIN" for user in users.values()))
    owner_url = postgres_server.admin_url.replace("postgresql://", "postgresql+psycopg://", 1) \
        .rsplit("/", 1)[0] + f"/{database}"
    yield owner_url, users, lambda user: postgres_server.url(database, role=user)
    postgres_server.admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
                          *(f"DROP ROLE IF EXISTS {user}" for user in users.values()))


def test_each_role_may_do_what_it_says_and_no_more(run, shared):
    owner_url, users, url = shared
    code, _out, err = run("server-setup", owner_url)
    assert code == 0, err
    for role in ("reader", "editor", "admin"):
        assert run("--db", owner_url, "server-grant", users[role], role)[0] == 0

    # an editor imports and edits; every change is logged under the editor's account
    code, _out, err = run("--db", url(users["editor"]), "sample", "--apps", "5", "--seed", "2")
    assert code == 0, err
    code, out, _err = run("--db", url(users["editor"]), "log", "--json")
    assert users["editor"] in out

    # a reader reads, and is refused a change in one line naming the account and its role
    assert run("--db", url(users["reader"]), "apps", "--json")[0] == 0
    code, _out, err = run("--db", url(users["reader"]), "policy", "--set", "tier4.users=600")
    assert code == 2 and err.count("\n") == 1
    assert users["reader"] in err and "reader" in err and "may not" in err

    # only an admin changes the policy (it re-tiers the whole portfolio)
    code, _out, err = run("--db", url(users["editor"]), "policy", "--set", "tier4.users=600")
    assert code == 2 and "editor" in err
    code, _out, err = run("--db", url(users["admin"]), "policy", "--set", "tier4.users=600")
    assert code == 0, err

    # an admin grants roles; an editor may not
    assert run("--db", url(users["admin"]), "server-grant", users["nobody"], "reader")[0] == 0
    code, _out, err = run("--db", url(users["editor"]), "server-grant", users["nobody"], "admin")
    assert code == 2 and err.count("\n") == 1


def test_the_change_log_is_append_only_for_every_role(shared):
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    from fusiondesk.services.opening import grant_role, open_portfolio, set_up_server

    owner_url, users, url = shared
    set_up_server(owner_url).close()
    owner = open_portfolio(owner_url, daily_backup=False)
    grant_role(owner, users["admin"], "admin")
    owner.close()
    engine = create_engine(url(users["admin"]))
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO change_log (at, who, entity, entity_key, field, "
                                    "source) VALUES (now(), 'x', 'app', 'A', 'name', 'edit')"))
        for statement in ("UPDATE change_log SET who = 'someone else'", "DELETE FROM change_log"):
            with pytest.raises(DBAPIError):
                with engine.begin() as connection:
                    connection.execute(text(statement))
    finally:
        engine.dispose()
