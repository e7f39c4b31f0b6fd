"""The rest of an app's value ledger: minutes saved per run, runs per month, the pro-dev
estimate it replaced, its licence cost and the IT backlog item it absorbed.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-07

With hours_saved_per_month (0007) these are what core.value reads for the programme's
value (hours saved, pro-dev cost avoided, licence cost, net value, payback). Nullable:
an app that never had them is unknown, never zero.

No batch mode (as in 0005 and 0007): SQLite adds and drops a column in place, where a
batch "copy and move" would drop the app table and cascade into its ownership rows.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = (("minutes_saved_per_run", sa.Integer()), ("runs_per_month", sa.Integer()),
            ("prodev_estimate_hours", sa.Integer()), ("licence_cost_per_month", sa.Integer()),
            ("it_backlog_item", sa.String(200)))


def upgrade() -> None:
    for name, kind in _COLUMNS:
        op.add_column("app", sa.Column(name, kind))


def downgrade() -> None:
    for name, _kind in reversed(_COLUMNS):
        op.drop_column("app", name)
