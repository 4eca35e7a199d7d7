"""scanned pages: the blobs the hub holds, each material's list of pages, readings

Revision ID: 0013_h24sync_case_pages
Revises: 0013_h26lead_console_accounts
Create Date: 2026-12-07

New tables only (issue 24). The pages' bytes are files beside the database
(<data_dir>/pages/), written by the hub; nothing to move here.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0013_h24sync_case_pages'
down_revision = '0013_h26lead_console_accounts'
branch_labels = None
depends_on = None

COUNTER = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table('page_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('stored_at', sa.DateTime(), nullable=False),
    sa.Column('workstation_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_page_blobs'))
    )
    op.create_table('case_page_lists',
    sa.Column('seq', COUNTER, autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('material_code', sa.String(length=40), nullable=False),
    sa.Column('pages', JSON, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_page_lists_case_id_cases')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_case_page_lists'))
    )
    with op.batch_alter_table('case_page_lists', schema=None) as batch_op:
        batch_op.create_index('ix_case_page_lists_case', ['case_id', 'material_code', 'seq'], unique=False)
    op.create_table('page_readings',
    sa.Column('seq', COUNTER, autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('page_id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('actor_kind', sa.String(length=12), nullable=False),
    sa.Column('actor_code', sa.String(length=40), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_page_readings_case_id_cases')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_page_readings'))
    )
    with op.batch_alter_table('page_readings', schema=None) as batch_op:
        batch_op.create_index('ix_page_readings_case', ['case_id', 'seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('page_readings', schema=None) as batch_op:
        batch_op.drop_index('ix_page_readings_case')
    op.drop_table('page_readings')
    with op.batch_alter_table('case_page_lists', schema=None) as batch_op:
        batch_op.drop_index('ix_case_page_lists_case')
    op.drop_table('case_page_lists')
    op.drop_table('page_blobs')
