"""query codes, public lookups' wrong tries, ratings from the web

Revision ID: h27hall
Revises: 0013_h23clock_case_record
Create Date: 2026-12-07

Issues 23 and 27: each case keeps the salted slow hash of its query code (查询密码, never
the code); wrong codes typed on the public case page are counted per case and per
address in ``lookup_failures``, shared by every worker; a rating from the web names the
stage of the case it rates, whether it is the first or the supplementary one, and its
aspects' grades, and the database allows one of each per case and stage.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'h27hall'
down_revision = '0013_h23clock_case_record'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
COUNTER = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (nullable): instant on a table of millions of cases.
    op.add_column('cases', sa.Column('query_code_hash', sa.String(length=200), nullable=True))
    op.add_column('ratings', sa.Column('stage', sa.String(length=20), nullable=True))
    op.add_column('ratings', sa.Column('round', sa.Integer(), nullable=True))
    op.add_column('ratings', sa.Column('aspects', JSON, nullable=True))
    op.create_index(
        'ux_ratings_web_case_stage_round', 'ratings', ['case_id', 'stage', 'round'], unique=True,
        sqlite_where=sa.text("channel = 'web'"), postgresql_where=sa.text("channel = 'web'"),
    )
    op.create_table(
        'lookup_failures',
        sa.Column('seq', COUNTER, autoincrement=True, nullable=False),
        sa.Column('scope', sa.String(length=100), nullable=False),
        sa.Column('failed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_lookup_failures')),
    )
    op.create_index('ix_lookup_failures_scope_at', 'lookup_failures', ['scope', 'failed_at'])
    op.create_index('ix_lookup_failures_failed_at', 'lookup_failures', ['failed_at'])


def downgrade() -> None:
    op.drop_index('ix_lookup_failures_failed_at', table_name='lookup_failures')
    op.drop_index('ix_lookup_failures_scope_at', table_name='lookup_failures')
    op.drop_table('lookup_failures')
    op.drop_index('ux_ratings_web_case_stage_round', table_name='ratings')
    with op.batch_alter_table('ratings') as batch:
        batch.drop_column('aspects')
        batch.drop_column('round')
        batch.drop_column('stage')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('query_code_hash')
