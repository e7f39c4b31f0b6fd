"""The integration table ↔ `Integration` facts, written in bulk (an import adds 100,000 apps' links)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from fusiondesk.core.facts import Integration
from fusiondesk.db.models import IntegrationLink
from fusiondesk.db.store.driver import delete_for_apps, insert_tuples

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
