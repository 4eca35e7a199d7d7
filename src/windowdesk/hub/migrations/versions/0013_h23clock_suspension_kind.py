"""case_events.suspension_kind: why a case's clock stood still

Windows now suspend a case for a hearing (听证), an inspection/test/appraisal
(检验、检测、鉴定) or an expert review (专家评审) as well as to wait for materials (补正)
(issue 23). The hub keeps the kind a step into a suspension names; steps already here
were waits for materials and keep none (read as that one).

Revision ID: 0013_h23clock_suspension_kind
Revises: 0012_h21hub_staff_token_expiry
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0013_h23clock_suspension_kind'
down_revision = '0012_h21hub_staff_token_expiry'
branch_labels = None
depends_on = None

TABLE = "case_events"


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (copy-and-move) would rebuild the table and, on SQLite,
    # lose the expression index the reports rely on.
    op.add_column(TABLE, sa.Column("suspension_kind", sa.String(20), nullable=True))


def downgrade() -> None:
    op.drop_column(TABLE, "suspension_kind")
