"""Who deployed an app to production: app.deployed_by.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-07

A person, as the import and the editor were given them: an e-mail, or a display name
until the directory gives that person an e-mail. The production gate checks it against
the tier's deployment path (core.gate). Nullable: an app imported before this revision
does not know who deployed it, and an unknown deployer raises no warning sign.

No batch mode (as in 0005, 0007 and 0011): SQLite adds a column in place, where a batch
"copy and move" would drop table app and cascade the drop into its owners and reviews.
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app", sa.Column("deployed_by", sa.String(320)))


def downgrade() -> None:
    op.drop_column("app", "deployed_by")
