"""the cases whose report figures are due: a push marks them, the figures follow later

Revision ID: 0020_h29figlater_figures_due
Revises: 0019_h29pgwal_fewer_indexes
Create Date: 2026-12-08

A push worked out the report's figures (``case_figures`` and their day sums) of every case
it changed inside its own transaction: about a seventh of the hub's CPU per pushed event,
and a case touched by several batches of one end-of-day push was worked out again at each.
Now the push only marks those cases in ``case_figures_due`` (one row a case, in the push's
transaction, so a crash after its commit loses no mark), and the figures are worked out
later: by the hub in the background while no push is applied, and by every reader of the
figures before it reads (hub/services/figure_catchup.py).
"""

import sqlalchemy as sa
from alembic import op

revision = '0020_h29figlater_figures_due'
down_revision = '0019_h29pgwal_fewer_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_figures_due',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('marks', sa.Integer(), server_default=sa.text('1'), nullable=False),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_figures_due')),
    )


def downgrade() -> None:
    # The hub of before reads case_figures as current. When some cases' figures are still
    # due, all of them go (and their day sums): that hub works every case's out again at
    # its first command (case_figures.fill_if_missing), so nothing is counted wrong.
    connection = op.get_bind()
    if connection.execute(sa.text('SELECT 1 FROM case_figures_due LIMIT 1')).first() is not None:
        op.execute('DELETE FROM case_figure_days')
        op.execute('DELETE FROM case_figures')
    op.drop_table('case_figures_due')
