"""refusal_resolutions: a supervisor marks a change the hub refused as dealt with

Revision ID: 0012_refusal_resolutions
Revises: 0011_sent_events
Create Date: 2026-12-04

A refused change stayed in the sync window and in the status bar's count for good, with
nothing a supervisor could do about it there. A supervisor now records what was done
about it; the refused event itself is kept unchanged.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_refusal_resolutions"
down_revision = "0011_sent_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refusal_resolutions",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=False),
        sa.Column("supervisor_id", sa.String(length=36), nullable=False),
        sa.Column("supervisor_name", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["operators.id"], name=op.f("fk_refusal_resolutions_supervisor_id_operators")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_refusal_resolutions")),
    )


def downgrade() -> None:
    op.drop_table("refusal_resolutions")
