"""fewer B-trees per pushed case: the acceptances' index and the cases' center index go

Revision ID: 0021_h29pgidx_fewer_btrees
Revises: 0020_h29figlater_figures_due
Create Date: 2026-12-08

Every index of a table a push fills costs each pushed case one more entry: on
PostgreSQL a WAL record synced before the push is answered, on SQLite one more B-tree
written. Two were read for one rare page each:

- ``ix_pushed_events_acceptances`` (a case's acceptance by record): a case's materials
  find the acceptance by its id instead, which the case's first step keeps
  (``case_events.event_id``, by ``ix_case_events_case_id``, then the primary key); a
  refused case's number is looked for among the rejected events
  (``ix_pushed_events_rejected``, by record), since an applied acceptance made the case;
- ``ix_cases_center_code`` (a center's cases): read only when a center's time zone
  changes, to refresh its cases' figures, a rare change that reads and rewrites those
  cases anyway; no center is ever deleted (the foreign key's check never runs).

After 0020 (the case figures due), which it does not touch.
"""

import sqlalchemy as sa
from alembic import op

revision = '0021_h29pgidx_fewer_btrees'
down_revision = '0020_h29figlater_figures_due'
branch_labels = None
depends_on = None

ACCEPTANCE = sa.text("kind = 'case.accepted'")


def upgrade() -> None:
    op.drop_index('ix_pushed_events_acceptances', table_name='pushed_events')
    op.drop_index('ix_cases_center_code', table_name='cases')


def downgrade() -> None:
    op.create_index('ix_cases_center_code', 'cases', ['center_code'], unique=False)
    op.create_index('ix_pushed_events_acceptances', 'pushed_events', ['entity_id'], unique=False,
                    sqlite_where=ACCEPTANCE, postgresql_where=ACCEPTANCE)
