"""an index of rejected pushed events by entity id

Revision ID: 0004_rejected_events_index
Revises: 0003_hub_service_quality
Create Date: 2026-11-25

Every push looks up why the records it refers to are missing (their creating event was
rejected) by entity id alone, which the (entity, entity_id) index cannot serve: without
this index each push read the whole of ``pushed_events``. Partial (rejected rows only),
so the inserts of applied events do not pay for it.
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_rejected_events_index'
down_revision = '0003_hub_service_quality'
branch_labels = None
depends_on = None

REJECTED = sa.text("status = 'rejected'")


def upgrade() -> None:
    op.create_index(
        'ix_pushed_events_rejected', 'pushed_events', ['entity_id'], unique=False,
        sqlite_where=REJECTED, postgresql_where=REJECTED,
    )


def downgrade() -> None:
    op.drop_index('ix_pushed_events_rejected', table_name='pushed_events')
