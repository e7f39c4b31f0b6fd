"""Governance: cached classification on apps, reviews, change log, policy, settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app") as batch:
        batch.add_column(sa.Column("tier", sa.Integer))
        batch.add_column(sa.Column("possible_tier", sa.Integer))
        batch.add_column(sa.Column("tier_reasons", sa.Text))
        batch.add_column(sa.Column("unknowns", sa.String(500)))
        batch.add_column(sa.Column("flags", sa.String(500)))
        batch.add_column(sa.Column("drift", sa.Boolean))
        batch.add_column(sa.Column("policy_version", sa.Integer))
        batch.create_index("ix_app_tier", ["tier"])
    op.create_table(
        "review",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("app_id", sa.Integer, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("requested", sa.Date),
        sa.Column("due", sa.Date),
        sa.Column("reviewer_email", sa.String(320)),
        sa.Column("outcome", sa.String(40)),
        sa.Column("notes", sa.Text),
        sa.Column("completed", sa.Date),
    )
    op.create_index("ix_review_app", "review", ["app_id"])
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_key", sa.String(320), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("source_detail", sa.String(500)),
    )
    op.create_index("ix_change_log_at", "change_log", ["at"])
    op.create_index("ix_change_log_entity", "change_log", ["entity", "entity_key"])
    op.create_table(
        "policy",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text),
    )


def downgrade() -> None:
    for table in ("setting", "policy", "change_log", "review"):
        op.drop_table(table)
    with op.batch_alter_table("app") as batch:
        batch.drop_index("ix_app_tier")
        for column in ("policy_version", "drift", "flags", "unknowns", "possible_tier",
                       "tier_reasons", "tier"):
            batch.drop_column(column)
