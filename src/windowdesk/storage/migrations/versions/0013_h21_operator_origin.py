"""operators.origin: an account made at this window, or which hub it came from

Revision ID: 0013_h21_operator_origin
Revises: 0012_refusal_resolutions
Create Date: 2026-12-07

A pulled operator.upsert was matched to local accounts by login name, so any hub the
window was enrolled with could reset the password of an account made here. Now each
account names its origin: "local" (made at this window, never touched by a pull), the id
of the hub it came from (only that hub updates it), or "" for an account pulled before
this revision (the hub this window syncs with claims it when it next names it by its id).

Made here, for accounts that exist already: those the window's audit log shows being
created here (operator.create), and the first account of the workstation (set up before
any sync; the earliest made). That first account, when an administrator, is noted as
the first-run administrator, which the first administrator from the hub replaces.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_h21_operator_origin"
down_revision = "0012_refusal_resolutions"
branch_labels = None
depends_on = None

FIRST_RUN_ADMINISTRATOR = "workstation.first_run_administrator"


def upgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=64), nullable=False, server_default=""))
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE operators SET origin = 'local' WHERE id IN "
        "(SELECT entity_id FROM audit_log WHERE action = 'operator.create')"
    ))
    first = connection.execute(sa.text(
        "SELECT id, role FROM operators ORDER BY created_at, id LIMIT 1"
    )).first()
    if first is not None:
        connection.execute(sa.text("UPDATE operators SET origin = 'local' WHERE id = :id"), {"id": first.id})
        if first.role == "administrator":
            connection.execute(sa.text(
                "INSERT INTO local_settings (key, value) VALUES (:key, :id)"
            ), {"key": FIRST_RUN_ADMINISTRATOR, "id": first.id})


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.text("DELETE FROM local_settings WHERE key = :key"), {"key": FIRST_RUN_ADMINISTRATOR})
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("origin")
