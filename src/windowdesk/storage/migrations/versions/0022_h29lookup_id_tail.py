"""residents: found by the end of their ID number through an index, not by reading all of them

Revision ID: 0022_h29lookup_id_tail
Revises: 0021_h29lookup_name_covering
Create Date: 2026-12-07

Typing 4 to 6 digits lists the center's recent applicants whose ID number ends with them
(queries.recent_residents_by_id_suffix). That query gathered every resident the center
served or registered in 30 days (on the 2,000,000-resident copy: 6,926 cases and 16,850
registrations, the latter found by reading the whole residents table) and then each of
them to compare the end of the ID number: 252 s for "0496" (48 s of CPU). Now the
residents whose ID number ends with the last 4 typed characters come from an index of
that end (about 1 in 11,000 of them), and each is checked against this center's cases,
notices and refusals of the last 30 days through an index by resident.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_h29lookup_id_tail"
down_revision = "0021_h29lookup_name_covering"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_residents_id_tail", "residents", [sa.text("substr(id_number, -4)"), "id_number"])
    op.create_index("ix_cases_resident_center_accepted", "cases", ["resident_id", "center_code", "accepted_at"])
    op.create_index(
        "ix_notifications_resident_center_created", "notifications", ["resident_id", "center_code", "created_at"]
    )
    op.create_index("ix_refusals_resident_center_created", "refusals", ["resident_id", "center_code", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_refusals_resident_center_created", table_name="refusals")
    op.drop_index("ix_notifications_resident_center_created", table_name="notifications")
    op.drop_index("ix_cases_resident_center_accepted", table_name="cases")
    op.drop_index("ix_residents_id_tail", table_name="residents")
