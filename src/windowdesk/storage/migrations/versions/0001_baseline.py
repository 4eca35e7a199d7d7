"""baseline: the whole schema of windowdesk 0.1

Revision ID: 0001_baseline
Revises: 
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=True),
    sa.Column('workstation', sa.String(length=12), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('id', name=op.f('uq_audit_log_id'))
    )
    op.create_table('calendar_overrides',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_working_day', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_overrides'))
    )
    op.create_table('centers',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_centers'))
    )
    op.create_table('departments',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_departments'))
    )
    op.create_table('local_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_settings'))
    )
    op.create_table('number_sequences',
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_number_sequences'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_representative', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('registered_center', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_organisations_credit_code'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_name'), ['name'], unique=False)

    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_entity_id'), ['entity_id'], unique=False)

    op.create_table('residents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('gender', sa.String(length=8), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('welfare_status', sa.String(length=20), nullable=True),
    sa.Column('registered_center', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents')),
    sa.UniqueConstraint('id_number', name=op.f('uq_residents_id_number'))
    )
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residents_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_residents_phone'), ['phone'], unique=False)

    op.create_table('catalog_items',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('preconditions', sa.JSON(), nullable=False),
    sa.Column('procedure', sa.JSON(), nullable=False),
    sa.Column('legal_limit_days', sa.Integer(), nullable=False),
    sa.Column('promised_limit_days', sa.Integer(), nullable=False),
    sa.Column('warning_days', sa.Integer(), nullable=False),
    sa.Column('fee_summary', sa.String(length=300), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('refusal_grounds', sa.JSON(), nullable=False),
    sa.Column('parallel', sa.Boolean(), nullable=False),
    sa.Column('parallel_departments', sa.JSON(), nullable=False),
    sa.Column('street_level', sa.Boolean(), nullable=False),
    sa.Column('where', sa.String(length=300), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('pinyin_full', sa.String(length=600), nullable=False),
    sa.Column('pinyin_initials', sa.String(length=200), nullable=False),
    sa.Column('catalog_version', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'], name=op.f('fk_catalog_items_department_code_departments')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_catalog_items'))
    )
    with op.batch_alter_table('catalog_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_items_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_items_name'), ['name'], unique=False)

    op.create_table('operators',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('login', sa.String(length=60), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_operators_center_code_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operators')),
    sa.UniqueConstraint('login', name=op.f('uq_operators_login'))
    )
    op.create_table('windows',
    sa.Column('id', sa.String(length=12), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_windows_center_code_centers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_windows')),
    sa.UniqueConstraint('center_code', 'code', name=op.f('uq_windows_center_code'))
    )
    op.create_table('cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('resident_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_day', sa.Date(), nullable=False),
    sa.Column('promised_date', sa.Date(), nullable=False),
    sa.Column('legal_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_cases_center_code_centers')),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_cases_item_code_catalog_items')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_cases_operator_id_operators')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_cases_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_cases_resident_id_residents')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_cases_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('case_number', name=op.f('uq_cases_case_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_window_accepted', ['window_id', 'accepted_at'], unique=False)

    op.create_table('fee_rules',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('max_units', sa.Integer(), nullable=True),
    sa.Column('tiers', sa.JSON(), nullable=False),
    sa.Column('exemptions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_fee_rules_item_code_catalog_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_rules'))
    )
    with op.batch_alter_table('fee_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_rules_item_code'), ['item_code'], unique=False)

    op.create_table('item_materials',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('originals', sa.Integer(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_item_materials_item_code_catalog_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_materials')),
    sa.UniqueConstraint('item_code', 'code', name=op.f('uq_item_materials_item_code'))
    )
    with op.batch_alter_table('item_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_materials_item_code'), ['item_code'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=44), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('resident_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_notifications_center_code_centers')),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_notifications_item_code_catalog_items')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_notifications_operator_id_operators')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_notifications_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_notifications_resident_id_residents')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_notifications_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('number', name=op.f('uq_notifications_number'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_window_created', ['window_id', 'created_at'], unique=False)

    op.create_table('refusals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=44), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=False),
    sa.Column('resident_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_refusals_center_code_centers')),
    sa.ForeignKeyConstraint(['item_code'], ['catalog_items.code'], name=op.f('fk_refusals_item_code_catalog_items')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_refusals_operator_id_operators')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_refusals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_refusals_resident_id_residents')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_refusals_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refusals')),
    sa.UniqueConstraint('number', name=op.f('uq_refusals_number'))
    )
    with op.batch_alter_table('refusals', schema=None) as batch_op:
        batch_op.create_index('ix_refusals_window_created', ['window_id', 'created_at'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('case_materials',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('material_code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_materials_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_materials'))
    )
    with op.batch_alter_table('case_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_materials_case_id'), ['case_id'], unique=False)

    op.create_table('notification_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('notification_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('material_code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('problem', sa.String(length=12), nullable=False),
    sa.Column('requirement', sa.String(length=300), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_notification_entries_notification_id_notifications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_entries'))
    )
    with op.batch_alter_table('notification_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_entries_notification_id'), ['notification_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notification_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_entries_notification_id'))

    op.drop_table('notification_entries')
    with op.batch_alter_table('case_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_materials_case_id'))

    op.drop_table('case_materials')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    with op.batch_alter_table('refusals', schema=None) as batch_op:
        batch_op.drop_index('ix_refusals_window_created')

    op.drop_table('refusals')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_window_created')

    op.drop_table('notifications')
    with op.batch_alter_table('item_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_materials_item_code'))

    op.drop_table('item_materials')
    with op.batch_alter_table('fee_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_rules_item_code'))

    op.drop_table('fee_rules')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_window_accepted')

    op.drop_table('cases')
    op.drop_table('windows')
    op.drop_table('operators')
    with op.batch_alter_table('catalog_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_items_name'))
        batch_op.drop_index(batch_op.f('ix_catalog_items_department_code'))

    op.drop_table('catalog_items')
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residents_phone'))
        batch_op.drop_index(batch_op.f('ix_residents_name'))

    op.drop_table('residents')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_entity_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_name'))

    op.drop_table('organisations')
    op.drop_table('number_sequences')
    op.drop_table('local_settings')
    op.drop_table('departments')
    op.drop_table('centers')
    op.drop_table('calendar_overrides')
    op.drop_table('audit_log')
