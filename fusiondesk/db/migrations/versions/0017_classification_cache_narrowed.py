"""The app row caches its tier and warning signs, not the reasons' and unknowns' text.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08

The cached classification lets the big table, the Home page and the dashboard sort, filter
and count by tier and sign in SQL. Its `tier_reasons` and `unknowns` texts were written on
every change and read by nothing: every place that shows reasons or unknowns (the Why panel,
`classify`, the audit workbook) classifies the app afresh. They also cited thresholds
("120 users ≥ 50"), so a policy change had to rewrite every app to keep them true; without
them it rewrites only the apps the change can move (services.classification.reclassify).

No batch mode (as in 0013): SQLite drops a column in place, where a batch "copy and move"
would drop table app and cascade the drop into its owners and reviews. The downgrade gives
the columns back empty; the next full reclassification fills them under that FusionDesk.
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_column("app", "tier_reasons")
    op.drop_column("app", "unknowns")


def downgrade() -> None:
    op.add_column("app", sa.Column("tier_reasons", sa.Text))
    op.add_column("app", sa.Column("unknowns", sa.Text))
