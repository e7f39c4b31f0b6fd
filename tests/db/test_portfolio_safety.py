"""Opening safely: permissions, WAL, not-a-portfolio, damaged files, locks, backups."""

import os
import sqlite3
import stat

import pytest

from fusiondesk.core.errors import PortfolioCorrupt, PortfolioError, PortfolioLocked
from fusiondesk.db import backups
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.apps import edits as app_edits

pytestmark = pytest.mark.sqlite_only  # about the portfolio file: permissions, WAL, backups, damage


def test_new_file_is_owner_only_and_uses_wal(tmp_path):
    path = tmp_path / "p.fdesk"
    portfolio = open_portfolio(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with portfolio.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    portfolio.close()


def test_spreadsheet_is_not_opened_as_a_portfolio(tmp_path):
    path = tmp_path / "inventory.fdesk"
    path.write_bytes(b"PK\x03\x04 this is an xlsx")
    with pytest.raises(PortfolioError, match="not a FusionDesk portfolio"):
        open_portfolio(path)
    assert path.read_bytes() == b"PK\x03\x04 this is an xlsx"


def test_missing_file_without_create_is_a_clear_error(tmp_path):
    with pytest.raises(PortfolioError, match="No portfolio at"):
        open_portfolio(tmp_path / "nope.fdesk", create=False)


def _damage(path):
    """Overwrite pages in the middle of the file, as a bad disk would."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, min(len(data), 4096 * 6), 7):
        data[offset] = 0xAB
    path.write_bytes(bytes(data))


def test_damaged_file_is_reported_with_the_newest_backup_and_left_alone(sample_portfolio):
    path = sample_portfolio.location.path
    backups.make_backup(sample_portfolio, "manual")
    sample_portfolio.close()
    _damage(path)
    damaged = path.read_bytes()

    with pytest.raises(PortfolioCorrupt) as caught:
        open_portfolio(path)

    assert "damaged" in str(caught.value) and "restore" in str(caught.value)
    assert caught.value.newest_backup is not None
    assert path.read_bytes() == damaged  # nothing was changed by trying


def test_restoring_a_damaged_file_keeps_the_damaged_copy(sample_portfolio):
    path = sample_portfolio.location.path
    backup = backups.make_backup(sample_portfolio, "manual")
    sample_portfolio.close()
    _damage(path)
    backups.restore_file(path, backup)
    reopened = open_portfolio(path)
    with reopened.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM app").scalar() == 60
    reopened.close()
    assert list(path.parent.glob("sample.fdesk.damaged-*"))


def test_locked_portfolio_gives_plain_words_and_changes_nothing(sample_portfolio, monkeypatch):
    monkeypatch.setattr("fusiondesk.db.engine.BUSY_TIMEOUT_MS", 200)
    path = sample_portfolio.location.path
    with sample_portfolio.reading() as session:
        stored = app_edits.load_app(session, _first_app_id(session))
    other = sqlite3.connect(path, timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    sample_portfolio.engine.dispose()  # new connections pick up the short timeout
    try:
        with pytest.raises(PortfolioLocked, match="another FusionDesk window or program"):
            with sample_portfolio.transaction() as session:
                app_edits.save_app(session, stored.facts.app_id, {"users": 12345},
                                   stored.version, "tester")
    finally:
        other.rollback()
        other.close()
    with sample_portfolio.reading() as session:
        assert app_edits.load_app(session, stored.facts.app_id).facts.users == stored.facts.users


def test_two_portfolio_objects_on_one_file_never_lose_an_update(sample_portfolio):
    second = open_portfolio(sample_portfolio.location.path)
    with sample_portfolio.reading() as session:
        app_id = _first_app_id(session)
        version = app_edits.load_app(session, app_id).version
    with sample_portfolio.transaction() as session:
        app_edits.save_app(session, app_id, {"notes": "first window"}, version, "a")
    from fusiondesk.core.errors import StaleEdit

    with pytest.raises(StaleEdit):
        with second.transaction() as session:
            app_edits.save_app(session, app_id, {"notes": "second window"}, version, "b")
    with second.reading() as session:
        assert app_edits.load_app(session, app_id).facts.notes == "first window"
    with second.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    second.close()


def test_daily_backup_once_a_day_and_rotation(sample_portfolio, monkeypatch):
    path = sample_portfolio.location.path
    sample_portfolio.close()
    open_portfolio(path).close()
    open_portfolio(path).close()
    assert [b.reason for b in backups.list_backups(path)].count("daily") == 1
    monkeypatch.setattr(backups, "KEEP", 3)
    reopened = open_portfolio(path)
    for _ in range(5):
        backups.make_backup(reopened, "manual")
    assert len(backups.list_backups(path)) == 3
    reopened.close()


def test_restore_brings_back_content_and_backs_up_current_state(sample_portfolio):
    made = backups.make_backup(sample_portfolio, "manual")
    with sample_portfolio.transaction() as session:
        session.connection().exec_driver_sql("DELETE FROM app")
    safety = backups.restore_backup(sample_portfolio, made)
    reopened = open_portfolio(sample_portfolio.location.path)
    with reopened.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM app").scalar() == 60
    check = sqlite3.connect(safety.path)
    assert check.execute("SELECT count(*) FROM app").fetchone() == (0,)
    check.close()
    reopened.close()


def _first_app_id(session):
    from sqlalchemy import select

    from fusiondesk.db.models import App

    return session.scalar(select(App.app_id).order_by(App.id).limit(1))


def test_another_applications_database_is_refused_byte_identical(tmp_path):
    # A rollback-journal database (SQLite's default): opening it as a portfolio would switch
    # it to WAL (two header bytes) before anything else, were it not checked read-only first.
    path = tmp_path / "browser-history.sqlite"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE visits (url TEXT, at INTEGER)")
    other.executemany("INSERT INTO visits VALUES (?, ?)", [("https://example.org", n) for n in range(50)])
    other.commit()
    other.close()
    before = path.read_bytes()

    with pytest.raises(PortfolioError, match="not a FusionDesk portfolio") as caught:
        open_portfolio(path)

    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-wal").exists()


def test_a_portfolio_from_a_newer_fusiondesk_is_refused_unchanged(sample_portfolio):
    path = sample_portfolio.location.path
    sample_portfolio.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    before = path.read_bytes()

    with pytest.raises(PortfolioError, match="newer FusionDesk"):
        open_portfolio(path)

    assert path.read_bytes() == before


def test_what_is_kept_of_a_server_url_has_no_password():
    from fusiondesk.db.engine import locate

    location = locate("postgresql+psycopg://lead:s3cret@db.example:5432/portfolio")
    assert location.without_password == "postgresql+psycopg://lead@db.example:5432/portfolio"
    assert "s3cret" not in location.display
