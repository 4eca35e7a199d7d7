"""Alembic environment: runs on the connection handed over by windowdesk.storage.migrate."""

from alembic import context

from windowdesk.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("windowdesk migrations run through windowdesk.storage.migrate only")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    # All steps in the caller's single transaction: a failure leaves the old schema whole.
    transaction_per_migration=False,
)
context.run_migrations()
