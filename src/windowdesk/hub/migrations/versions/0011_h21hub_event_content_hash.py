"""the content hash of every pushed event

Revision ID: 0011_h21hub_event_content_hash
Revises: 0010_h21_hub_id
Create Date: 2026-12-07

An event id sent again with different content was answered "duplicate" and the new
content silently dropped (issue 21, finding 9). Each pushed event now keeps the SHA-256 of
its content, so a resend is compared with what was first received without reading the
stored payload. Events stored before this revision have none; a resend of one of them is
compared with its stored payload instead (services/push.py).
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_h21hub_event_content_hash'
down_revision = '0010_h21_hub_id'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pushed_events') as batch:
        batch.add_column(sa.Column('content_sha256', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pushed_events') as batch:
        batch.drop_column('content_sha256')
