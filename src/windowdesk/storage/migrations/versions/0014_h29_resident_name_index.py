"""residents: the name index carries the ID number, so a lookup by name never sorts

A lookup by name lists residents in (name, ID number) order. With the name alone in the
index SQLite had to fetch and sort every resident of that name (or name prefix) before it
could return the first 20: at 2,000,000 residents a common name is thousands of rows, and
the lookup's p95 was 6.6 ms. With the ID number in the index the rows come out of it in
the wanted order and SQLite stops after the first 20. The new index serves every query
the name-only one served, so that one goes.

Revision ID: 0014_h29_resident_name_index
Revises: 0013_h21_operator_origin
Create Date: 2026-12-07
"""

from alembic import op

revision = "0014_h29_resident_name_index"
down_revision = "0013_h21_operator_origin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_residents_name_id_number", "residents", ["name", "id_number"])
    op.drop_index("ix_residents_name", table_name="residents")


def downgrade() -> None:
    op.create_index("ix_residents_name", "residents", ["name"])
    op.drop_index("ix_residents_name_id_number", table_name="residents")
