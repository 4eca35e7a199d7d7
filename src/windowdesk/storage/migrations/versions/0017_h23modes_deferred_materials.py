"""容缺受理: deferrable materials in the catalog, deferred materials on cases

Revision ID: 0017_h23modes_deferred_materials
Revises: 0016_h23modes_case_proxies
Create Date: 2026-12-07

The catalog marks which materials of an item may be brought after acceptance and the
rule when they do not arrive (suspend, or refuse on a legal basis); a case accepted with
materials to follow keeps each one's due date (the applicant's commitment) and when it
arrived. Existing rows: nothing deferrable, nothing deferred.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_h23modes_deferred_materials"
down_revision = "0016_h23modes_case_proxies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("item_materials") as batch_op:
        batch_op.add_column(sa.Column("deferrable", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("catalog_items") as batch_op:
        batch_op.add_column(sa.Column("deferral_rule", sa.String(length=10), server_default="", nullable=False))
        batch_op.add_column(sa.Column("deferral_basis", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("case_materials") as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("arrived_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_materials") as batch_op:
        batch_op.drop_column("arrived_at")
        batch_op.drop_column("due_date")
    with op.batch_alter_table("catalog_items") as batch_op:
        batch_op.drop_column("deferral_basis")
        batch_op.drop_column("deferral_rule")
    with op.batch_alter_table("item_materials") as batch_op:
        batch_op.drop_column("deferrable")
