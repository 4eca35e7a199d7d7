"""a department accepts a fully-online item's application itself (全程网办)

Revision ID: 0016_h30online_dept_accepts
Revises: 0015_h26year_case_figures
Create Date: 2026-12-07

Issue 30's leftover: for an item the catalog marks ``fully_online``, the department that
decides it pre-reviews the online application in the console and accepts it; the hub then
makes the case. Such a case has no window: ``cases.window_id`` becomes nullable and
``cases.accepted_by_department`` names the department that accepted it. The hub numbers
these cases in series of its own (``hub_case_series``: one row a department and year, the
last number given, bumped in the acceptance's transaction). An application keeps the case
it became (``case_id``) and a department's refusal with its reason (``refused_reason``).

On SQLite making a column nullable rebuilds the table; the two partial indexes of the
open cases are dropped first and made again after, so their WHERE clause is kept.
"""

import sqlalchemy as sa
from alembic import op

revision = '0016_h30online_dept_accepts'
down_revision = '0015_h26year_case_figures'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('accepted', 'in_progress', 'suspended')")


def _drop_open_case_indexes() -> None:
    op.drop_index('ix_cases_open_due', table_name='cases')
    op.drop_index('ix_cases_open_item_due', table_name='cases')


def _create_open_case_indexes() -> None:
    op.create_index('ix_cases_open_item_due', 'cases', ['item_code', 'promised_date', 'accepted_at', 'id'], unique=False,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_cases_open_due', 'cases', ['promised_date', 'status', 'center_code', 'item_code'],
                    unique=False, sqlite_where=OPEN, postgresql_where=OPEN)


def upgrade() -> None:
    _drop_open_case_indexes()
    with op.batch_alter_table('cases') as batch:
        batch.alter_column('window_id', existing_type=sa.String(length=12), nullable=True)
        batch.add_column(sa.Column('accepted_by_department', sa.String(length=8), nullable=True))
    _create_open_case_indexes()
    with op.batch_alter_table('online_applications') as batch:
        batch.add_column(sa.Column('case_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('refused_reason', sa.Text(), nullable=False, server_default=''))
    op.create_table(
        'hub_case_series',
        sa.Column('series', sa.String(length=40), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('series', name=op.f('pk_hub_case_series')),
    )


def downgrade() -> None:
    op.drop_table('hub_case_series')
    with op.batch_alter_table('online_applications') as batch:
        batch.drop_column('refused_reason')
        batch.drop_column('case_id')
    # The hub's own cases have no window: they cannot stay once window_id is required again.
    for table in ('case_figures', 'case_events', 'case_page_lists', 'page_readings', 'case_parts', 'case_deliveries',
                  'case_handovers', 'case_commitments', 'credit_flags', 'case_proxies', 'case_deferred_materials'):
        op.execute(f"DELETE FROM {table} WHERE case_id IN (SELECT id FROM cases WHERE window_id IS NULL)")
    op.execute("DELETE FROM cases WHERE window_id IS NULL")
    _drop_open_case_indexes()
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('accepted_by_department')
        batch.alter_column('window_id', existing_type=sa.String(length=12), nullable=False)
    _create_open_case_indexes()
