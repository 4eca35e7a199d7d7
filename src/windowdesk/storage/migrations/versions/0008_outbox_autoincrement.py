"""outbox: a sequence number is never given twice

Revision ID: 0008_outbox_autoincrement
Revises: 0007_case_status_indexes
Create Date: 2026-11-25

Without AUTOINCREMENT SQLite hands out the highest rowid + 1, so once a sync had
emptied the outbox the next change got seq 1 again: the order stayed right, but the hub
keeps each event's seq (pushed_events.client_seq) and the same number then named many
events of one workstation. With AUTOINCREMENT the numbers only grow (SQLite keeps the
highest ever given in sqlite_sequence); the table is rebuilt with its pending and
refused events, which keep their numbers.
"""

from alembic import op

revision = "0008_outbox_autoincrement"
down_revision = "0007_case_status_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade() -> None:
    with op.batch_alter_table("outbox", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
        pass
