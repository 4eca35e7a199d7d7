"""service quality: parallel approval parts, ratings and follow-ups, first-inquiry
register, complaints and rectification tasks

Revision ID: 0004_service_quality
Revises: 0003_payments
Create Date: 2026-11-26

New tables only: a database with unsent work keeps every row it had.
"""

from alembic import op
import sqlalchemy as sa

revision = "0004_service_quality"
down_revision = "0003_payments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inquiries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('first_operator_id', sa.String(length=36), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('inquirer_name', sa.String(length=60), nullable=False),
    sa.Column('inquirer_phone', sa.String(length=30), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_inquiries_center_code_centers')),
    sa.ForeignKeyConstraint(['first_operator_id'], ['operators.id'], name=op.f('fk_inquiries_first_operator_id_operators')),
    sa.ForeignKeyConstraint(['owner_id'], ['operators.id'], name=op.f('fk_inquiries_owner_id_operators')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_inquiries_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiries'))
    )
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.create_index('ix_inquiries_center_asked', ['center_code', 'asked_at'], unique=False)

    op.create_table('case_parts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_parts_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_parts')),
    sa.UniqueConstraint('case_id', 'department_code', name=op.f('uq_case_parts_case_id'))
    )
    with op.batch_alter_table('case_parts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_parts_case_id'), ['case_id'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('received_by', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('complainant_name', sa.String(length=60), nullable=False),
    sa.Column('complainant_phone', sa.String(length=30), nullable=False),
    sa.Column('about_window_id', sa.String(length=12), nullable=True),
    sa.Column('about_operator_id', sa.String(length=36), nullable=True),
    sa.Column('about_department_code', sa.String(length=8), nullable=True),
    sa.Column('about_item_code', sa.String(length=16), nullable=True),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('replied_by', sa.String(length=60), nullable=False),
    sa.Column('reply_source', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_complaints_case_id_cases')),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_complaints_center_code_centers')),
    sa.ForeignKeyConstraint(['owner_id'], ['operators.id'], name=op.f('fk_complaints_owner_id_operators')),
    sa.ForeignKeyConstraint(['received_by'], ['operators.id'], name=op.f('fk_complaints_received_by_operators')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_complaints_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('number', name=op.f('uq_complaints_number'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_center_received', ['center_code', 'received_at'], unique=False)

    op.create_table('inquiry_handovers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('inquiry_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('from_operator_id', sa.String(length=36), nullable=False),
    sa.Column('to_operator_id', sa.String(length=36), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['from_operator_id'], ['operators.id'], name=op.f('fk_inquiry_handovers_from_operator_id_operators')),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiries.id'], name=op.f('fk_inquiry_handovers_inquiry_id_inquiries')),
    sa.ForeignKeyConstraint(['to_operator_id'], ['operators.id'], name=op.f('fk_inquiry_handovers_to_operator_id_operators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_handovers'))
    )
    with op.batch_alter_table('inquiry_handovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_handovers_inquiry_id'), ['inquiry_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('item_code', sa.String(length=16), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_ratings_case_id_cases')),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_ratings_center_code_centers')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_ratings_operator_id_operators')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_ratings_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_ratings_center_rated', ['center_code', 'rated_at'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('rating_id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=60), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_follow_ups_center_code_centers')),
    sa.ForeignKeyConstraint(['owner_id'], ['operators.id'], name=op.f('fk_follow_ups_owner_id_operators')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_follow_ups_rating_id_ratings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_follow_ups_rating_id'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_center_code'), ['center_code'], unique=False)

    op.create_table('rectifications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('complaint_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('responsible', sa.String(length=60), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_rectifications_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectifications'))
    )
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectifications_complaint_id'), ['complaint_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rectifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectifications_complaint_id'))

    op.drop_table('rectifications')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_center_code'))

    op.drop_table('follow_ups')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_center_rated')
        batch_op.drop_index(batch_op.f('ix_ratings_case_id'))

    op.drop_table('ratings')
    with op.batch_alter_table('inquiry_handovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_handovers_inquiry_id'))

    op.drop_table('inquiry_handovers')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_center_received')

    op.drop_table('complaints')
    with op.batch_alter_table('case_parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_parts_case_id'))

    op.drop_table('case_parts')
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.drop_index('ix_inquiries_center_asked')

    op.drop_table('inquiries')
