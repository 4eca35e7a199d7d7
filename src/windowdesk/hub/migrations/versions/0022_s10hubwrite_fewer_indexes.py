"""three indexes no query reads go: audit entries by workstation, residents by ID number,
organisations by credit code

Revision ID: 0022_s10hubwrite_fewer_indexes
Revises: 0021_h29pgidx_fewer_btrees
Create Date: 2026-12-08

Every index of a table a push fills costs each pushed row one more entry: on PostgreSQL a
WAL record synced before the push is answered, on SQLite one more B-tree written.

- ``ix_audit_entries_workstation_id``: every action at a window writes an audit entry,
  pushed with the action's own event, so about half of a real push's events are
  ``audit.entry``. Its two readers are answered by the window's index
  ``ix_audit_entries_window`` (window, seq), since a workstation's entries all carry its
  window (the hub refuses an entry made at another): where a pusher's chain ends
  (``push_view``, once per batch: its window's entries from the last, the first of its
  own) and ``windowdesk-hub audit-check --workstation`` (the window read from the
  workstation's row). The refused changes' resolutions keep their partial index.
- ``ix_residents_id_number``, ``ix_organisations_credit_code``: the hub finds residents
  and organisations by id only (the rules, a case's pages, the exports); nothing looks
  one up by its ID number or credit code (credit flags go by a keyed hash of it). An ID
  number in random order also put each registration's entry on a page of its own.

No workstation, resident or organisation is ever deleted (the foreign keys' checks on
them never run).
"""

from alembic import op

revision = '0022_s10hubwrite_fewer_indexes'
down_revision = '0021_h29pgidx_fewer_btrees'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_audit_entries_workstation_id', table_name='audit_entries')
    op.drop_index('ix_residents_id_number', table_name='residents')
    op.drop_index('ix_organisations_credit_code', table_name='organisations')


def downgrade() -> None:
    op.create_index('ix_organisations_credit_code', 'organisations', ['credit_code'], unique=False)
    op.create_index('ix_residents_id_number', 'residents', ['id_number'], unique=False)
    op.create_index('ix_audit_entries_workstation_id', 'audit_entries', ['workstation_id'], unique=False)
