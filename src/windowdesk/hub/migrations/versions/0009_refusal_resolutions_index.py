"""an index of the windows' resolutions of refused changes in the audit log

Revision ID: 0009_refusal_resolutions_index
Revises: 0008_hub_generation
Create Date: 2026-12-04

A supervisor at a window now marks a change the hub refused as resolved; the window's
audit log says so (action 'sync.refusal_resolved'), and `windowdesk-hub refused` shows
it beside the refusal. Partial: those entries are few among all of a year's, so the
command reads only them and the other entries' inserts do not pay for it.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009_refusal_resolutions_index'
down_revision = '0008_hub_generation'
branch_labels = None
depends_on = None

RESOLVED = sa.text("action = 'sync.refusal_resolved'")


def upgrade() -> None:
    op.create_index(
        'ix_audit_entries_refusal_resolved', 'audit_entries', ['workstation_id'], unique=False,
        sqlite_where=RESOLVED, postgresql_where=RESOLVED,
    )


def downgrade() -> None:
    op.drop_index('ix_audit_entries_refusal_resolved', table_name='audit_entries')
