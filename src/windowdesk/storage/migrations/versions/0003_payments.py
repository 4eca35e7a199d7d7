"""payments: receipts and their lines, voids, the day's close

Revision ID: 0003_payments
Revises: 0002_operator_credentials
Create Date: 2026-11-25

Money records are append-only. Besides the services' own checks, triggers make the
database itself refuse to edit or delete a receipt, a void or a day close, and refuse a
receipt or a void on a day whose till is closed: a bug or a hand-edited file cannot
quietly change what was handed over at the counter. SQLite drops a table's triggers with
the table: a later batch migration that rebuilds one of these tables must create them
again (``_create_triggers``).
"""

from alembic import op
import sqlalchemy as sa

revision = "0003_payments"
down_revision = "0002_operator_credentials"
branch_labels = None
depends_on = None

APPEND_ONLY = ("receipts", "receipt_lines", "receipt_voids", "day_closes")
# Both a receipt and a void belong to the (window, business_day) till they were made in.
LOCKED_BY_CLOSE = ("receipts", "receipt_voids")


def _create_triggers() -> None:
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            )
    for table in LOCKED_BY_CLOSE:
        op.execute(
            f"CREATE TRIGGER {table}_day_closed BEFORE INSERT ON {table} "
            "WHEN EXISTS (SELECT 1 FROM day_closes WHERE day_closes.window_id = NEW.window_id "
            "AND day_closes.business_day = NEW.business_day) "
            "BEGIN SELECT RAISE(ABORT, 'the day of this till is closed'); END"
        )


def _drop_triggers() -> None:
    for table in APPEND_ONLY:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    for table in LOCKED_BY_CLOSE:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_day_closed")


def upgrade() -> None:
    op.create_table('day_closes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('workstation', sa.String(length=12), nullable=False),
    sa.Column('business_day', sa.Date(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('supervisor_id', sa.String(length=36), nullable=False),
    sa.Column('receipt_count', sa.Integer(), nullable=False),
    sa.Column('void_count', sa.Integer(), nullable=False),
    sa.Column('first_number', sa.String(length=40), nullable=False),
    sa.Column('last_number', sa.String(length=40), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.Column('expected_cash_fen', sa.Integer(), nullable=False),
    sa.Column('counted_cash_fen', sa.Integer(), nullable=False),
    sa.Column('difference_fen', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_day_closes_center_code_centers')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_day_closes_operator_id_operators')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['operators.id'], name=op.f('fk_day_closes_supervisor_id_operators')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_day_closes_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_closes')),
    sa.UniqueConstraint('window_id', 'business_day', name=op.f('uq_day_closes_window_id'))
    )
    op.create_table('receipts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('workstation', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('business_day', sa.Date(), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('tendered_fen', sa.Integer(), nullable=True),
    sa.Column('change_fen', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('waiver_reason', sa.Text(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('payer_name', sa.String(length=100), nullable=False),
    sa.Column('utility', sa.String(length=12), nullable=False),
    sa.Column('account_number', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('payee', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_receipts_case_id_cases')),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_receipts_center_code_centers')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_receipts_operator_id_operators')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_receipts_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts')),
    sa.UniqueConstraint('number', name=op.f('uq_receipts_number')),
    sa.UniqueConstraint('workstation', 'year', 'seq', name=op.f('uq_receipts_workstation'))
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index('ix_receipts_account', ['center_code', 'utility', 'account_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_receipts_window_day', ['window_id', 'business_day'], unique=False)

    op.create_table('receipt_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('receipt_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=8), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('gross_fen', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('explanation', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], name=op.f('fk_receipt_lines_receipt_id_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_lines'))
    )
    with op.batch_alter_table('receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_lines_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('receipt_voids',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=44), nullable=False),
    sa.Column('receipt_id', sa.String(length=36), nullable=False),
    sa.Column('center_code', sa.String(length=8), nullable=False),
    sa.Column('window_id', sa.String(length=12), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('supervisor_id', sa.String(length=36), nullable=False),
    sa.Column('business_day', sa.Date(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['center_code'], ['centers.code'], name=op.f('fk_receipt_voids_center_code_centers')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_receipt_voids_operator_id_operators')),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], name=op.f('fk_receipt_voids_receipt_id_receipts')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['operators.id'], name=op.f('fk_receipt_voids_supervisor_id_operators')),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], name=op.f('fk_receipt_voids_window_id_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_voids')),
    sa.UniqueConstraint('number', name=op.f('uq_receipt_voids_number')),
    sa.UniqueConstraint('receipt_id', name=op.f('uq_receipt_voids_receipt_id'))
    )
    with op.batch_alter_table('receipt_voids', schema=None) as batch_op:
        batch_op.create_index('ix_receipt_voids_window_day', ['window_id', 'business_day'], unique=False)

    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    for table in ("receipt_voids", "receipt_lines", "receipts", "day_closes"):
        op.drop_table(table)
