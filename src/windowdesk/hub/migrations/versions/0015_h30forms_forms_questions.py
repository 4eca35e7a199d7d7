"""form_files, form_versions, questions: forms to download and 网上咨询 (issue 30)

Revision ID: 0015_h30forms
Revises: 0014_h23modes_deferred_materials
Create Date: 2026-12-07

The files of the forms an item publishes with the catalog, stored once by their hash,
every version of an item's form kept; and the questions residents ask on a guide page,
their answers and the FAQ made of them.
"""

import sqlalchemy as sa
from alembic import op

revision = '0015_h30forms'
down_revision = 'h30apply_online_applications'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'form_files',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('stored_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_form_files')),
    )
    op.create_table(
        'form_versions',
        sa.Column('item_code', sa.String(length=16), nullable=False),
        sa.Column('form_code', sa.String(length=8), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('file_name', sa.String(length=100), nullable=False),
        sa.Column('catalog_version', sa.String(length=40), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['sha256'], ['form_files.sha256'], name=op.f('fk_form_versions_sha256_form_files')),
        sa.PrimaryKeyConstraint('item_code', 'form_code', 'version', name=op.f('pk_form_versions')),
    )
    op.create_table(
        'questions',
        sa.Column('number', sa.String(length=16), nullable=False),
        sa.Column('item_code', sa.String(length=16), nullable=False),
        sa.Column('department_code', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('asked_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('answered_by', sa.String(length=36), nullable=False),
        sa.Column('answered_by_name', sa.String(length=80), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('faq_question', sa.Text(), nullable=False),
        sa.Column('faq_answer', sa.Text(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('number', name=op.f('pk_questions')),
    )
    op.create_index('ix_questions_department_status', 'questions', ['department_code', 'status', 'asked_at'])
    op.create_index('ix_questions_item_published', 'questions', ['item_code', 'published_at'])
    op.create_index('ix_questions_address_at', 'questions', ['address_hash', 'asked_at'])


def downgrade() -> None:
    op.drop_index('ix_questions_address_at', table_name='questions')
    op.drop_index('ix_questions_item_published', table_name='questions')
    op.drop_index('ix_questions_department_status', table_name='questions')
    op.drop_table('questions')
    op.drop_table('form_versions')
    op.drop_table('form_files')
