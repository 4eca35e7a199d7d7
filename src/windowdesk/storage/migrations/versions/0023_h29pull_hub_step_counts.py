"""cases: the pull writes a case's suspension count and finish time with its status

Revision ID: 0023_h29pull_hub_step_counts
Revises: 0022_h29lookup_id_tail
Create Date: 2026-12-07

0007's triggers keep cases.suspensions and cases.finished_at right for every step
recorded, whoever records it. For the hub's decisions that the pull applies a page at a
time, that made each case row written twice per page: the trigger's update when a step
into "suspended" (or a finishing status) was inserted, then the page's status update,
each moving the case in ix_cases_center_status_promised again. The pull now writes
the count and the finish time in the status update itself (storage/sync_queries.py's
store_case_changes, the same values as the triggers gave), so the triggers leave its
steps (source 'hub', which only the pull records) alone; every other writer — the
window's steps, an acceptance, a script's insert of a window's step — still has them.
The columns of existing rows are already right: nothing to fill.
"""

from alembic import op

revision = "0023_h29pull_hub_step_counts"
down_revision = "0022_h29lookup_id_tail"
branch_labels = None
depends_on = None

FINISHING = "('completed', 'withdrawn')"


def _create(not_the_pulls: str) -> None:
    op.execute(
        "CREATE TRIGGER case_events_finish AFTER INSERT ON case_events "
        f"WHEN NEW.to_status IN {FINISHING}{not_the_pulls} BEGIN "
        "UPDATE cases SET finished_at = NEW.at WHERE id = NEW.case_id AND finished_at IS NULL; END"
    )
    op.execute(
        "CREATE TRIGGER case_events_suspend AFTER INSERT ON case_events "
        f"WHEN NEW.to_status = 'suspended'{not_the_pulls} BEGIN "
        "UPDATE cases SET suspensions = suspensions + 1 WHERE id = NEW.case_id; END"
    )


def _drop() -> None:
    op.execute("DROP TRIGGER IF EXISTS case_events_finish")
    op.execute("DROP TRIGGER IF EXISTS case_events_suspend")


def upgrade() -> None:
    _drop()
    _create(" AND NEW.source <> 'hub'")


def downgrade() -> None:
    _drop()
    _create("")
