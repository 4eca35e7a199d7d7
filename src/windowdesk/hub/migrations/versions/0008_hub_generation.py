"""hub_identity: the generation of the hub's database, new at every restore

Revision ID: 0008_hub_generation
Revises: 0007_calendar_years
Create Date: 2026-12-04

A window deletes an event once the hub has confirmed it. A hub restored from a backup
has lost what was confirmed after the backup was taken; it starts a new generation, the
windows see it in the replies and send their recent confirmed events again (the hub
answers "duplicate" for what it still has).
"""

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0008_hub_generation'
down_revision = '0007_calendar_years'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'hub_identity',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('generation', sa.String(length=36), nullable=False),
        sa.Column('since', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_identity')),
    )
    op.bulk_insert(table, [{
        'id': 1, 'generation': str(uuid.uuid4()),
        'since': dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
    }])


def downgrade() -> None:
    op.drop_table('hub_identity')
