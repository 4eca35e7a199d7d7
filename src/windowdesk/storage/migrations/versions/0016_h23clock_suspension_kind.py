"""case_events.suspension_kind: why a case's clock stood still

A case could only be suspended to wait for supplementary materials (补正); hearings
(听证), inspection/testing/appraisal (检验、检测、鉴定) and expert review (专家评审) stop the
clock too (issue 23). A step into a suspension now names its kind; the steps already
here were all waits for materials and keep no kind (read as that one).

Revision ID: 0016_h23clock_suspension_kind
Revises: 0015_h29_catalog_keyword_pinyin
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_h23clock_suspension_kind"
down_revision = "0015_h29_catalog_keyword_pinyin"
branch_labels = None
depends_on = None

TABLE = "case_events"


def upgrade() -> None:
    # A plain ADD COLUMN: a nullable column needs no copy of the year's timeline.
    op.add_column(TABLE, sa.Column("suspension_kind", sa.String(20), nullable=True))


def downgrade() -> None:
    op.drop_column(TABLE, "suspension_kind")
