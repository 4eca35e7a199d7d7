"""fewer index entries per pushed case: the indexes no query reads go

Revision ID: 0019_h29pgwal_fewer_indexes
Revises: 0018_h29pg_payload_lz4
Create Date: 2026-12-07

Every index of a table a push writes costs each pushed event or case one more entry, on
PostgreSQL one more WAL record synced before the push is answered (about 1 MB of WAL per
10,000 events an index). Four were read by no query:

- ``ix_pushed_events_workstation_id``: the readers of pushed events find them by id, a
  case's acceptance by record (``ix_pushed_events_acceptances``, below) or among the rejected ones
  (``ix_pushed_events_rejected``), and no workstation is ever deleted;
- ``ix_cases_status_accepted``: the city-wide report read it before it counted
  ``case_figures`` (0015_h26year); the console's pages read the open cases' indexes;
- ``ix_case_figures_finished``: no query asks for a finished day's range;
- ``ix_case_figures_due``: the cards and the queue read the unfinished cases' due days
  (``ix_case_figures_open_due``, 0017_h26pages) on PostgreSQL, the row by its key on SQLite.

``ix_pushed_events_entity`` (every event by record) was read for one kind only, a case's
acceptance (its materials, the number a refused one carried): it becomes the acceptances'
index, partial, and the case's later steps, residents and the rest cost no entry in it.

``ix_case_events_finishing`` (the status a step leads to, then its time) was the old
report's too; the one reader of a step's time left, the provincial export of a day, asks
for the time alone, which that index cannot find without reading all of it: it becomes an
index of the time alone (as many entries as before).
"""

import sqlalchemy as sa
from alembic import op

revision = '0019_h29pgwal_fewer_indexes'
down_revision = '0018_h29pg_payload_lz4'
branch_labels = None
depends_on = None

STEP_TIME = sa.text('coalesce(client_at, recorded_at)')
ACCEPTANCE = sa.text("kind = 'case.accepted'")


def upgrade() -> None:
    op.drop_index('ix_pushed_events_workstation_id', table_name='pushed_events')
    op.drop_index('ix_cases_status_accepted', table_name='cases')
    op.drop_index('ix_case_figures_finished', table_name='case_figures')
    op.drop_index('ix_case_figures_due', table_name='case_figures')
    op.drop_index('ix_case_events_finishing', table_name='case_events')
    op.create_index('ix_case_events_step_time', 'case_events', [STEP_TIME], unique=False)
    op.drop_index('ix_pushed_events_entity', table_name='pushed_events')
    op.create_index('ix_pushed_events_acceptances', 'pushed_events', ['entity_id'], unique=False,
                    sqlite_where=ACCEPTANCE, postgresql_where=ACCEPTANCE)


def downgrade() -> None:
    op.drop_index('ix_pushed_events_acceptances', table_name='pushed_events')
    op.create_index('ix_pushed_events_entity', 'pushed_events', ['entity', 'entity_id'], unique=False)
    op.drop_index('ix_case_events_step_time', table_name='case_events')
    op.create_index('ix_case_events_finishing', 'case_events', ['to_status', STEP_TIME], unique=False)
    op.create_index('ix_case_figures_due', 'case_figures', ['case_id', 'due_day'], unique=False)
    op.create_index('ix_case_figures_finished', 'case_figures', ['finished_day'], unique=False)
    op.create_index('ix_cases_status_accepted', 'cases', ['status', 'accepted_at'], unique=False)
    op.create_index('ix_pushed_events_workstation_id', 'pushed_events', ['workstation_id'], unique=False)
