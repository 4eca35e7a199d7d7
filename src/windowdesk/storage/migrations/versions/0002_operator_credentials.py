"""operator credentials: password hash, forced change, lockout

Revision ID: 0002_operator_credentials
Revises: 0001_baseline
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa

revision = "0002_operator_credentials"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))
        # Accounts made before passwords existed must set one at their next login.
        batch.add_column(
            sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        for column in ("last_login_at", "locked_until", "failed_attempts", "must_change_password", "password_hash"):
            batch.drop_column(column)
