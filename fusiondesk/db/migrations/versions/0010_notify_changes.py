"""Every change logged on a server wakes the other windows open on it (LISTEN/NOTIFY).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A statement-level trigger on the change log sends one notification per statement that
logs something (an import's thousands of rows wake a listener once). SQLite needs no
trigger: its `PRAGMA data_version` tells a connection that another one committed.
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CHANNEL = "fusiondesk_changes"

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION change_log_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION)
    op.execute("CREATE TRIGGER change_log_notify AFTER INSERT ON change_log "
               "FOR EACH STATEMENT EXECUTE FUNCTION change_log_notify()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS change_log_notify ON change_log")
    op.execute("DROP FUNCTION IF EXISTS change_log_notify()")
