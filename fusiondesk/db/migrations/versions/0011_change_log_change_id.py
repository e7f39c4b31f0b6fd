"""Every change-log row names the change it belongs to: change_log.change_id.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

One user action (an edit, a bulk edit of 40 apps, an import, an undo) logs many rows, one
per field; the Log page shows it as one change. The rows of one transaction share one id
(`db.store.change_log.change_id`), so the page groups them by it and orders the changes by
their newest row, the composite index answering both.

Nullable, and existing rows keep NULL: the log is append-only (0004, 0008), so rows logged
before this revision are never rewritten; the store groups them by when, who, source and
detail instead, which is what one action of theirs shared.

No batch mode (as in 0005 and 0007): SQLite adds a column in place, where a batch "copy and
move" would drop the table and the append-only triggers with it.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("change_log", sa.Column("change_id", sa.String(32)))
    op.create_index("ix_change_log_change", "change_log", ["change_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_change_log_change", "change_log")
    op.drop_column("change_log", "change_id")
