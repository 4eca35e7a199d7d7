"""PostgreSQL: pushed payloads compressed with lz4 instead of pglz

Revision ID: 0018_h29pg_payload_lz4
Revises: 0017_h26pages_open_indexes
Create Date: 2026-12-07

A pushed event's row (``pushed_events``, its payload about 1.8 KB as jsonb) passes the
size above which PostgreSQL compresses its largest value before storing it; it did so
with pglz, the slow default. lz4 stores the same payloads in as many bytes (11.44 MB
against 11.31 MB for 10,000 events of ``bench/sync.py``) for less of the server's CPU
(0.30-0.31 s against 0.36-0.42 s to COPY them, alternating) and reads them back faster.
Only new rows are compressed so: nothing is rewritten. Left as it is on a server built
without lz4 (or older than PostgreSQL 14, which has no choice), and on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = '0018_h29pg_payload_lz4'
down_revision = '0017_h26pages_open_indexes'
branch_labels = None
depends_on = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return False
    return bool(bind.scalar(sa.text(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    )))


def upgrade() -> None:
    if _lz4_available():
        op.execute('ALTER TABLE pushed_events ALTER COLUMN payload SET COMPRESSION lz4')


def downgrade() -> None:
    if _lz4_available():
        op.execute('ALTER TABLE pushed_events ALTER COLUMN payload SET COMPRESSION DEFAULT')
