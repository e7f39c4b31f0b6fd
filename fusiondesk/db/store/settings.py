"""The setting table: portfolio-level key/value facts."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fusiondesk.db.models import Setting


def read_setting(session: Session, key: str) -> str | None:
    """A setting's value (None when it is not set)."""
    return session.scalar(select(Setting.value).where(Setting.key == key))


def write_setting(session: Session, key: str, value: str | None) -> None:
    """Set a setting, in the caller's transaction."""
    session.merge(Setting(key=key, value=value))
    session.flush()


def delete_setting(session: Session, key: str) -> None:
    """Remove a setting, in the caller's transaction."""
    session.execute(delete(Setting).where(Setting.key == key))
