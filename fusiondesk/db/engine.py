"""Opening a portfolio: a SQLite file (the default) or a server database by URL.

Opening is where safety starts: the file is created owner-only, checked for
integrity, backed up once a day and before any migration, and upgraded to the
newest schema only when it is behind.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker

from fusiondesk.core import clock
from fusiondesk.core.errors import NotAllowed, PortfolioCorrupt, PortfolioError, PortfolioLocked
from fusiondesk.core.tiers import DAY_SETTING, RULES_SETTING, RULES_VERSION
from fusiondesk.db import backups, file_check, migrate, roles
from fusiondesk.db.models import Setting

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 64 * 1024


@dataclass(frozen=True)
class Location:
    """Where a portfolio lives: a SQLAlchemy URL, and the file when it is SQLite."""

    url: str
    path: Path | None

    @property
    def display(self) -> str:
        """A name for the status bar and messages (no password)."""
        if self.path:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def without_password(self) -> str:
        """What may be kept (settings, recent list): the URL with no password at all, so that
        reopening it asks libpq's usual places (PGPASSWORD, ~/.pgpass, a service file)."""
        if self.path:
            return str(self.path)
        return make_url(self.url)._replace(password=None).render_as_string(hide_password=False)


def locate(path_or_url: str | os.PathLike) -> Location:
    """Turn what the user typed (a path or a SQLAlchemy URL) into a Location."""
    text_form = os.fspath(path_or_url)
    if "://" not in text_form:
        path = Path(text_form).expanduser().resolve()
        return Location(f"sqlite:///{path}", path)
    try:
        url = make_url(text_form)
    except ArgumentError as exc:
        raise PortfolioError(f"'{text_form}' is neither a file path nor a database URL.") from exc
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database).expanduser().resolve()
        return Location(f"sqlite:///{path}", path)
    return Location(text_form, None)


def current_user() -> str:
    """Who is making changes: FUSIONDESK_USER, else the OS account."""
    try:
        return os.environ.get("FUSIONDESK_USER") or getpass.getuser()
    except Exception:  # no passwd entry (containers): still record something honest
        return "unknown"


class Portfolio:
    """An open portfolio: its engine, sessions and location."""

    def __init__(self, location: Location, engine: Engine):
        self.location = location
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.label = current_user()
        # On a server, who changed something is the account the server let in; the name
        # typed in Settings (or the OS account) is only a label beside it.
        self.database_user: str | None = None
        # The FusionDesk role the server gives that account (None: no restriction, a file).
        self.role: str | None = None
        # An older schema left as it was (opened with upgrade=False): nothing may write.
        self.behind = False

    @property
    def user(self) -> str:
        """Who the change log says made a change: the database account on a server."""
        if self.database_user is None or self.label in (None, "", self.database_user):
            return self.database_user or self.label
        return f"{self.database_user} ({self.label})"

    @user.setter
    def user(self, name: str) -> None:
        self.label = name

    @property
    def is_sqlite(self) -> bool:
        """True for a portfolio file, False for a server database."""
        return self.location.path is not None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits as one transaction, or not at all."""
        session = self._sessions()
        try:
            with translate_lock_errors(self):
                yield session
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; nothing it does is committed."""
        session = self._sessions()
        try:
            with translate_lock_errors(self):
                yield session
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        """Release every connection (and with them the WAL)."""
        self.engine.dispose()


@contextlib.contextmanager
def translate_lock_errors(portfolio: Portfolio | None = None) -> Iterator[None]:
    """Turn what a database says when a write cannot happen into words a person can act on.

    Only the conditions a user can do something about are translated (busy, full,
    read-only, connection lost); anything else is a bug and keeps its traceback.
    """
    try:
        yield
    except DataError as exc:
        # The use cases check lengths before writing (core.validation); this is the net
        # for a value that still reaches a server column too short for it.
        said = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
        if "too long" not in said:
            raise
        raise PortfolioError(f"A value is longer than the database holds ({said.split('type ')[-1]}). "
                             "Nothing was changed; shorten it and try again.") from exc
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE and portfolio is not None:
            raise NotAllowed(_not_allowed_words(portfolio)) from exc
        if not isinstance(exc, OperationalError):
            raise
        words = _operational_words(str(exc.orig))
        if words is None:
            raise
        kind, message = words
        raise kind(message) from exc


INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE: the server's privileges refused the statement


def _not_allowed_words(portfolio: Portfolio) -> str:
    account = portfolio.database_user or portfolio.user
    if portfolio.role is None:  # no roles set up, or the schema's owner: a right it gave up
        return (f"The server refused this change for the account {account} (the change log, "
                "for one, is append-only); nothing was changed.")
    role = f"a {portfolio.role}" if portfolio.role != "none" else "no FusionDesk role"
    return (f"The server refused this change: the account {account} has {role} here and may "
            "not make it; nothing was changed. Ask a FusionDesk admin of the server.")


def _operational_words(said: str) -> tuple[type[PortfolioError], str] | None:
    said = said.lower()
    if "locked" in said or "busy" in said:
        return PortfolioLocked, ("The portfolio is busy: another FusionDesk window or program is "
                                 "saving changes to it. Nothing was changed; try again in a moment.")
    if "disk is full" in said or "no space left" in said or "disk full" in said:
        return PortfolioError, ("The disk holding the portfolio is full. Nothing was changed; "
                                "free some space and try again.")
    if "readonly" in said or "read-only" in said or "read only" in said:
        return PortfolioError, ("The portfolio is read-only here (file permissions or a "
                                "read-only share). Nothing was changed; open a copy you can write.")
    if "server closed the connection" in said or "connection" in said and "lost" in said:
        return PortfolioError, ("The connection to the database server was lost. Nothing was "
                                "changed; check the network and try again.")
    return None


def open_portfolio(path_or_url, *, create: bool = True, daily_backup: bool = True,
                   upgrade: bool = True) -> Portfolio:
    """Open (creating when allowed) a portfolio and bring its schema up to date.

    With `upgrade=False` an older schema is left as it is and `portfolio.behind` says so.
    """
    location = locate(path_or_url)
    if location.path:
        # Everything about an existing file is checked read-only, before the engine
        # sets a single pragma: a foreign or damaged file is refused byte-identical.
        _prepare_file(location.path, create)
    engine = _make_engine(location)
    portfolio = Portfolio(location, engine)
    try:
        if not location.path:
            _check_schema_known(migrate.current_revision(engine), location.display)
            with engine.connect() as connection:
                portfolio.database_user = connection.exec_driver_sql("SELECT session_user").scalar()
                portfolio.role = roles.role_of(connection)
        if upgrade:
            _upgrade_if_behind(portfolio)
        else:
            portfolio.behind = migrate.current_revision(engine) != migrate.head_revision()
        if daily_backup and location.path:
            backups.backup_daily(portfolio)
    except BaseException:
        engine.dispose()
        raise
    return portfolio


def open_if_current(path_or_url) -> Portfolio | None:
    """Open an existing portfolio only if that changes nothing: its schema is current.

    No file is created, no backup made and nothing migrated: None when the portfolio is
    missing or behind (then `open_portfolio` does what opening takes). A command can so
    read the portfolio while it checks a file, and still leave everything as it was
    should the file be refused.
    """
    location = locate(path_or_url)
    # A file is checked read-only first: connecting would switch an older one to WAL.
    if location.path and _file_revision(location.path) != migrate.head_revision():
        return None
    portfolio = open_portfolio(path_or_url, create=False, daily_backup=False, upgrade=False)
    if portfolio.behind:
        portfolio.close()
        return None
    return portfolio


def _file_revision(path: Path) -> str | None:
    """The schema revision a portfolio file records, read without changing a byte (None if none)."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None  # not a portfolio, damaged or locked: opening it says which, later
    return found[0] if found else None


def _prepare_file(path: Path, create: bool) -> None:
    if path.exists():
        _check_is_sqlite(path)
        if path.stat().st_size:
            _inspect_read_only(path)
        return
    if not create:
        raise PortfolioError(f"No portfolio at {path}. Check the path, or create a new one.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only from the first byte: the portfolio names people and sensitive apps.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _check_is_sqlite(path: Path) -> None:
    if path.is_dir():
        raise PortfolioError(f"{path} is a folder, not a portfolio file.")
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        raise PortfolioError(
            f"{path.name} is not a FusionDesk portfolio (it is not a SQLite database). "
            "To bring a spreadsheet in, use Import instead."
        )


def _make_engine(location: Location) -> Engine:
    if not location.path:
        return _server_engine(location)
    engine = create_engine(
        location.url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _server_engine(location: Location) -> Engine:
    """An engine on a database server, connected once so that a wrong URL is one sentence."""
    try:
        engine = create_engine(location.url, pool_pre_ping=True)
    except (ImportError, NoSuchModuleError) as exc:
        raise PortfolioError(
            f"FusionDesk cannot talk to {make_url(location.url).get_backend_name()} servers "
            "here: install the driver (pip install 'fusiondesk[postgres]')."
        ) from exc
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise PortfolioError(_connection_words(location.display, str(exc.orig))) from exc
    return engine


def _connection_words(where: str, said: str) -> str:
    """Why a server refused us, in one line that never repeats the password."""
    lowered = said.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        why = ("the server refused the user name or password. Check the URL, PGPASSWORD "
               "or ~/.pgpass")
    elif "does not exist" in lowered and "database" in lowered:
        why = "that database does not exist on the server. Check its name, or ask its administrator"
    elif "role" in lowered and "does not exist" in lowered:
        why = "the server has no such user. Check the user name in the URL"
    elif "could not translate host name" in lowered or "name or service not known" in lowered:
        why = "the server's name is unknown. Check the host in the URL"
    elif "connection refused" in lowered or "timeout" in lowered or "could not connect" in lowered:
        why = "the server did not answer. Check that it is running and the host and port are right"
    else:
        first = said.strip().splitlines()[0] if said.strip() else "unknown error"
        why = f"the server said: {first}"
    return f"Could not open {where}: {why}."


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # WAL lets readers (a second window, a backup) run while one writer saves.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # 64 MiB of page cache (the default is 2 MiB): a 100,000-app import rewrites the
    # indexes of half a million rows, and reading pages back from the OS costs 10-15 %.
    cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cursor.close()


def _inspect_read_only(path: Path) -> None:
    """Refuse a damaged file, another application's database or a newer schema, unchanged."""
    result, tables, revision = file_check.findings(path)  # read-only (or read early)
    if result != "ok":
        _refuse_damaged(path, result)
    if tables and "alembic_version" not in tables:
        raise PortfolioError(
            f"{path} is a SQLite database but not a FusionDesk portfolio; it was not changed. "
            "Open a portfolio file, or import a spreadsheet instead."
        )
    _check_schema_known(revision, str(path))


def _refuse_damaged(path: Path, result: str) -> None:
    newest = backups.newest_backup(path)
    advice = (
        f"The newest backup is from {newest.created:%Y-%m-%d %H:%M}; restore it to go on."
        if newest else "There is no backup of it to restore."
    )
    raise PortfolioCorrupt(f"{path.name} is damaged ({result}). It was not changed. {advice}", newest)


def _check_schema_known(revision: str | None, where: str) -> None:
    if revision is not None and revision not in migrate.known_revisions():
        raise PortfolioError(
            f"{where} was saved by a newer FusionDesk (schema {revision}); it was not changed. "
            "Install the newer FusionDesk to open it."
        )


def _upgrade_if_behind(portfolio: Portfolio) -> None:
    current = migrate.current_revision(portfolio.engine)
    if current == migrate.head_revision():
        return
    if current is not None and portfolio.is_sqlite:
        backups.make_backup(portfolio, reason="before-migration")
    migrate.upgrade(portfolio.engine)
    if current is None:  # a new portfolio: nothing is classified under older rules, or days
        with portfolio.engine.begin() as connection:
            connection.execute(insert(Setting), [
                {"key": RULES_SETTING, "value": str(RULES_VERSION)},
                {"key": DAY_SETTING, "value": clock.today().isoformat()}])
