"""the open cases' indexes carry what the queue and the cards read

Revision ID: 0017_h26pages_open_indexes
Revises: 0016_h26agg_figure_days
Create Date: 2026-12-07

At 2,000,000 cases the supervision page joined its ~40,000 open cases one by one into
the due-day index of every case the hub ever had (130 MB: read from disk, not memory),
and read each case's row for its id; the department queue read each open case's row too.
``ix_case_figures_open_due`` holds the due days of the unfinished cases only (a few MB);
on PostgreSQL the two open-case indexes also carry (INCLUDE) the columns those pages
read, so the cases are found and read from the index alone. SQLite has no INCLUDE: its
open-case indexes stay as they are.
"""

import sqlalchemy as sa
from alembic import op

revision = '0017_h26pages_open_indexes'
down_revision = '0016_h26agg_figure_days'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('accepted', 'in_progress', 'suspended')")
UNFINISHED = sa.text('finished_day IS NULL')


def _open_case_indexes(queue_include: list[str], cards_include: list[str]) -> None:
    op.drop_index('ix_cases_open_item_due', table_name='cases')
    op.create_index('ix_cases_open_item_due', 'cases', ['item_code', 'promised_date', 'accepted_at', 'id'],
                    postgresql_where=OPEN, postgresql_include=queue_include)
    op.drop_index('ix_cases_open_due', table_name='cases')
    op.create_index('ix_cases_open_due', 'cases', ['promised_date', 'status', 'center_code', 'item_code'],
                    postgresql_where=OPEN, postgresql_include=cards_include)


def upgrade() -> None:
    op.create_index('ix_case_figures_open_due', 'case_figures', ['case_id', 'due_day'],
                    sqlite_where=UNFINISHED, postgresql_where=UNFINISHED)
    if op.get_bind().dialect.name == 'postgresql':
        _open_case_indexes(['case_number', 'center_code', 'status'], ['id'])


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        _open_case_indexes([], [])
    op.drop_index('ix_case_figures_open_due', table_name='case_figures')
