"""case events: the order in which they were recorded

Revision ID: 0005_case_event_order
Revises: 0004_service_quality
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa

revision = "0005_case_event_order"
down_revision = "0004_service_quality"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    # Existing timelines keep the order they were shown in (by time).
    op.execute(
        "UPDATE case_events SET position = ("
        " SELECT count(*) FROM case_events AS earlier"
        " WHERE earlier.case_id = case_events.case_id"
        " AND (earlier.at < case_events.at OR (earlier.at = case_events.at AND earlier.id < case_events.id)))"
    )


def downgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("position")
