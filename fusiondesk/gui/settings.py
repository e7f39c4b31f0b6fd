"""User settings (recent portfolios, window geometry), declared once with their defaults.

Stored as an INI file in the data directory, so FUSIONDESK_HOME makes tests and a
portable install hermetic.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from fusiondesk import paths

RECENT_LIMIT = 8


def store() -> QSettings:
    """The settings file."""
    return QSettings(str(paths.data_home() / "settings.ini"), QSettings.Format.IniFormat)


def recent_portfolios() -> list[str]:
    """Recently opened portfolios, newest first."""
    value = store().value("recent", [])
    if isinstance(value, str):
        value = [value]
    return [v for v in value if v]


def remember_portfolio(location: str) -> None:
    """Put a portfolio at the top of the recent list and make it the one reopened next time."""
    recent = [location] + [r for r in recent_portfolios() if r != location]
    settings = store()
    settings.setValue("recent", recent[:RECENT_LIMIT])
    settings.setValue("last_portfolio", location)


def last_portfolio() -> str | None:
    """The portfolio open when FusionDesk last closed."""
    return store().value("last_portfolio") or None


def save_geometry(name: str, widget) -> None:
    """Remember a window's size and place."""
    store().setValue(f"geometry/{name}", widget.saveGeometry())


def restore_geometry(name: str, widget) -> bool:
    """Put a window back where the user left it (False the first time)."""
    value = store().value(f"geometry/{name}")
    return bool(value) and widget.restoreGeometry(value)


def visible_columns(default: tuple[str, ...]) -> list[str]:
    """Which portfolio-table columns the user chose to see."""
    value = store().value("portfolio/columns")
    if isinstance(value, str):
        value = [value]
    return list(value) if value else list(default)


def save_visible_columns(keys: list[str]) -> None:
    """Remember the chosen columns."""
    store().setValue("portfolio/columns", keys)


USER_NAME_KEY = "user/name"
USER_EMAIL_KEY = "user/email"


def user_name() -> str | None:
    """The name the change log records for this user (None: the OS account)."""
    return store().value(USER_NAME_KEY) or None


def user_email() -> str | None:
    """This user's e-mail, for 'my' review queue (lower-cased, as people are keyed)."""
    return str(store().value(USER_EMAIL_KEY) or "").strip().lower() or None


def save_identity(name: str, email: str) -> None:
    """Remember who is using FusionDesk on this machine."""
    settings = store()
    settings.setValue(USER_NAME_KEY, name.strip())
    settings.setValue(USER_EMAIL_KEY, email.strip().lower())
