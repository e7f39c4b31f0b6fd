"""A window learns of changes another window made, and not of its own."""

from __future__ import annotations

import time

import pytest

from fusiondesk.core.facts import AppFacts
from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.watch import ChangeWatcher
from fusiondesk.services.apps.edits import create_app


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "shared.fdesk")
    return request.getfixturevalue("postgres_url")()


def _add(portfolio, app_id):
    with portfolio.transaction() as session:
        create_app(session, AppFacts(app_id=app_id, name=app_id), portfolio.user)


def _noticed_within(watcher, seconds: float = 10.0) -> bool:
    """Ask as the workspace does, now and then: a server's notification travels on its own
    connection and may arrive a moment after the commit that sent it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watcher.others_changed():
            return True
        time.sleep(0.05)
    return False


def test_another_windows_change_is_noticed_once_and_our_own_not_at_all(location):
    ours = open_portfolio(location, daily_backup=False)
    theirs = open_portfolio(location, daily_backup=False)
    watcher = ChangeWatcher(ours)
    try:
        assert not watcher.others_changed()

        _add(ours, "MINE-1")
        watcher.acknowledge()  # the workspace does this after each change of ours
        assert not _noticed_within(watcher, 1.0)  # not even once our notification arrives

        _add(theirs, "THEIRS-1")
        assert _noticed_within(watcher)
        assert not watcher.others_changed()  # once per batch of news
    finally:
        watcher.close()
        theirs.close()
        ours.close()
