"""outbox: unsent and refused events counted from an index

The status bar shows how many changes are unsent (and how many the hub refused), read
every 30 seconds on the window's thread and at the start of every sync. Counting by
state read the whole outbox, every payload with it: about 65 ms for 10,000 unsent
events on a cold cache (a window offline for a month), growing with the outbox. The
index on state answers both counts from a few small pages.

Revision ID: 0009_outbox_state_index
Revises: 0008_outbox_autoincrement
Create Date: 2026-12-04
"""

from alembic import op

revision = "0009_outbox_state_index"
down_revision = "0008_outbox_autoincrement"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_state", "outbox", ["state"])


def downgrade() -> None:
    op.drop_index("ix_outbox_state", table_name="outbox")
