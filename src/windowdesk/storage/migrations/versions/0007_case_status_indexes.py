"""cases: what the late-case watch and the month report look up, by index

The watch asks for the center's open cases near their date. 0006's (center, promised
date) index made SQLite read every case of the year to find the few open ones, and the
rows it then fetched lie scattered over an encrypted file. (center, status, promised
date) finds the open ones directly, and with the watch's other columns in the index it
never touches the table (it replaces 0006's); it holds the suspension count too, so
only suspended cases' steps are read. Timelines are read in recorded order with
the statuses of each step, so the case-id index of case_events becomes one that covers
that too.

The month report needs the cases finished in or after a period, and which cases ever
waited for materials. Both are facts of the timeline, which only grows; two columns on
cases keep them, filled here from the existing timelines and then by triggers on every
new step, whoever records it (window, hub decision, import).

Revision ID: 0007_case_status_indexes
Revises: 0006_case_watch_indexes
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op


revision = "0007_case_status_indexes"
down_revision = "0006_case_watch_indexes"
branch_labels = None
depends_on = None

WATCH_COLUMNS = ["center_code", "status", "promised_date", "window_id", "accepted_day", "item_code", "case_number", "id",
                 "suspensions"]
TIMELINE_COLUMNS = ["case_id", "position", "at", "to_status", "from_status"]
FINISHING = "('completed', 'withdrawn')"


def upgrade() -> None:
    op.drop_index("ix_cases_center_promised", table_name="cases")
    op.drop_index("ix_case_events_case_id", table_name="case_events")
    op.create_index("ix_case_events_timeline", "case_events", TIMELINE_COLUMNS)

    op.add_column("cases", sa.Column("finished_at", sa.DateTime(), nullable=True))
    op.add_column("cases", sa.Column("suspensions", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE cases SET "
        "finished_at = (SELECT e.at FROM case_events e WHERE e.case_id = cases.id "
        f"AND e.to_status IN {FINISHING} ORDER BY e.position, e.at LIMIT 1), "
        "suspensions = (SELECT count(*) FROM case_events e WHERE e.case_id = cases.id AND e.to_status = 'suspended')"
    )
    op.execute(
        "CREATE TRIGGER case_events_finish AFTER INSERT ON case_events "
        f"WHEN NEW.to_status IN {FINISHING} BEGIN "
        "UPDATE cases SET finished_at = NEW.at WHERE id = NEW.case_id AND finished_at IS NULL; END"
    )
    op.execute(
        "CREATE TRIGGER case_events_suspend AFTER INSERT ON case_events "
        "WHEN NEW.to_status = 'suspended' BEGIN "
        "UPDATE cases SET suspensions = suspensions + 1 WHERE id = NEW.case_id; END"
    )
    # Made after the columns are filled: one build instead of an update per row.
    op.create_index("ix_cases_center_status_promised", "cases", WATCH_COLUMNS)
    op.create_index("ix_cases_center_accepted_day", "cases", ["center_code", "accepted_day"])
    op.create_index("ix_cases_center_finished", "cases", ["center_code", "finished_at", "accepted_day", "item_code"])


def downgrade() -> None:
    op.drop_index("ix_cases_center_finished", table_name="cases")
    op.execute("DROP TRIGGER IF EXISTS case_events_suspend")
    op.execute("DROP TRIGGER IF EXISTS case_events_finish")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("suspensions")
        batch.drop_column("finished_at")
    op.drop_index("ix_case_events_timeline", table_name="case_events")
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.drop_index("ix_cases_center_accepted_day", table_name="cases")
    op.drop_index("ix_cases_center_status_promised", table_name="cases")
    op.create_index("ix_cases_center_promised", "cases", ["center_code", "promised_date"])
