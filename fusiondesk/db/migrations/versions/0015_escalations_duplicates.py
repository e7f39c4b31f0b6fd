"""Escalation cases and duplicate decisions: the escalation path and the duplicates' verdicts.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-07

An escalation case follows one app from recognition (drift or a warning sign) through a
pro-dev partner and a rebuild decision to a close with its lesson; the lesson may name the
policy change it led to (a `change_log.change_id`, 0011). A duplicate decision (keep, merge,
retire) is recorded against the key of the group's member set, so it holds while the
members stay the same and the group comes back when they change. New tables only: nothing
existing is rewritten.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "escalation_case",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("app_id", sa.Integer, sa.ForeignKey("app.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("trigger", sa.String(30), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("owner", sa.String(320), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("partner_email", sa.String(320)),
        sa.Column("rebuild", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("lesson", sa.Text),
        sa.Column("policy_change", sa.String(32)),
        sa.Column("recognised_on", sa.Date, nullable=False),
        sa.Column("partnered_on", sa.Date),
        sa.Column("decided_on", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.CheckConstraint("stage IN ('recognised', 'partnered', 'decided', 'closed')",
                           name="ck_escalation_stage"),
    )
    op.create_index("ix_escalation_app", "escalation_case", ["app_id"])
    op.create_index("ix_escalation_stage", "escalation_case", ["stage"])
    op.create_table(
        "duplicate_decision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("group_key", sa.String(16), nullable=False),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("score", sa.Float),
        sa.CheckConstraint("decision IN ('keep', 'merge', 'retire')",
                           name="ck_duplicate_decision"),
    )
    op.create_index("ix_duplicate_group", "duplicate_decision", ["group_key"])


def downgrade() -> None:
    op.drop_table("duplicate_decision")
    op.drop_table("escalation_case")
