"""complaints from the web: 投诉 / 办不成事反映 filed on the public pages; purged bookings' counts

Revision ID: h27complain
Revises: 0014_h23modes_deferred_materials
Create Date: 2026-12-07

Issue 27: a resident files a complaint (or a "could not get it done" report) on the
public pages. It is a complaint like a window's, but no window nor operator received it:
``window_id`` and ``operator_id`` become nullable, ``source`` says "window" or "web",
``kind`` "complaint" or "not_done". A web complaint keeps the phone to call back, the
hash of the short code that reads it back, and the hash of the address it came from
(the per-address limit, by ``ix_complaints_address_stored``).

Bookings past their day are purged; a half-day's row keeps how many of its bookings were
cancelled (``booking_slots.purged_cancelled``) beside how many were booked.
"""

import sqlalchemy as sa
from alembic import op

revision = 'h27complain'
down_revision = '0015_h30forms'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The existing rows are a window's complaints: the server defaults fill them.
    with op.batch_alter_table('complaints') as batch:
        batch.alter_column('window_id', existing_type=sa.String(length=12), nullable=True)
        batch.alter_column('operator_id', existing_type=sa.String(length=36), nullable=True)
        batch.add_column(sa.Column('source', sa.String(length=10), nullable=False, server_default='window'))
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='complaint'))
        batch.add_column(sa.Column('contact_phone', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('address_hash', sa.String(length=64), nullable=True))
    op.create_index('ix_complaints_address_stored', 'complaints', ['address_hash', 'stored_at'])
    op.add_column('booking_slots', sa.Column('purged_cancelled', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('booking_slots') as batch:
        batch.drop_column('purged_cancelled')
    op.drop_index('ix_complaints_address_stored', table_name='complaints')
    op.execute("DELETE FROM rectifications WHERE complaint_id IN (SELECT id FROM complaints WHERE source = 'web')")
    op.execute("DELETE FROM complaints WHERE source = 'web'")
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('address_hash')
        batch.drop_column('code_hash')
        batch.drop_column('contact_phone')
        batch.drop_column('kind')
        batch.drop_column('source')
        batch.alter_column('operator_id', existing_type=sa.String(length=36), nullable=False)
        batch.alter_column('window_id', existing_type=sa.String(length=12), nullable=False)
