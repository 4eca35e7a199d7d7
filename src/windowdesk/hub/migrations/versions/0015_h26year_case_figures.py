"""each case's figures for the performance report

Revision ID: 0015_h26year_case_figures
Revises: 0014_h23modes_deferred_materials
Create Date: 2026-12-07

The city-wide report (issue 26) took minutes on a year of the city: it built every case's
facts in Python. The hub now keeps them per case (``case_figures``), updated with the
case, and counts them in SQL. The table starts empty here: ``windowdesk-hub
rebuild-case-figures`` fills it for the cases already on the hub (it needs the catalog
and the working calendar, which are the services' to read).
"""

import sqlalchemy as sa
from alembic import op

revision = '0015_h26year_case_figures'
down_revision = '0015_h23commit_commitments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_figures',
        sa.Column('case_id', sa.String(36), sa.ForeignKey('cases.id', name='fk_case_figures_case_id_cases'),
                  nullable=False),
        sa.Column('center_code', sa.String(8), nullable=False),
        sa.Column('window_id', sa.String(36), nullable=True),
        sa.Column('operator_id', sa.String(36), nullable=True),
        sa.Column('item_code', sa.String(16), nullable=False),
        sa.Column('department_code', sa.String(8), nullable=True),
        sa.Column('applicant_kind', sa.String(20), nullable=False),
        sa.Column('source', sa.String(10), nullable=False),
        sa.Column('proxy', sa.Boolean(), nullable=False),
        sa.Column('deferred', sa.Boolean(), nullable=False),
        sa.Column('accepted_day', sa.Date(), nullable=False),
        sa.Column('promised_days', sa.Integer(), nullable=False),
        sa.Column('due_day', sa.Date(), nullable=True),
        sa.Column('overdue_day', sa.Date(), nullable=True),
        sa.Column('completed_day', sa.Date(), nullable=True),
        sa.Column('withdrawn_day', sa.Date(), nullable=True),
        sa.Column('finished_day', sa.Date(), nullable=True),
        sa.Column('handling_days', sa.Integer(), nullable=True),
        sa.Column('on_time', sa.Boolean(), nullable=True),
        sa.Column('decided_day', sa.Date(), nullable=True),
        sa.Column('delivered_day', sa.Date(), nullable=True),
        sa.Column('delivery_due_day', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('case_id', name='pk_case_figures'),
    )
    op.create_index('ix_case_figures_accepted', 'case_figures', ['accepted_day'])
    op.create_index('ix_case_figures_finished', 'case_figures', ['finished_day'])
    op.create_index('ix_case_figures_due', 'case_figures', ['case_id', 'due_day'])


def downgrade() -> None:
    op.drop_index('ix_case_figures_due', table_name='case_figures')
    op.drop_index('ix_case_figures_finished', table_name='case_figures')
    op.drop_index('ix_case_figures_accepted', table_name='case_figures')
    op.drop_table('case_figures')
