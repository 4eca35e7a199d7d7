"""the city-wide report reads its facts from indexed columns, not from every case

Revision ID: 0006_report_columns
Revises: 0005_enrollment_retry
Create Date: 2026-12-04

A month's city-wide report on a year of the city's work (300,000 cases) took 3 s, and
the year's 22 s, because it

- found the cases that can count by asking, for every case ever accepted, whether it
  had finished before the period (a correlated look-up per case), and
- read each counted case's pushed event (1.5 KB of JSON) only to learn its operator.

Now the operator of a case, notification and refusal is a column, filled at push time
(and here from the pushed events already stored); the open cases are found by status
(no case leaves completed, delivered or withdrawn), and the finished ones by the time of
their finishing step, through an index on that same expression.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_report_columns'
down_revision = '0005_enrollment_retry'
branch_labels = None
depends_on = None

RECORDS = (("cases", "case.accepted", "case"), ("notifications", "notification.given", "notification"),
           ("refusals", "refusal.given", "refusal"))


def _operator_of_pushed_event(dialect: str) -> str:
    """The payload's "operator" when it is a text of at most 36 characters (what the
    rules keep from now on), else NULL."""
    if dialect == "postgresql":
        return ("CASE WHEN jsonb_typeof(p.payload -> 'operator') = 'string' "
                "AND length(p.payload ->> 'operator') <= 36 THEN p.payload ->> 'operator' END")
    return ("CASE WHEN json_type(p.payload, '$.operator') = 'text' "
            "AND length(json_extract(p.payload, '$.operator')) <= 36 THEN json_extract(p.payload, '$.operator') END")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, kind, entity in RECORDS:
        op.add_column(table, sa.Column('operator_id', sa.String(length=36), nullable=True))
        op.execute(
            f"UPDATE {table} SET operator_id = (SELECT {_operator_of_pushed_event(dialect)} FROM pushed_events p "
            f"WHERE p.entity = '{entity}' AND p.entity_id = {table}.id AND p.kind = '{kind}' "
            "AND p.status = 'applied')"
        )
    op.create_index('ix_cases_status_accepted', 'cases', ['status', 'accepted_at'], unique=False)
    op.create_index(
        'ix_case_events_finishing', 'case_events',
        ['to_status', sa.text('coalesce(client_at, recorded_at)')], unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_case_events_finishing', table_name='case_events')
    op.drop_index('ix_cases_status_accepted', table_name='cases')
    for table, _kind, _entity in RECORDS:
        op.drop_column(table, 'operator_id')
