"""residents: the name index carries every column of a lookup's list (a covering index)

Revision ID: 0021_h29lookup_name_covering
Revises: 0020_h29mem_deferred_materials_index
Create Date: 2026-12-07

A lookup by name lists up to 20 residents: name, ID number, id, phone, gender and birth
date. With (name, ID number) alone in the index SQLite read the first 20 entries in order
and then fetched each resident's table row: 20 scattered pages of a 2,000,000-resident
file, each read from the disk and decrypted by SQLCipher, most of the lookup's cost
(issue 29, aim 4). With those columns in the index the list comes from a few neighbouring
index pages and the table is not read. It serves every query the old index served (same
leading columns, same order), so that one goes.
"""

from alembic import op

revision = "0021_h29lookup_name_covering"
down_revision = "0020_h29mem_deferred_materials_index"
branch_labels = None
depends_on = None

COLUMNS = ["name", "id_number", "id", "phone", "gender", "birth_date"]


def upgrade() -> None:
    op.create_index("ix_residents_name_lookup", "residents", COLUMNS)
    op.drop_index("ix_residents_name_id_number", table_name="residents")


def downgrade() -> None:
    op.create_index("ix_residents_name_id_number", "residents", ["name", "id_number"])
    op.drop_index("ix_residents_name_lookup", table_name="residents")
