"""item_forms, form_files: the catalog's forms, printed at the window (issue 30)

Revision ID: 0018_h30forms_item_forms
Revises: 0017_h23modes_deferred_materials
Create Date: 2026-12-07

Which forms each item lists (title, kind, file, hash, version) and the files themselves,
so the window prints a form offline. Existing databases: no forms until the next catalog
import or sync.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_h30forms_item_forms"
down_revision = "0017_h23modes_deferred_materials"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_forms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_code", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_code"], ["catalog_items.code"], name=op.f("fk_item_forms_item_code_catalog_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_forms")),
        sa.UniqueConstraint("item_code", "code", name=op.f("uq_item_forms_item_code")),
    )
    op.create_index(op.f("ix_item_forms_item_code"), "item_forms", ["item_code"])
    op.create_table(
        "form_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_form_files")),
    )


def downgrade() -> None:
    op.drop_table("form_files")
    op.drop_index(op.f("ix_item_forms_item_code"), table_name="item_forms")
    op.drop_table("item_forms")
