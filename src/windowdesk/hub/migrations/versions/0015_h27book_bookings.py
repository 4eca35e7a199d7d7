"""bookings of visits (预约): the places a center offers per business and half-day, the bookings, the halls' links

Revision ID: h27book
Revises: h27hall
Create Date: 2026-12-07

Issue 27: an administrator sets how many visits a center takes for a business on a
half-day (``booking_slots``); residents book them on the public pages (``bookings``).
``booked <= capacity`` is a check constraint besides the booking's conditional update.
Issue 25: a center's hall service reads the day's bookings with its own token
(``hall_links``, one per center, kept as a hash).
"""

import sqlalchemy as sa
from alembic import op

revision = 'h27book'
down_revision = 'h27hall'
branch_labels = None
depends_on = None

COUNTER = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'booking_slots',
        sa.Column('id', COUNTER, autoincrement=True, nullable=False),
        sa.Column('center_code', sa.String(length=8), nullable=False),
        sa.Column('item_code', sa.String(length=40), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('half_day', sa.String(length=2), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('booked', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_booking_slots_places')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_slots')),
        sa.UniqueConstraint('center_code', 'item_code', 'day', 'half_day', name=op.f('uq_booking_slots_center_code')),
    )
    op.create_table(
        'bookings',
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('slot_id', COUNTER, nullable=False),
        sa.Column('center_code', sa.String(length=8), nullable=False),
        sa.Column('item_code', sa.String(length=40), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('half_day', sa.String(length=2), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('id_number', sa.String(length=18), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('booked_at', sa.DateTime(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['slot_id'], ['booking_slots.id'], name=op.f('fk_bookings_slot_id_booking_slots')),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_bookings')),
    )
    op.create_index('ix_bookings_phone_status', 'bookings', ['phone', 'status'])
    op.create_index('ix_bookings_address_at', 'bookings', ['address_hash', 'booked_at'])
    op.create_index('ix_bookings_center_day', 'bookings', ['center_code', 'day'])
    op.create_table(
        'hall_links',
        sa.Column('center_code', sa.String(length=8), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('center_code', name=op.f('pk_hall_links')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_hall_links_token_sha256')),
    )


def downgrade() -> None:
    op.drop_table('hall_links')
    op.drop_index('ix_bookings_center_day', table_name='bookings')
    op.drop_index('ix_bookings_address_at', table_name='bookings')
    op.drop_index('ix_bookings_phone_status', table_name='bookings')
    op.drop_table('bookings')
    op.drop_table('booking_slots')
