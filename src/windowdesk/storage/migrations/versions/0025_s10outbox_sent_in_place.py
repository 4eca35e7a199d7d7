"""outbox: a confirmed event is marked sent in place; sent_events folded into the outbox

Revision ID: 0025_s10outbox_sent_in_place
Revises: 0024_lead_steps_counted_by_writers
Create Date: 2026-12-08

Since 0011 a confirmed event was copied into sent_events and deleted from the outbox, in
the transaction that records the hub's answer. On an encrypted file that was half of the
window's CPU in a push: every page of the copy, of the delete (secure_delete zeroes the
deleted rows) and of the WAL encrypted again (bench/README.md, issue 29, winpush). Now
the outbox row is marked sent with the time of the confirmation (state 'sent',
confirmed_at), one UPDATE a batch, and stays for the 30 days sent_events kept it.

The rows of sent_events move into the outbox as they were (seq, event id, record, kind,
payload, time, confirmation; no attempts, no error), sent. The state's index becomes
partial indexes that hold only the pending and only the refused rows, so the push's read
and the status bar's counts do not walk the confirmed rows; the forgetting after 30 days
reads the confirmed ones by their time. The downgrade splits them back into sent_events.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_s10outbox_sent_in_place"
down_revision = "0024_lead_steps_counted_by_writers"
branch_labels = None
depends_on = None

COLUMNS = "seq, event_id, entity, entity_id, kind, payload, created_at"


def upgrade() -> None:
    op.add_column("outbox", sa.Column("confirmed_at", sa.DateTime(), nullable=True))
    # The indexes first, on the outbox as it is (its unsent rows): each made afterwards
    # would read the whole outbox again, the kept rows' payloads with it (a window keeps
    # a month of confirmed events).
    op.drop_index("ix_outbox_state", table_name="outbox")
    op.create_index("ix_outbox_pending", "outbox", ["seq"], sqlite_where=sa.text("state = 'pending'"))
    op.create_index("ix_outbox_rejected", "outbox", ["seq"], sqlite_where=sa.text("state = 'rejected'"))
    op.create_index(
        "ix_outbox_confirmed_at", "outbox", ["confirmed_at"], sqlite_where=sa.text("confirmed_at IS NOT NULL")
    )
    # An event in both (none is: each move was one transaction) stays the outbox's.
    op.execute(
        f"INSERT OR IGNORE INTO outbox ({COLUMNS}, attempts, state, last_error, confirmed_at) "
        f"SELECT {COLUMNS}, 0, 'sent', '', confirmed_at FROM sent_events ORDER BY seq"
    )
    op.drop_table("sent_events")


def downgrade() -> None:
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
    op.create_index(op.f("ix_sent_events_confirmed_at"), "sent_events", ["confirmed_at"], unique=False)
    op.execute(
        f"INSERT INTO sent_events ({COLUMNS}, confirmed_at) "
        f"SELECT {COLUMNS}, confirmed_at FROM outbox WHERE state = 'sent' ORDER BY seq"
    )
    op.execute("DELETE FROM outbox WHERE state = 'sent'")
    op.drop_index("ix_outbox_confirmed_at", table_name="outbox")
    op.drop_index("ix_outbox_rejected", table_name="outbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.create_index("ix_outbox_state", "outbox", ["state"])
    op.drop_column("outbox", "confirmed_at")
