"""complaints from the web: a complaint no window received

Revision ID: 0018_h27complain_web_complaints
Revises: 0017_h23modes_deferred_materials
Create Date: 2026-12-07

Issue 27: a resident files a complaint (投诉) or a "could not get it done" report
(办不成事反映) on the hub's public pages; the center's windows keep it with their own
(change "complaint.web"). No window nor operator received it: ``window_id`` and
``received_by`` become nullable; ``source`` says "window" or "web", ``kind``
"complaint" or "not_done". Existing rows: a window's complaints.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_h27complain_web_complaints"
down_revision = "0018_h30forms_item_forms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch_op:
        batch_op.alter_column("window_id", existing_type=sa.String(length=12), nullable=True)
        batch_op.alter_column("received_by", existing_type=sa.String(length=36), nullable=True)
        batch_op.add_column(sa.Column("source", sa.String(length=10), server_default="window", nullable=False))
        batch_op.add_column(sa.Column("kind", sa.String(length=20), server_default="complaint", nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM rectifications WHERE complaint_id IN (SELECT id FROM complaints WHERE source = 'web')")
    op.execute("DELETE FROM complaints WHERE source = 'web'")
    with op.batch_alter_table("complaints") as batch_op:
        batch_op.drop_column("kind")
        batch_op.drop_column("source")
        batch_op.alter_column("received_by", existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column("window_id", existing_type=sa.String(length=12), nullable=False)
