"""告知承诺制 and credit flags: items marked for notify-and-commit, cases accepted so, the
hub's credit flags; the agent on notifications and refusals

Revision ID: 0018_h23commit_commitments
Revises: 0017_h23modes_deferred_materials
Create Date: 2026-12-07

The catalog marks items a case may be accepted for on the applicant's signed commitment,
with the working days the department has to verify it; such a case keeps its verification
due date and, once the hub publishes it, the outcome (false: marked for revocation). The
hub's credit flags are kept keyed by a keyed hash of the ID number, never the number.
Existing rows: no item marked, no case accepted so, no flag.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_h23commit_commitments"
down_revision = "0018_h27complain_web_complaints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_items") as batch_op:
        batch_op.add_column(sa.Column("commitment_verify_days", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "case_commitments",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("verify_due", sa.Date(), nullable=False),
        sa.Column("verified_result", sa.String(length=5), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verified_by", sa.String(length=8), server_default="", nullable=False),
        sa.Column("verification_note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_commitments_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_commitments")),
    )
    op.create_index(op.f("ix_case_commitments_verify_due"), "case_commitments", ["verify_due"])
    op.create_table(
        "credit_flags",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("flagged_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_flags")),
    )
    op.create_index(op.f("ix_credit_flags_key_hash"), "credit_flags", ["key_hash"])
    # 帮办代办: a one-time notification or a refusal given to an agent names them.
    for table in ("notifications", "refusals"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("agent_resident_id", sa.String(length=36), nullable=True))
            batch_op.add_column(sa.Column("power_of_attorney_date", sa.Date(), nullable=True))
            batch_op.create_foreign_key(op.f(f"fk_{table}_agent_resident_id_residents"), "residents",
                                        ["agent_resident_id"], ["id"])


def downgrade() -> None:
    for table in ("refusals", "notifications"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"fk_{table}_agent_resident_id_residents"), type_="foreignkey")
            batch_op.drop_column("power_of_attorney_date")
            batch_op.drop_column("agent_resident_id")
    op.drop_index(op.f("ix_credit_flags_key_hash"), table_name="credit_flags")
    op.drop_table("credit_flags")
    op.drop_index(op.f("ix_case_commitments_verify_due"), table_name="case_commitments")
    op.drop_table("case_commitments")
    with op.batch_alter_table("catalog_items") as batch_op:
        batch_op.drop_column("commitment_verify_days")
