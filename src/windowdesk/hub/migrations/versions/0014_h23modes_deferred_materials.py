"""case_deferred_materials: 容缺受理, the materials a case was accepted without

Revision ID: 0014_h23modes_deferred_materials
Revises: 0013_h23modes_case_proxies
Create Date: 2026-12-07

A case a window accepted with materials to follow arrives with their codes and the date
the applicant committed to; each one's arrival, recorded at the window, follows as its
own event. The city-wide report counts those cases apart.
"""

import sqlalchemy as sa
from alembic import op

revision = '0014_h23modes_deferred_materials'
down_revision = '0013_h23modes_case_proxies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_deferred_materials',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('material_code', sa.String(length=16), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('arrived_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_deferred_materials_case_id_cases')),
        sa.PrimaryKeyConstraint('case_id', 'material_code', name=op.f('pk_case_deferred_materials')),
    )


def downgrade() -> None:
    op.drop_table('case_deferred_materials')
