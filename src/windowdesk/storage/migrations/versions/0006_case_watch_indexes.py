"""cases: indexes for the late-case watch and the center's reports

Revision ID: 0006_case_watch_indexes
Revises: 0005_case_event_order
Create Date: 2026-11-25
"""

from alembic import op

revision = "0006_case_watch_indexes"
down_revision = "0005_case_event_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_center_promised", "cases", ["center_code", "promised_date"])
    op.create_index("ix_cases_center_accepted", "cases", ["center_code", "accepted_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_center_accepted", table_name="cases")
    op.drop_index("ix_cases_center_promised", table_name="cases")
