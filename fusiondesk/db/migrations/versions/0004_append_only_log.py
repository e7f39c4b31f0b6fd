"""Append-only change log: the database itself refuses to change or remove a log row.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

SQLite triggers ABORT any UPDATE or DELETE on change_log, whoever issues it (the
app, a script, a DB browser), so the trail of who changed what stays honest.
Rewriting the table in a future batch migration still works: DROP TABLE fires no
DELETE triggers, and the triggers go with the old table (recreate them after).
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_REFUSE = "SELECT RAISE(ABORT, 'The change log is append-only: its entries cannot be {}.');"
_TRIGGERS = {
    "change_log_no_update": ("UPDATE", "changed"),
    "change_log_no_delete": ("DELETE", "deleted"),
}


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    # Other servers have their own trigger syntax and, better, permissions: grant the
    # FusionDesk account INSERT and SELECT only on change_log. Nothing to do here.
    if not _is_sqlite():
        return
    for name, (statement, verb) in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {statement} ON change_log "
                   f"BEGIN {_REFUSE.format(verb)} END")


def downgrade() -> None:
    if not _is_sqlite():
        return
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
