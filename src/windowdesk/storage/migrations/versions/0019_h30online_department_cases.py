"""online applications a department accepted itself (全程网办): the case the window is told of

Revision ID: 0019_h30online_department_cases
Revises: 0018_h30window_online_applications
Create Date: 2026-12-07

For an item the catalog marks fully online, the department that decides it may accept the
online application at the hub; the hub numbers the case (WB-<department>-<year>-<seq>). The
chosen center's windows learn it from the feed (application.pending with the case) and
keep the case's number, department and promised date beside the application, so that the
resident asking at the window is answered with the case instead of a fresh intake.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_h30online_department_cases"
down_revision = "0018_h30window_online_applications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("online_applications") as batch:
        batch.add_column(sa.Column("case_number", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("case_department", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("case_promised_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("online_applications") as batch:
        batch.drop_column("case_promised_date")
        batch.drop_column("case_department")
        batch.drop_column("case_number")
