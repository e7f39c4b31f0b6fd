"""A person's certifications per platform, with the date obtained and expiry: person_certification.

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-07

The person's `certification` column stays as it was imported or entered (undated, for all
platforms at once); these rows are the dated record per platform that decides, when a person
has any, who is qualified to build an app of a tier and who is "certified on the platform" as
a handover successor (core.certification). A new table: nothing existing is rewritten.
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_certification",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("person.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("obtained", sa.Date),
        sa.Column("expires", sa.Date),
        sa.Column("name", sa.String(200)),
        sa.CheckConstraint("level IN ('trained', 'certified')",
                           name="ck_person_certification_level"),
    )
    op.create_index("ix_person_certification_person", "person_certification", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_person_certification_person", "person_certification")
    op.drop_table("person_certification")
