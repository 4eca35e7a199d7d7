"""case_proxies: 帮办代办, the agent and the power of attorney of a proxy case

Revision ID: 0013_h23modes_case_proxies
Revises: h27book
Create Date: 2026-12-07

A case a window accepted from an agent arrives with the agent (a resident registered at
the same center) and the date of the power of attorney; the city-wide report counts
those cases apart. Cases without a row were applied for in person.
"""

import sqlalchemy as sa
from alembic import op

revision = '0013_h23modes_case_proxies'
down_revision = 'h27book'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_proxies',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('agent_resident_id', sa.String(length=36), nullable=False),
        sa.Column('power_of_attorney_date', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_proxies_case_id_cases')),
        sa.ForeignKeyConstraint(
            ['agent_resident_id'], ['residents.id'], name=op.f('fk_case_proxies_agent_resident_id_residents')),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_proxies')),
    )
    op.create_index(op.f('ix_case_proxies_agent_resident_id'), 'case_proxies', ['agent_resident_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_case_proxies_agent_resident_id'), table_name='case_proxies')
    op.drop_table('case_proxies')
