"""People known only by name: an owner a platform export names, not yet in the directory.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Platform exports give owners as display names. Such an owner becomes a person without
an e-mail (flagged for completion) instead of being dropped; importing the directory
later fills the e-mail in. A person still needs one of the two to be told apart.
SQLite rebuilds the table for this; `db.migrate` turns foreign keys off meanwhile so the
rebuild cannot cascade into ownership rows.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_IDENTIFIED = "email IS NOT NULL OR name IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.alter_column("email", existing_type=sa.String(320), nullable=True)
        batch.create_check_constraint("ck_person_identified", _IDENTIFIED)


def downgrade() -> None:
    # A person without an e-mail cannot exist before this revision: they are removed
    # (their ownership rows go with them through the foreign key).
    op.execute("DELETE FROM person WHERE email IS NULL")
    with op.batch_alter_table("person") as batch:
        batch.drop_constraint("ck_person_identified", type_="check")
        batch.alter_column("email", existing_type=sa.String(320), nullable=False)
