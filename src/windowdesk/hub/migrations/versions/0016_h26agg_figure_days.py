"""the report's figures summed per day and window operator

Revision ID: 0016_h26agg_figure_days
Revises: 0016_h30online_dept_accepts
Create Date: 2026-12-07

A year's city-wide report counted every case's figures row (2,000,000 at city scale)
and every rating; ``case_figure_days`` and ``rating_days`` hold their sums per local day
and window operator, kept with them (the rating sums are made by ``windowdesk-hub
migrate`` too). Rows already on the hub are marked ``counted_apart`` (counted row by row, as
before) until ``windowdesk-hub migrate`` sums them (hub/services/figure_days.py).
"""

import sqlalchemy as sa
from alembic import op

revision = '0016_h26agg_figure_days'
down_revision = '0016_h30online_dept_accepts'
branch_labels = None
depends_on = None

COUNTS = ('accepted', 'proxy_accepted', 'deferred_accepted', 'online_accepted', 'completed', 'on_time',
          'handling_days', 'delivered', 'delivered_late', 'open_overdue_change', 'delivery_overdue_change')
RATING_COUNTS = ('rated_1', 'rated_2', 'rated_3', 'rated_4', 'rated_5', 'web_ratings')


def upgrade() -> None:
    with op.batch_alter_table('case_figures') as batch:
        batch.add_column(sa.Column('counted_apart', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_index('ix_case_figures_apart', 'case_figures', ['accepted_day'],
                    sqlite_where=sa.text('counted_apart = 1'), postgresql_where=sa.text('counted_apart'))
    op.create_table(
        'case_figure_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('center_code', sa.String(8), nullable=False),
        sa.Column('window_key', sa.String(36), nullable=False),
        sa.Column('operator_key', sa.String(36), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.PrimaryKeyConstraint('day', 'center_code', 'window_key', 'operator_key', name='pk_case_figure_days'),
    )
    op.create_table(
        'rating_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('center_code', sa.String(8), nullable=False),
        sa.Column('window_key', sa.String(36), nullable=False),
        sa.Column('operator_key', sa.String(36), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in RATING_COUNTS),
        sa.PrimaryKeyConstraint('day', 'center_code', 'window_key', 'operator_key', name='pk_rating_days'),
    )


def downgrade() -> None:
    op.drop_table('rating_days')
    op.drop_table('case_figure_days')
    op.drop_index('ix_case_figures_apart', table_name='case_figures')
    with op.batch_alter_table('case_figures') as batch:
        batch.drop_column('counted_apart')
