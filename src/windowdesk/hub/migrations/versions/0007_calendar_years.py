"""calendar_years: a whole year of the official calendar, published at once

Revision ID: 0007_calendar_years
Revises: 0006_report_columns
Create Date: 2026-12-04

Windows ship the State Council's holidays up to the year their release was made; the next
year's notice comes out in November or December. Day overrides could mend the dates but
not tell a window that the year is known (it kept warning that its dates were counted by
weekends only), and a corrected notice could not take back an override. The hub now keeps
and publishes each year whole.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0007_calendar_years'
down_revision = '0006_report_columns'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        'calendar_years',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('holidays', JSON, nullable=False),
        sa.Column('makeup_workdays', JSON, nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years')),
    )


def downgrade() -> None:
    op.drop_table('calendar_years')
