"""console accounts, sessions and the hub's audit log

Revision ID: 0013_h26lead_console_accounts
Revises: 0012_h21hub_staff_token_expiry
Create Date: 2026-12-07

The web console (issue 26) signs in the hub's own users: department staff, supervisors
and administrators. Every change they make, and every reading of a case's pages, is
written to the hub's own audit log.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0013_h26lead_console_accounts'
down_revision = '0012_h21hub_staff_token_expiry'
branch_labels = None
depends_on = None


def _json():
    return sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'console_users',
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('login', sa.String(40), nullable=False),
        sa.Column('display_name', sa.String(60), nullable=False),
        sa.Column('role', sa.String(20), nullable=False),
        sa.Column('department_code', sa.String(8), nullable=True),
        sa.Column('password_hash', sa.String(200), nullable=False),
        sa.Column('must_change_password', sa.Boolean(), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.Column('disabled_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('password_changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_users')),
        sa.UniqueConstraint('login', name=op.f('uq_console_users_login')),
        sa.ForeignKeyConstraint(['department_code'], ['departments.code'],
                                name=op.f('fk_console_users_department_code_departments')),
    )
    op.create_table(
        'console_sessions',
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('token_sha256', sa.String(64), nullable=False),
        sa.Column('user_id', sa.String(36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_sessions')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_console_sessions_token_sha256')),
        sa.ForeignKeyConstraint(['user_id'], ['console_users.id'], name=op.f('fk_console_sessions_user_id_console_users')),
    )
    op.create_index('ix_console_sessions_user_id', 'console_sessions', ['user_id'])
    op.create_table(
        'hub_audit',
        sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False, autoincrement=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.String(80), nullable=False),
        sa.Column('action', sa.String(60), nullable=False),
        sa.Column('entity', sa.String(40), nullable=False),
        sa.Column('entity_id', sa.String(80), nullable=False),
        sa.Column('detail', _json(), nullable=False),
        sa.Column('address', sa.String(64), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_hub_audit')),
    )
    op.create_index('ix_hub_audit_at', 'hub_audit', ['at'])
    op.create_index('ix_hub_audit_entity', 'hub_audit', ['entity', 'entity_id'])


def downgrade() -> None:
    op.drop_table('hub_audit')
    op.drop_table('console_sessions')
    op.drop_table('console_users')
