"""calendar_years: whole years of the official calendar, published by the hub

Revision ID: 0010_calendar_years
Revises: 0009_outbox_state_index
Create Date: 2026-12-04

A window ships the State Council's holidays up to the year of its release. When the next
year's notice is out, the hub publishes that year whole (change calendar.year); it is
kept here and replaces the shipped data of that year, so dates in it are counted right
and the window stops warning that it counts them by weekends only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_calendar_years"
down_revision = "0009_outbox_state_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("makeup_workdays", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )


def downgrade() -> None:
    op.drop_table("calendar_years")
