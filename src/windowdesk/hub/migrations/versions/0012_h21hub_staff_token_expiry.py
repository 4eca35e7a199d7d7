"""staff tokens expire

Revision ID: 0012_h21hub_staff_token_expiry
Revises: 0011_h21hub_event_content_hash
Create Date: 2026-12-07

Staff tokens could not be listed, expired or revoked (issue 21, finding 11). Each now has
an expiry; the tokens already issued get DEFAULT_LIFETIME from this migration, so no
department loses its access at the upgrade, and the administrator sees them in
`staff-tokens` to renew or revoke.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0012_h21hub_staff_token_expiry'
down_revision = '0011_h21hub_event_content_hash'
branch_labels = None
depends_on = None

DEFAULT_LIFETIME = dt.timedelta(days=90)


def upgrade() -> None:
    with op.batch_alter_table('staff_tokens') as batch:
        batch.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    tokens = sa.table('staff_tokens', sa.column('expires_at', sa.DateTime()))
    until = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + DEFAULT_LIFETIME  # naive UTC, as stored
    op.execute(tokens.update().values(expires_at=until))
    with op.batch_alter_table('staff_tokens') as batch:
        batch.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_tokens') as batch:
        batch.drop_column('expires_at')
