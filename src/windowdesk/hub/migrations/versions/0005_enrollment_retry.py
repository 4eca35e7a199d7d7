"""enrollment codes remember which installation claimed them

Revision ID: 0005_enrollment_retry
Revises: 0004_rejected_events_index
Create Date: 2026-11-25

When the hub's answer to an enrollment is lost on the way, the workstation asks again
with the same code. The code is spent by then; knowing (as a hash) which installation
spent it lets the hub answer that same installation again instead of refusing it.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_enrollment_retry'
down_revision = '0004_rejected_events_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enrollment_codes') as batch:
        batch.add_column(sa.Column('installation_sha256', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enrollment_codes') as batch:
        batch.drop_column('installation_sha256')
