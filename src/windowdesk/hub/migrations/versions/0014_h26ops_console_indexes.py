"""the cases' promised dates and the console's indexes

Revision ID: 0014_h26ops_console_indexes
Revises: 0013_h24sync_case_pages
Create Date: 2026-12-07

The console (issue 26) lists a department's open cases most urgent first and counts the
city's red and yellow cards (cases past or near their promised date), on a year of the
whole city. The hub now keeps each case's promised date (the one on its acceptance
receipt, sent in its ``case.accepted`` event) beside the case, taken here from the
events already received, and indexes the open cases by it; and the open complaints and
bad ratings' follow-ups by their deadlines (回访).
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0014_h26ops_console_indexes'
down_revision = '0013_h24sync_case_pages'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('accepted', 'in_progress', 'suspended')")
OPEN_FOLLOW_UP = sa.text("follow_up_status = 'open'")


def _valid_day(text: object) -> bool:
    try:
        return isinstance(text, str) and dt.date.fromisoformat(text).isoformat() == text
    except (TypeError, ValueError):
        return False


def _fill_promised_dates(connection: sa.engine.Connection) -> None:
    """From each case's applied ``case.accepted`` event. Only texts that are real days are
    copied (the hub did not check this field before): the few distinct days are checked
    here, then one statement copies them, so a year of cases is not read into Python."""
    postgres = connection.dialect.name == 'postgresql'
    field = "p.payload->>'promised_date'" if postgres else "json_extract(p.payload, '$.promised_date')"
    accepted = ("p.entity = 'case' AND p.entity_id = cases.id AND p.kind = 'case.accepted' "
                "AND p.status = 'applied'")
    days = [row[0] for row in connection.execute(sa.text(
        f"SELECT DISTINCT {field} FROM pushed_events p WHERE p.entity = 'case' AND p.kind = 'case.accepted' "
        "AND p.status = 'applied'"))]
    valid = sorted(day for day in days if _valid_day(day))
    for start in range(0, len(valid), 500):
        chunk = sa.bindparam('days', valid[start:start + 500], expanding=True)
        if postgres:
            statement = sa.text(f"UPDATE cases SET promised_date = CAST({field} AS DATE) FROM pushed_events p "
                                f"WHERE {accepted} AND {field} IN :days")
        else:
            statement = sa.text(f"UPDATE cases SET promised_date = {field} FROM pushed_events p "
                                f"WHERE {accepted} AND {field} IN :days")
        connection.execute(statement.bindparams(chunk))


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('promised_date', sa.Date(), nullable=True))
    _fill_promised_dates(op.get_bind())
    op.create_index('ix_cases_open_item_due', 'cases', ['item_code', 'promised_date', 'accepted_at', 'id'], unique=False,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_cases_open_due', 'cases', ['promised_date', 'status', 'center_code', 'item_code'],
                    unique=False, sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index('ix_ratings_open_follow_ups', 'ratings', ['follow_up_deadline'], unique=False,
                    sqlite_where=OPEN_FOLLOW_UP, postgresql_where=OPEN_FOLLOW_UP)
    op.create_index('ix_complaints_status_deadline', 'complaints', ['status', 'deadline'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_complaints_status_deadline', table_name='complaints')
    op.drop_index('ix_ratings_open_follow_ups', table_name='ratings')
    op.drop_index('ix_cases_open_due', table_name='cases')
    op.drop_index('ix_cases_open_item_due', table_name='cases')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('promised_date')
