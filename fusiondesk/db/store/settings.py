"""The setting table: portfolio-level values kept under a key (the last audit, its baseline, ...)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fusiondesk.db.models import Setting


def read_setting(session: Session, key: str) -> str | None:
    """The value kept under `key` (None when there is none)."""
    return session.scalar(select(Setting.value).where(Setting.key == key))


def write_setting(session: Session, key: str, value: str | None) -> None:
    """Keep `value` under `key`, replacing what was there."""
    session.merge(Setting(key=key, value=value))
    session.flush()
