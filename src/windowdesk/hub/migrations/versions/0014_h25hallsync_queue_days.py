"""the hall queue's finished days, carried by the windows

Revision ID: 0014_h25hallsync_queue_days
Revises: 0014_h26ops_console_indexes
Create Date: 2026-12-07

A new table only (issue 25).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0014_h25hallsync_queue_days'
down_revision = '0014_h26ops_console_indexes'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table('queue_days',
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('figures', JSON, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('workstation_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_queue_days_center_code_centers')),
    sa.PrimaryKeyConstraint('center_code', 'day', name=op.f('pk_queue_days'))
    )
    with op.batch_alter_table('queue_days', schema=None) as batch_op:
        batch_op.create_index('ix_queue_days_day', ['day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('queue_days', schema=None) as batch_op:
        batch_op.drop_index('ix_queue_days_day')
    op.drop_table('queue_days')
