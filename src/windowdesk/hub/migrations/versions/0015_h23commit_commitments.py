"""告知承诺制 and credit flags: cases accepted on a commitment and their verification,
the city's credit key, the credit flags

Revision ID: 0015_h23commit_commitments
Revises: 0014_h23modes_deferred_materials
Create Date: 2026-12-07

A case a window accepted under notify-and-commit arrives with its verification due date;
the responsible department records the verification (true, or false: the case is marked
for revocation and the applicant gets a credit flag). Flags are keyed by an HMAC of the
applicant's number under the city's credit key (one row, made at the first flag).
"""

import sqlalchemy as sa
from alembic import op

revision = '0015_h23commit_commitments'
down_revision = 'h27complain'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_commitments',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('verify_due', sa.Date(), nullable=False),
        sa.Column('result', sa.String(length=5), nullable=True),
        sa.Column('verified_at', sa.DateTime(), nullable=True),
        sa.Column('department_code', sa.String(length=8), nullable=True),
        sa.Column('verified_by', sa.String(length=80), server_default='', nullable=False),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_commitments_case_id_cases')),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_commitments')),
    )
    op.create_index(op.f('ix_case_commitments_verify_due'), 'case_commitments', ['verify_due'])
    op.create_table(
        'credit_key',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_key')),
    )
    op.create_table(
        'credit_flags',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('flagged_at', sa.DateTime(), nullable=False),
        sa.Column('flagged_by', sa.String(length=80), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('lifted_at', sa.DateTime(), nullable=True),
        sa.Column('lifted_by', sa.String(length=80), server_default='', nullable=False),
        sa.Column('lift_reason', sa.Text(), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_credit_flags_case_id_cases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_flags')),
    )
    op.create_index(op.f('ix_credit_flags_key_hash'), 'credit_flags', ['key_hash'])
    op.create_index(op.f('ix_credit_flags_case_id'), 'credit_flags', ['case_id'])
    # 帮办代办: a one-time notification or a refusal given to an agent names them.
    for table in ('notifications', 'refusals'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('agent_resident_id', sa.String(length=36), nullable=True))
            batch_op.add_column(sa.Column('power_of_attorney_date', sa.Date(), nullable=True))


def downgrade() -> None:
    for table in ('refusals', 'notifications'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('power_of_attorney_date')
            batch_op.drop_column('agent_resident_id')
    op.drop_index(op.f('ix_credit_flags_case_id'), table_name='credit_flags')
    op.drop_index(op.f('ix_credit_flags_key_hash'), table_name='credit_flags')
    op.drop_table('credit_flags')
    op.drop_table('credit_key')
    op.drop_index(op.f('ix_case_commitments_verify_due'), table_name='case_commitments')
    op.drop_table('case_commitments')
