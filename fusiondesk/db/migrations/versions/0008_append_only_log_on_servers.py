"""Append-only change log on PostgreSQL too: a trigger, and no right to change it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

0004 guards the log on SQLite only. On PostgreSQL two walls now stand:
- the application's role (the one that runs this migration and owns the table) gives up
  UPDATE, DELETE and TRUNCATE on change_log, so its own connection is refused with
  "permission denied" before any row is touched;
- a trigger refuses UPDATE, DELETE and TRUNCATE from anyone who still holds the right
  (another role it was granted to, or a superuser), with SQLSTATE 23000 so drivers report
  an integrity error, as SQLite's triggers do.
A later migration that must rewrite log rows grants the rights back and disables the
trigger inside its own transaction.
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FUNCTION = """
CREATE OR REPLACE FUNCTION change_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The change log is append-only: its entries cannot be %.',
        CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'deleted' END
        USING ERRCODE = 'integrity_constraint_violation';
END
$$
"""


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgresql():
        return
    op.execute(_FUNCTION)
    op.execute("CREATE TRIGGER change_log_no_change BEFORE UPDATE OR DELETE ON change_log "
               "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()")
    op.execute("CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
               "FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only()")
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON change_log FROM PUBLIC, CURRENT_USER")


def downgrade() -> None:
    if not _is_postgresql():
        return
    op.execute("GRANT UPDATE, DELETE, TRUNCATE ON change_log TO CURRENT_USER")
    op.execute("DROP TRIGGER IF EXISTS change_log_no_truncate ON change_log")
    op.execute("DROP TRIGGER IF EXISTS change_log_no_change ON change_log")
    op.execute("DROP FUNCTION IF EXISTS change_log_append_only()")
