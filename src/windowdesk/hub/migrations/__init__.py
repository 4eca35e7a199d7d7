"""Alembic migrations of the hub's database.

HEAD_REVISION lets start-up see that a database is current without loading Alembic's
scripts (a test keeps it equal to Alembic's own head).
"""

HEAD_REVISION = "0022_s10hubwrite_fewer_indexes"
