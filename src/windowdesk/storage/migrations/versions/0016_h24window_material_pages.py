"""case_material_pages: the scanned pages of a case's material rows

Only what the window needs to find, order and show a page: its bytes are in the separate
encrypted page store (materials.db, storage/page_store.py), so this file stays small.

Revision ID: 0016_h24window_material_pages
Revises: 0016_h23clock_case_record
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_h24window_material_pages"
down_revision = "0016_h23clock_case_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_material_pages",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("material_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rotation", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("mime", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(36), nullable=False),
        sa.Column("checked_by", sa.String(36), nullable=True),
        sa.Column("checked_by_name", sa.String(60), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_material_pages_case_id_cases"),
        sa.ForeignKeyConstraint(["material_id"], ["case_materials.id"],
                                name="fk_case_material_pages_material_id_case_materials"),
        sa.PrimaryKeyConstraint("id", name="pk_case_material_pages"),
    )
    op.create_index("ix_case_material_pages_case_id", "case_material_pages", ["case_id"])
    op.create_index("ix_case_material_pages_sha256", "case_material_pages", ["sha256"])
    op.create_index("ix_case_material_pages_material", "case_material_pages", ["material_id", "position"])


def downgrade() -> None:
    op.drop_table("case_material_pages")
