"""online_applications, online_application_pages: 网上申报 (issue 30)

Revision ID: h30apply_online_applications
Revises: 0014_h23modes_deferred_materials
Create Date: 2026-12-07

Applications made on the public pages, sealed (what the resident typed) with keyed hashes
for the limits and the window's look-up, and the pages uploaded with them (the bytes are
sealed files in the data folder).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'h30apply_online_applications'
down_revision = '0014_h23modes_deferred_materials'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'online_applications',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('number', sa.String(length=24), nullable=False),
        sa.Column('item_code', sa.String(length=40), nullable=False),
        sa.Column('center_code', sa.String(length=8), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('query_code_hash', sa.String(length=200), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.Column('applicant_hash', sa.String(length=64), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('returned', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
        sa.Column('decided_by', sa.String(length=40), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_online_applications')),
        sa.UniqueConstraint('number', name=op.f('uq_online_applications_number')),
    )
    op.create_index('ix_online_applications_center_status', 'online_applications', ['center_code', 'status'])
    op.create_index('ix_online_applications_address_at', 'online_applications', ['address_hash', 'submitted_at'])
    op.create_index('ix_online_applications_applicant_at', 'online_applications',
                    ['applicant_hash', 'submitted_at'])
    op.create_index('ix_online_applications_updated_at', 'online_applications', ['updated_at'])
    op.create_table(
        'online_application_pages',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('application_id', sa.String(length=36), nullable=False),
        sa.Column('material_code', sa.String(length=16), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['online_applications.id'], ondelete='CASCADE',
                                name=op.f('fk_online_application_pages_application_id_online_applications')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_online_application_pages')),
    )
    op.create_index('ix_online_application_pages_application', 'online_application_pages',
                    ['application_id', 'material_code'])


def downgrade() -> None:
    op.drop_table('online_application_pages')
    op.drop_table('online_applications')
