"""Several processes editing and importing the same apps: nothing lost, no deadlock, one log
entry per change. On PostgreSQL (rows lock, writers wait) and on SQLite (one writer at a time).
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import random
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from fusiondesk.core.errors import PortfolioLocked, StaleEdit
from fusiondesk.core.facts import AppFacts
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.importing.importer import ImportStale

APPS = [f"CC-{n:02d}" for n in range(8)]
EDITORS = 3
EDIT_ROUNDS = 2
IMPORT_ROUNDS = 3
DEADLINE_S = 150  # a deadlock (or a writer that never gets its turn) fails here
RETRIES = 200


def _retrying(step):
    """Run a step until it is not refused as stale or busy; returns its result."""
    for _ in range(RETRIES):
        try:
            return step()
        except (StaleEdit, ImportStale, PortfolioLocked):
            time.sleep(random.uniform(0.001, 0.02))
    raise AssertionError("a writer never got its turn")


def edit_notes(location: str, editor: int, results: str) -> None:
    """Edit every app's notes, in a shuffled order, several times; record what was saved."""
    random.seed(editor)
    portfolio = open_portfolio(location, daily_backup=False)
    saved = []
    for round_ in range(EDIT_ROUNDS):
        for app_id in random.sample(APPS, len(APPS)):
            value = f"editor {editor} round {round_}"

            def save(app_id=app_id, value=value):
                with portfolio.transaction() as session:
                    stored = app_edits.load_app(session, app_id)
                    app_edits.save_app(session, app_id, {"notes": value}, stored.version,
                                       f"editor-{editor}")
            _retrying(save)
            saved.append([app_id, "notes", value])
    portfolio.close()
    Path(results).write_text(json.dumps(saved))


def import_users(location: str, folder: str, results: str) -> None:
    """Import a file setting every app's users, round after round; re-preview when stale."""
    from fusiondesk.services.importing.importer import apply_import, plan_import

    portfolio = open_portfolio(location, daily_backup=False)
    saved = []
    for round_ in range(IMPORT_ROUNDS):
        path = Path(folder) / f"round-{round_}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["App ID", "Name", "Users"])
            writer.writerows([app_id, f"App {app_id}", 1000 * (round_ + 1) + n]
                             for n, app_id in enumerate(APPS))

        def run_import(path=path):
            with portfolio.reading() as session:
                plan = plan_import(session, path)
            return apply_import(portfolio, plan)
        result = _retrying(run_import)
        # the first round also logs the reviews its user counts call for (a higher tier);
        # the users rows themselves are counted exactly below
        assert result.logged >= len(APPS), result.summary()
        saved += [[app_id, "users", str(1000 * (round_ + 1) + n)] for n, app_id in enumerate(APPS)]
    portfolio.close()
    Path(results).write_text(json.dumps(saved))


@pytest.fixture
def shared(portfolio_location):
    """A portfolio holding the apps every process will change, and where it is."""
    location = portfolio_location("shared.fdesk")
    portfolio = open_portfolio(location)
    with portfolio.transaction() as session:
        for app_id in APPS:
            app_edits.create_app(session, AppFacts(app_id=app_id, name=f"App {app_id}"), "setup")
    portfolio.close()
    return location


@pytest.mark.slow
def test_concurrent_edits_and_imports_lose_nothing_and_log_each_change_once(shared, tmp_path):
    spawn = multiprocessing.get_context("spawn")
    results = [str(tmp_path / f"worker-{n}.json") for n in range(EDITORS + 1)]
    workers = [spawn.Process(target=edit_notes, args=(shared, n, results[n])) for n in range(EDITORS)]
    workers.append(spawn.Process(target=import_users, args=(shared, str(tmp_path), results[-1])))
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + DEADLINE_S
    for worker in workers:
        worker.join(max(0.1, deadline - time.monotonic()))
    hung = [w for w in workers if w.is_alive()]
    for worker in hung:
        worker.kill()
    assert not hung, f"{len(hung)} writers still waiting after {DEADLINE_S} s: a deadlock"
    assert [w.exitcode for w in workers] == [0] * len(workers)

    saved = [change for path in results for change in json.loads(Path(path).read_text())]
    portfolio = open_portfolio(shared, daily_backup=False)
    try:
        with portfolio.engine.connect() as connection:
            log = connection.execute(text(
                "SELECT entity_key, field, old_value, new_value FROM change_log "
                "WHERE field IN ('notes', 'users') ORDER BY id")).all()
            apps = {row.app_id: row for row in connection.execute(text(
                "SELECT app_id, notes, users, version FROM app"))}
    finally:
        portfolio.close()

    # One entry per change: the log holds exactly the changes the writers saw succeed.
    assert sorted([k, f, new] for k, f, _, new in log) == sorted(saved)
    for app_id in APPS:
        for name in ("notes", "users"):
            chain = [(old, new) for key, field, old, new in log if (key, field) == (app_id, name)]
            # Nothing lost: every change started from what the previous one left...
            assert all(chain[n][0] == chain[n - 1][1] for n in range(1, len(chain))), chain
            # ...and the last one is what the app holds.
            assert str(getattr(apps[app_id], name)) == chain[-1][1]
        changes = sum(1 for key, _, _, _ in log if key == app_id)
        assert apps[app_id].version == 1 + changes
