"""an index of the deferred materials (容缺受理): the case watch finds them without reading every case

Revision ID: 0020_h29mem_deferred_materials_index
Revises: 0019_h30online_department_cases
Create Date: 2026-12-07

The case watch lists the materials still to follow each time the window starts. Without
an index of them SQLite walked every case of the center and probed its materials to find
the few deferred ones: on 200,000 cases, 60 MB of pages read into the connection's cache
before the window stood (issue 29, aim 7). Partial: only the deferred rows are in it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_h29mem_deferred_materials_index"
down_revision = "0019_h30online_department_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_case_materials_deferred",
        "case_materials",
        ["status", "due_date"],
        unique=False,
        sqlite_where=sa.text("status = 'deferred'"),
    )


def downgrade() -> None:
    op.drop_index("ix_case_materials_deferred", table_name="case_materials")
