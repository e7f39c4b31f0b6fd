"""Summaries the app table derives (owners, integrations, unknowns, flags) have no length limit.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

They join what other rows hold: three owners of 300-character e-mails, each valid, made
an owner summary PostgreSQL refused mid-write. A derived column is a cache for sorting
and searching; it takes whatever its parts hold. SQLite never enforced the lengths (both
types are text there), so its files are left as they are instead of copying the table.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_DERIVED = {"owner_summary": 500, "integration_summary": 1000, "unknowns": 500, "flags": 500}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, length in _DERIVED.items():
        op.alter_column("app", name, existing_type=sa.String(length), type_=sa.Text())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, length in _DERIVED.items():
        # A longer summary is cut to fit: it is derived, and rebuilt on the next change.
        op.execute(f"UPDATE app SET {name} = left({name}, {length}) WHERE length({name}) > {length}")
        op.alter_column("app", name, existing_type=sa.Text(), type_=sa.String(length))
