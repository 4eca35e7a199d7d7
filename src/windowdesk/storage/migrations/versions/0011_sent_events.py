"""sent_events: confirmed events are kept a while, to send again after a hub restore

Revision ID: 0011_sent_events
Revises: 0010_calendar_years
Create Date: 2026-12-04

A confirmed event used to be deleted at once. A hub restored from a backup has lost what
it confirmed after the backup was taken; it now says so (a new generation), and the
window puts the events it kept back into the outbox. Kept 30 days, then deleted.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_sent_events"
down_revision = "0010_calendar_years"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sent_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_sent_events_event_id")),
    )
    with op.batch_alter_table("sent_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sent_events_confirmed_at"), ["confirmed_at"], unique=False)


def downgrade() -> None:
    op.drop_table("sent_events")
