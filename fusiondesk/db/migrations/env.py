"""Alembic environment: the portfolio's connection is handed in by `db.migrate`."""

from alembic import context

from fusiondesk.db.models import Base

connection = context.config.attributes["connection"]
# render_as_batch: SQLite can only ALTER tables by copying them.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
