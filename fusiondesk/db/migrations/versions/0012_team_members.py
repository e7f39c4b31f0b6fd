"""Teams have members: team_member (team, person, role in the team).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

DOMAIN.md, "Teams own apps": a team-owned app is orphaned when no member of the team is
active. Until this revision a team had no members and so always counted as an active
owner; from here a team is only as active as its members, so a portfolio upgraded with
teams but no members sees their apps as having no active owner until the lead (or an
import of a "Team members" sheet) records who is in them — an unknown membership is never
assumed safe.

A person is in a team once (uq_team_member); removing the person or the team removes the
membership (ON DELETE CASCADE), as it does their ownerships. A plain create_table: no
existing table is altered, so no batch mode is needed on SQLite.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_member",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.UniqueConstraint("team_id", "person_id", name="uq_team_member"),
        sa.CheckConstraint("role IN ('lead', 'member')", name="ck_team_member_role"),
    )
    op.create_index("ix_team_member_person", "team_member", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_team_member_person", "team_member")
    op.drop_table("team_member")
