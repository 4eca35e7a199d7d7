"""case_events: no triggers; each writer of steps counts them in the case's row

Revision ID: 0024_lead_steps_counted_by_writers
Revises: 0023_h29pull_hub_step_counts
Create Date: 2026-12-08

0007's triggers kept cases.suspensions and cases.finished_at from every step inserted;
since 0023 they left the pull's steps to the pull. A trigger costs every insert into
case_events even when its WHEN is false (SQLite runs its program per row): in a pull of
100,000 hub decisions, 0.3–0.5 s of the window's CPU, a third of the steps' insert
(bench/README.md, issue 29, pull2), and there is no way to leave them out of one
statement. There are two writers of steps besides the acceptance (which counts
nothing): the window's services/cases.append_step and the pull's services/sync_apply,
and both now count their steps themselves. The columns of existing rows are already
right: nothing to fill. The downgrade makes 0023's triggers again.
"""

from alembic import op

revision = "0024_lead_steps_counted_by_writers"
down_revision = "0023_h29pull_hub_step_counts"
branch_labels = None
depends_on = None

FINISHING = "('completed', 'withdrawn')"
NOT_THE_PULLS = " AND NEW.source <> 'hub'"


def upgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS case_events_finish")
    op.execute("DROP TRIGGER IF EXISTS case_events_suspend")


def downgrade() -> None:
    op.execute(
        "CREATE TRIGGER case_events_finish AFTER INSERT ON case_events "
        f"WHEN NEW.to_status IN {FINISHING}{NOT_THE_PULLS} BEGIN "
        "UPDATE cases SET finished_at = NEW.at WHERE id = NEW.case_id AND finished_at IS NULL; END"
    )
    op.execute(
        "CREATE TRIGGER case_events_suspend AFTER INSERT ON case_events "
        f"WHEN NEW.to_status = 'suspended'{NOT_THE_PULLS} BEGIN "
        "UPDATE cases SET suspensions = suspensions + 1 WHERE id = NEW.case_id; END"
    )
