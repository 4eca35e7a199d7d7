"""网上预审: the online applications the hub sends a window for its pre-review

Revision ID: 0018_h30window_online_applications
Revises: 0017_h23modes_deferred_materials
Create Date: 2026-12-07

One row per online application of the window's center: what the feed says of it (number,
item, state, round), what the resident typed and the list of its pages once fetched, and
the window's decision. A case keeps its source (来源: window, or online with the
application's id); existing cases came through the window.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_h30window_online_applications"
down_revision = "0018_h23commit_commitments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "online_applications",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("number", sa.String(length=24), nullable=False, unique=True),
        sa.Column("item_code", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("fetched_round", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("returned", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_online_applications_status_submitted", "online_applications", ["status", "submitted_at"])
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=10), server_default="window", nullable=False))
        batch_op.add_column(sa.Column("online_application_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("online_application_id")
        batch_op.drop_column("source")
    op.drop_index("ix_online_applications_status_submitted", table_name="online_applications")
    op.drop_table("online_applications")
