"""The integration table ↔ `Integration` facts, written in bulk (an import adds 100,000 apps' links)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from fusiondesk.core.facts import Integration
from fusiondesk.db.models import App, IntegrationLink
from fusiondesk.db.store.driver import delete_for_apps, insert_tuples, raw_rows

INTEGRATION_COLUMNS = ("app_id", "position", "system", "direction", "approved",
                       "external_api", "enterprise", "asynchronous")


def integration_rows(db_id: int, integrations: Iterable[Integration] | None) -> list[tuple]:
    """Integration rows of one app, in order, in INTEGRATION_COLUMNS order."""
    return [(db_id, n, i.system, i.direction, i.approved, i.external_api, i.enterprise,
             i.asynchronous) for n, i in enumerate(integrations or ())]


def insert_integrations(session: Session, rows: list[tuple]) -> None:
    """Add integration rows as `integration_rows` builds them."""
    insert_tuples(session, IntegrationLink.__table__, INTEGRATION_COLUMNS, rows)


def delete_integrations(session: Session, app_ids: list[int]) -> None:
    """Remove every integration of these apps."""
    delete_for_apps(session, IntegrationLink.__table__, app_ids)


def integration_systems(session: Session) -> list[str]:
    """Every system some app connects to, as spelled in the portfolio, sorted."""
    system = IntegrationLink.system
    return list(session.scalars(select(system).distinct().order_by(system)))


def connector_uses(session: Session) -> list[tuple[int, str | None, int | None, str, bool | None]]:
    """(app id, its platform, its stored tier, system, approved on record) for every integration,
    app by app in order: one join, so a connector summary of 100,000 apps loads no facts."""
    link = IntegrationLink
    rows = raw_rows(session, select(link.app_id, App.platform, App.tier, link.system, link.approved)
                    .join(App, App.id == link.app_id).order_by(link.app_id, link.position))
    # SQLite hands a boolean back as 0 or 1
    return [(app, platform, tier, system, None if approved is None else bool(approved))
            for app, platform, tier, system, approved in rows]
