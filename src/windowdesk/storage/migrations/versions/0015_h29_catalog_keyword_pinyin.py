"""catalog_items.keyword_pinyin: the keywords' pinyin stored, never made while typing

The item search compares what the operator types with each item's name, the name's
pinyin and initials (stored since the baseline) and its keywords' pinyin and initials,
which were made on the first Latin-letter keystroke: loading pypinyin's reading tables
then cost that keystroke 112-130 ms and the window 56 MB. They are now stored with the
item when the catalog is imported; this step makes them once for the catalog already
here.

Revision ID: 0015_h29_catalog_keyword_pinyin
Revises: 0014_h29_resident_name_index
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0015_h29_catalog_keyword_pinyin"
down_revision = "0014_h29_resident_name_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("catalog_items", sa.Column("keyword_pinyin", sa.JSON(), server_default="[]", nullable=False))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT code, keywords FROM catalog_items")).all()
    if not rows:
        return
    # The same keys an import makes (imported here: only a database with a catalog needs them).
    from windowdesk.domain.search_keys import search_keys

    for code, keywords in rows:
        pinyin = [list(search_keys(keyword)) for keyword in json.loads(keywords or "[]")]
        connection.execute(
            sa.text("UPDATE catalog_items SET keyword_pinyin = :pinyin WHERE code = :code"),
            {"pinyin": json.dumps(pinyin, ensure_ascii=False), "code": code},
        )


def downgrade() -> None:
    with op.batch_alter_table("catalog_items") as batch_op:
        batch_op.drop_column("keyword_pinyin")
