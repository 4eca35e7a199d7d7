"""cases.query_code_issued_at: when the case's query code was last given

Issue 23 (query codes): the window prints a case's query code (查询密码) once and keeps
nothing that could show it again, only when it was issued, so a supervisor can tell an
applicant who lost it that a new one must be issued (and when the last one was).

Revision ID: h27hall
Revises: 0016_h24window_material_pages
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "h27hall"
down_revision = "0016_h24window_material_pages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN: the cases table is not rebuilt (its triggers stay).
    op.add_column("cases", sa.Column("query_code_issued_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("query_code_issued_at")
