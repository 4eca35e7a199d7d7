"""hub baseline: the whole schema of windowdesk-hub 0.1

Revision ID: 0001_hub_baseline
Revises: (none)
Create Date: 2026-11-25

Written out in full (no import of windowdesk.hub.storage.models) so that this script
keeps creating exactly this schema whatever the models become. Times are naive UTC;
JSON documents are JSONB on PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = '0001_hub_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_overrides',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_working_day', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_overrides'))
    )
    op.create_table('catalog_items',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=False),
    sa.Column('parallel_departments', JSON_DOCUMENT, nullable=False),
    sa.Column('catalog_version', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_catalog_items'))
    )
    op.create_table('catalog_versions',
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('published_at', sa.Date(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('documents', JSON_DOCUMENT, nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_catalog_versions'))
    )
    op.create_table('centers',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_centers'))
    )
    op.create_table('changes',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=True),
    sa.Column('payload', JSON_DOCUMENT, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_changes')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_center_code'), ['center_code'], unique=False)

    op.create_table('departments',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_departments'))
    )
    op.create_table('operators',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('login', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_operators_center_code_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operators')),
    sa.UniqueConstraint('login', name=op.f('uq_operators_login'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_organisations_center_code_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_credit_code'), ['credit_code'], unique=False)

    op.create_table('residents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_residents_center_code_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents'))
    )
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residents_id_number'), ['id_number'], unique=False)

    op.create_table('staff_tokens',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_staff_tokens_department_code_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_tokens')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_staff_tokens_token_sha256'))
    )
    op.create_table('windows',
    sa.Column('id', sa.String(length=12), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_windows_center_code_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_windows')),
    sa.UniqueConstraint('center_code', 'code', name=op.f('uq_windows_center_code'))
    )
    op.create_table('cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('applicant_kind', sa.String(length=20), nullable=False),
    sa.Column('applicant_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_cases_center_code_centers')),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_cases_item_code_catalog_items')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_cases_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('case_number', name=op.f('uq_cases_case_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_center_code'), ['center_code'], unique=False)

    op.create_table('enrollment_codes',
    sa.Column('code_sha256', sa.String(length=64), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('workstation_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_enrollment_codes_center_code_centers')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_enrollment_codes_window_id_windows')),
    sa.PrimaryKeyConstraint('code_sha256', name=op.f('pk_enrollment_codes'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=44), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('applicant_kind', sa.String(length=20), nullable=False),
    sa.Column('applicant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_notifications_center_code_centers')),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_notifications_item_code_catalog_items')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_notifications_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('number', name=op.f('uq_notifications_number'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_center_code'), ['center_code'], unique=False)

    op.create_table('refusals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=44), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('applicant_kind', sa.String(length=20), nullable=False),
    sa.Column('applicant_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_refusals_center_code_centers')),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_refusals_item_code_catalog_items')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_refusals_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refusals')),
    sa.UniqueConstraint('number', name=op.f('uq_refusals_number'))
    )
    with op.batch_alter_table('refusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refusals_center_code'), ['center_code'], unique=False)

    op.create_table('workstations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('client_version', sa.String(length=40), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_push_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_workstations_center_code_centers')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_workstations_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workstations')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_workstations_token_sha256'))
    )
    op.create_table('case_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('department_code', sa.String(length=8), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('client_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('pushed_events',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('workstation_id', sa.String(length=36), nullable=False),
    sa.Column('client_seq', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('payload', JSON_DOCUMENT, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workstation_id'], ['workstations.id'], name=op.f('fk_pushed_events_workstation_id_workstations')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_pushed_events'))
    )
    with op.batch_alter_table('pushed_events', schema=None) as batch_op:
        batch_op.create_index('ix_pushed_events_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pushed_events_workstation_id'), ['workstation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pushed_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pushed_events_workstation_id'))
        batch_op.drop_index('ix_pushed_events_entity')

    op.drop_table('pushed_events')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    op.drop_table('workstations')
    with op.batch_alter_table('refusals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refusals_center_code'))

    op.drop_table('refusals')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_center_code'))

    op.drop_table('notifications')
    op.drop_table('enrollment_codes')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_center_code'))

    op.drop_table('cases')
    op.drop_table('windows')
    op.drop_table('staff_tokens')
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residents_id_number'))

    op.drop_table('residents')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_credit_code'))

    op.drop_table('organisations')
    op.drop_table('operators')
    op.drop_table('departments')
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changes_center_code'))

    op.drop_table('changes')
    op.drop_table('centers')
    op.drop_table('catalog_versions')
    op.drop_table('catalog_items')
    op.drop_table('calendar_overrides')
