"""Ownership handover: a plan per leaver and an item per app they own.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_STATUSES = "status IN ('planned', 'in_progress', 'done')"


def upgrade() -> None:
    op.create_table(
        "handover_plan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_email", sa.String(320), nullable=False),
        sa.Column("leave_date", sa.Date),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="planned"),
        sa.CheckConstraint(_STATUSES, name="ck_handover_plan_status"),
    )
    op.create_index("ix_handover_plan_person", "handover_plan", ["person_email"])
    op.create_table(
        "handover_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer,
                  sa.ForeignKey("handover_plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("app_id", sa.Integer, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False),
        sa.Column("triage", sa.String(20), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("covered_by", sa.String(320)),
        sa.Column("successor_email", sa.String(320)),
        sa.Column("status", sa.String(20), nullable=False, server_default="planned"),
        sa.Column("due", sa.Date),
        sa.Column("checklist", sa.Text, nullable=False, server_default="{}"),
        sa.Column("role", sa.String(20)),
        sa.Column("accepted_on", sa.Date),
        sa.Column("detail", sa.Text),
        sa.CheckConstraint(_STATUSES, name="ck_handover_item_status"),
    )
    op.create_index("ix_handover_item_plan", "handover_item", ["plan_id"])
    op.create_index("ix_handover_item_app", "handover_item", ["app_id"])


def downgrade() -> None:
    op.drop_table("handover_item")
    op.drop_table("handover_plan")
