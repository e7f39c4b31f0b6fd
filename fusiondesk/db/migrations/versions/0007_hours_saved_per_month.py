"""The hours of work an app saves a month: app.hours_saved_per_month.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

What an app is worth to the business, as its owners estimate it. Nullable: an app
imported before this revision simply does not know it.

No batch mode, on purpose (as in 0005): SQLite adds and drops a column in place, while a
batch "copy and move" would DROP TABLE app and, with foreign keys on, cascade the drop
into every ownership, integration and review.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app", sa.Column("hours_saved_per_month", sa.Integer()))


def downgrade() -> None:
    op.drop_column("app", "hours_saved_per_month")
