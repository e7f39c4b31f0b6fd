"""What an item is, its licence and its environment's type: app.kind, licence, environment_type.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Platform exports type every row (canvas app, cloud flow, agent…), name its plan
(Standard, Premium) and its environment's type (Default, Sandbox, Production…).
All three are nullable: an app imported before this revision simply does not know them.

No batch mode, on purpose. SQLite adds and (since 3.35) drops a column in place; a
batch "copy and move" would DROP TABLE app, and with foreign keys on, dropping the
parent table deletes every ownership, integration and review through ON DELETE CASCADE.
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Name and length; a Column object belongs to one table, so each upgrade makes its own.
_COLUMNS = (("kind", 30), ("licence", 100), ("environment_type", 20))


def upgrade() -> None:
    for name, length in _COLUMNS:
        op.add_column("app", sa.Column(name, sa.String(length)))
    op.create_index("ix_app_kind", "app", ["kind"])  # the portfolio table filters by kind


def downgrade() -> None:
    op.drop_index("ix_app_kind", table_name="app")  # SQLite refuses to drop an indexed column
    for name, _length in reversed(_COLUMNS):
        op.drop_column("app", name)
