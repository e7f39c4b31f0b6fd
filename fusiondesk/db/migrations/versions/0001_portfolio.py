"""The portfolio: apps, people, teams, ownership and integrations.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("app_id", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("platform", sa.String(100), index=True),
        sa.Column("environment", sa.String(100)),
        sa.Column("lifecycle", sa.String(20), index=True),
        sa.Column("department", sa.String(100), index=True),
        sa.Column("scope", sa.String(20)),
        sa.Column("users", sa.Integer),
        sa.Column("data_sensitivity", sa.String(20)),
        sa.Column("data_categories", sa.String(200)),
        sa.Column("compliance", sa.String(200)),
        sa.Column("criticality", sa.String(20)),
        sa.Column("calc_complexity", sa.String(20)),
        sa.Column("custom_code", sa.Boolean),
        sa.Column("support", sa.String(10)),
        sa.Column("dr_plan", sa.Boolean),
        sa.Column("doc_functional", sa.Boolean),
        sa.Column("doc_data_sources", sa.Boolean),
        sa.Column("doc_logic", sa.Boolean),
        sa.Column("created", sa.Date),
        sa.Column("last_modified", sa.Date),
        sa.Column("last_used", sa.Date),
        sa.Column("approved_tier", sa.Integer),
        sa.Column("last_review", sa.Date),
        sa.Column("users_at_last_review", sa.Integer),
        sa.Column("requested_on", sa.Date),
        sa.Column("deployed_on", sa.Date),
        sa.Column("notes", sa.Text),
        sa.Column("owner_summary", sa.String(500)),
        sa.Column("integration_summary", sa.String(1000)),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("name", sa.String(200)),
        sa.Column("department", sa.String(100)),
        sa.Column("role", sa.String(30)),
        sa.Column("certification", sa.String(20)),
        sa.Column("certified_platforms", sa.String(500)),
        sa.Column("status", sa.String(10), nullable=False, server_default="active"),
        sa.Column("leave_date", sa.Date),
        sa.Column("manager_email", sa.String(320)),
        sa.Column("capacity", sa.Integer),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("department", sa.String(100)),
    )
    op.create_table(
        "ownership",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("app_id", sa.Integer, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE")),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id", ondelete="CASCADE")),
        sa.Column("role", sa.String(20), nullable=False),
        sa.CheckConstraint("(person_id IS NULL) <> (team_id IS NULL)", name="ck_ownership_one_owner"),
        sa.CheckConstraint(
            "role IN ('primary', 'co_owner', 'business_owner', 'prodev_partner')",
            name="ck_ownership_role",
        ),
    )
    op.create_index("ix_ownership_app", "ownership", ["app_id"])
    op.create_index("ix_ownership_person", "ownership", ["person_id"])
    op.create_table(
        "integration",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("app_id", sa.Integer, sa.ForeignKey("app.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("system", sa.String(200), nullable=False),
        sa.Column("direction", sa.String(20)),
        sa.Column("approved", sa.Boolean),
        sa.Column("external_api", sa.Boolean),
        sa.Column("enterprise", sa.Boolean),
        sa.Column("asynchronous", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_integration_app", "integration", ["app_id"])


def downgrade() -> None:
    for table in ("integration", "ownership", "team", "person", "app"):
        op.drop_table(table)
