"""hub_key: the hub's own lasting identity, which the windows pin at enrollment

Revision ID: 0010_h21_hub_id
Revises: 0009_refusal_resolutions_index
Create Date: 2026-12-07

A random id made once, when the hub's database is made (or upgraded to this revision).
Unlike the generation it survives a restore (the backup holds it): it names the hub, not
one life of its database. Every reply carries it (X-Windowdesk-Hub-Id); a window refuses
to sync with a hub whose id is not the one it was enrolled with.
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = '0010_h21_hub_id'
down_revision = '0009_refusal_resolutions_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'hub_key',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('hub_id', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_key')),
    )
    op.bulk_insert(table, [{'id': 1, 'hub_id': str(uuid.uuid4())}])


def downgrade() -> None:
    op.drop_table('hub_key')
