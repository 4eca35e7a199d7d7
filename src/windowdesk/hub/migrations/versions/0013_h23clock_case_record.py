"""issue 23 (h23-clock): suspension kinds, the result's delivery, the provincial record

case_events.suspension_kind: windows now suspend a case for a hearing (听证), an inspection/test/appraisal
(检验、检测、鉴定) or an expert review (专家评审) as well as to wait for materials (补正)
(issue 23). The hub keeps the kind a step into a suspension names; steps already here
were waits for materials and keep none (read as that one).

case_deliveries / case_handovers: how the applicant wants the result (window, post,
pickup locker; the address masked) and how it was handed over.

cases.source (window / online) and cases.certificate_number (recorded at 办结): the
provincial record (windowdesk-hub export-province).

Revision ID: 0013_h23clock_case_record
Revises: 0014_h25hallsync_queue_days
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0013_h23clock_case_record'
down_revision = '0014_h25hallsync_queue_days'
branch_labels = None
depends_on = None

TABLE = "case_events"


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy-and-move) would rebuild the table and, on SQLite,
    # lose the expression index the reports rely on.
    op.add_column(TABLE, sa.Column("suspension_kind", sa.String(20), nullable=True))
    op.add_column("cases", sa.Column("source", sa.String(10), server_default="window", nullable=False))
    op.add_column("cases", sa.Column("certificate_number", sa.String(40), server_default="", nullable=False))
    op.create_table(
        "case_deliveries",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("address_masked", sa.String(40), nullable=False),
        sa.Column("locker", sa.String(60), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_deliveries_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_deliveries")),
    )
    op.create_table(
        "case_handovers",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("collector_id_masked", sa.String(18), nullable=False),
        sa.Column("by_agent", sa.Boolean(), nullable=False),
        sa.Column("power_of_attorney", sa.String(200), nullable=False),
        sa.Column("read_from_card", sa.Boolean(), nullable=False),
        sa.Column("waybill", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_handovers_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_handovers")),
    )


def downgrade() -> None:
    op.drop_table("case_handovers")
    op.drop_table("case_deliveries")
    op.drop_column("cases", "certificate_number")
    op.drop_column("cases", "source")
    op.drop_column(TABLE, "suspension_kind")
