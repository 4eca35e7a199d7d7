"""Alembic migrations of the local database.

HEAD_REVISION lets start-up see that a database is current without importing
Alembic (a test keeps it equal to Alembic's own head).
"""

HEAD_REVISION = "0025_s10outbox_sent_in_place"
