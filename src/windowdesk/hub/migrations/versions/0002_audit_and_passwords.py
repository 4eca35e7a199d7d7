"""audit log from the workstations; operators' password hashes

Revision ID: 0002_audit_and_passwords
Revises: 0001_hub_baseline
Create Date: 2026-12-02

Adds ``audit_entries`` (each workstation's audit log, append-only, hash-chained) and,
on ``operators``, the slow salted password hash published to the operator's center.
Existing operators get no password (they set one at a workstation, or the administrator
runs set-password) and must change it at first login.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = '0002_audit_and_passwords'
down_revision = '0001_hub_baseline'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_hash', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column('password_set_at', sa.DateTime(), nullable=True))

    op.create_table('audit_entries',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('workstation_id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('client_seq', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('detail', JSON_DOCUMENT, nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('chain_ok', sa.Boolean(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workstation_id'], ['workstations.id'], name=op.f('fk_audit_entries_workstation_id_workstations')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_entries')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_audit_entries_entry_id'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_window', ['window_id', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_workstation_id'), ['workstation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_workstation_id'))
        batch_op.drop_index('ix_audit_entries_window')
    op.drop_table('audit_entries')
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.drop_column('password_set_at')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('password_hash')
