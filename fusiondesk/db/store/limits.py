"""How many characters each field's stored text holds, read from the models' column lengths.

SQLite stores a longer text whole; PostgreSQL refuses it mid-write. The use cases check
values against these limits before writing, so both refuse alike, in words, and nothing
is half-written.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import String

from fusiondesk.core.fields import APP_FIELDS, EMAILS, INTEGRATIONS, PERSON_FIELDS
from fusiondesk.core.validation import Limit
from fusiondesk.db.models import App, IntegrationLink, Person, Team


def _length(column) -> int | None:
    return column.type.length if isinstance(column.type, String) else None


@cache
def app_limits() -> dict[str, Limit]:
    """App field → its limit: the app column's, or per item where a list is held in rows."""
    limits = {}
    for spec in APP_FIELDS:
        if spec.kind == EMAILS:  # each owner is a person: an e-mail, or a name for now
            limits[spec.name] = Limit(_length(Person.email), each=True, names=_length(Person.name))
        elif spec.kind == INTEGRATIONS:
            limits[spec.name] = Limit(_length(IntegrationLink.system), each=True)
        elif spec.name == "owner_team":
            limits[spec.name] = Limit(_length(Team.name), each=True)
        elif spec.name in App.__table__.c and _length(App.__table__.c[spec.name]):
            limits[spec.name] = Limit(_length(App.__table__.c[spec.name]))
    return limits


@cache
def person_limits() -> dict[str, Limit]:
    """Person field → the limit of its column."""
    columns = Person.__table__.c
    return {spec.name: Limit(_length(columns[spec.name])) for spec in PERSON_FIELDS
            if spec.name in columns and _length(columns[spec.name])}


def limits_for(person: bool = False) -> dict[str, Limit]:
    """The limits of a person's fields, or of an app's."""
    return person_limits() if person else app_limits()
