"""Alembic environment of the hub: runs on the connection handed over by
windowdesk.hub.storage.migrate, inside that caller's single transaction.

It does not import the models: the migration scripts describe the schema on their own,
so an old script keeps working whatever the models become. Autogenerate (and the test
comparing the models with the migrated schema) hands the metadata in through
``config.attributes["target_metadata"]``.
"""

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("windowdesk-hub migrations run through windowdesk.hub.storage.migrate only")

context.configure(
    connection=connection,
    target_metadata=config.attributes.get("target_metadata"),
    render_as_batch=connection.dialect.name == "sqlite",
    # All steps in the caller's single transaction: a failure leaves the old schema whole.
    transaction_per_migration=False,
)
context.run_migrations()
