"""the audit entries' index by workstation goes: its readers go through the window's

Revision ID: 0022_s10hubwrite_audit_by_window
Revises: 0021_h29pgidx_fewer_btrees
Create Date: 2026-12-08

Every action at a window writes an audit entry, pushed with the action's own event: about
half of a real push's events are ``audit.entry``, and each entry was written into four
B-trees (on PostgreSQL a WAL record each, synced before the push is answered). One of
them, ``ix_audit_entries_workstation_id``, had two readers, both of which the window's
index ``ix_audit_entries_window`` (window, seq) answers, since a workstation's entries all
carry its window (the hub refuses an entry made at another window):

- where a pusher's chain ends (``push_view``, once per batch): its window's entries
  from the last, the first of its own;
- ``windowdesk-hub audit-check --workstation``: the windows to check found from the
  workstation's row instead of from its entries.

The refused changes' resolutions keep their partial index (by workstation, of that one
action); no workstation is ever deleted (the foreign key's check never runs).
"""

from alembic import op

revision = '0022_s10hubwrite_audit_by_window'
down_revision = '0021_h29pgidx_fewer_btrees'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_audit_entries_workstation_id', table_name='audit_entries')


def downgrade() -> None:
    op.create_index('ix_audit_entries_workstation_id', 'audit_entries', ['workstation_id'], unique=False)
