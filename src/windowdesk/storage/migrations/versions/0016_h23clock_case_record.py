"""issue 23 (h23-clock): suspension kinds, the result's delivery, the provincial record

case_events.suspension_kind: a case could only be suspended to wait for supplementary materials (补正); hearings
(听证), inspection/testing/appraisal (检验、检测、鉴定) and expert review (专家评审) stop the
clock too (issue 23). A step into a suspension now names its kind; the steps already
here were all waits for materials and keep no kind (read as that one).

case_deliveries: how the applicant wants the result (window, post, pickup locker) and
how it was handed over. Cases already here have no row: collected at the window.

catalog_items.certificate (what an approval issues; filled when the hub next publishes
the catalog) and cases.certificate_number (recorded at 办结): the provincial record.

Revision ID: 0016_h23clock_case_record
Revises: 0015_h29_catalog_keyword_pinyin
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_h23clock_case_record"
down_revision = "0015_h29_catalog_keyword_pinyin"
branch_labels = None
depends_on = None

TABLE = "case_events"


def upgrade() -> None:
    # A plain ADD COLUMN: a nullable column needs no copy of the year's timeline.
    op.add_column(TABLE, sa.Column("suspension_kind", sa.String(20), nullable=True))
    op.add_column("catalog_items", sa.Column("certificate", sa.String(60), server_default="", nullable=False))
    op.add_column("cases", sa.Column("certificate_number", sa.String(40), server_default="", nullable=False))
    op.create_table(
        "case_deliveries",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("locker", sa.String(60), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(), nullable=True),
        sa.Column("handed_over_as", sa.String(10), nullable=False),
        sa.Column("collector_name", sa.String(60), nullable=False),
        sa.Column("collector_id_masked", sa.String(18), nullable=False),
        sa.Column("by_agent", sa.Boolean(), nullable=False),
        sa.Column("power_of_attorney", sa.String(200), nullable=False),
        sa.Column("read_from_card", sa.Boolean(), nullable=False),
        sa.Column("waybill", sa.String(20), nullable=False),
        sa.Column("locker_code", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_deliveries_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_deliveries")),
    )


def downgrade() -> None:
    op.drop_table("case_deliveries")
    op.drop_column("cases", "certificate_number")
    op.drop_column("catalog_items", "certificate")
    op.drop_column(TABLE, "suspension_kind")
