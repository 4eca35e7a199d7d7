"""The status bar's counts of unsent and refused changes: exact, and read from the
outbox's partial indexes of those states rather than from every stored payload (they run on the window's
thread every 30 seconds, and a window offline for a month holds ~10,000 events). The
refused count reads the refused rows themselves (few) to leave out those a supervisor
resolved."""

from __future__ import annotations

from sqlalchemy import event, select, update

from tests.sync.hub_process import _id_number
from windowdesk.services import applicants
from windowdesk.services import sync as sync_service
from windowdesk.storage import models as m


def _register(demo, count: int) -> None:
    for n in range(count):
        applicants.register_resident(demo.db, demo.ctx, id_number=_id_number(500 + n), name=f"居民{n}")


def _refuse(demo, count: int) -> None:
    with demo.db.write() as session:
        seqs = session.scalars(select(m.OutboxEvent.seq).order_by(m.OutboxEvent.seq).limit(count)).all()
        session.execute(
            update(m.OutboxEvent)
            .where(m.OutboxEvent.seq.in_(seqs))
            .values(state="rejected", last_error="refused for the test")
        )


def test_counts_are_exact(demo):
    before = sync_service.sync_status(demo.db)
    _register(demo, 7)
    _refuse(demo, 3)
    with demo.db.read() as session:
        total = session.query(m.OutboxEvent).count()
    status = sync_service.sync_status(demo.db)
    assert status.rejected == before.rejected + 3
    assert status.pending == total - status.rejected
    assert status.pending >= before.pending + 7 - 3


def test_counts_read_the_state_index_not_the_table(demo):
    _register(demo, 3)
    statements: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if "count(" in statement.lower() and "outbox" in statement:
            statements.append((statement, parameters))

    event.listen(demo.db.read_engine, "before_cursor_execute", capture)
    try:
        sync_service.sync_status(demo.db)
    finally:
        event.remove(demo.db.read_engine, "before_cursor_execute", capture)
    assert len(statements) == 2  # unsent and refused
    with demo.db.read() as session:
        connection = session.connection().connection.driver_connection
        unsent, refused = (
            " ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            for statement, parameters in statements
        )
    # Each from the partial index that holds only the rows of its state (not the confirmed
    # ones the outbox keeps 30 days): the unsent counted from the index alone.
    assert unsent == "SCAN outbox USING COVERING INDEX ix_outbox_pending", unsent
    assert refused.startswith("SCAN outbox USING INDEX ix_outbox_rejected"), refused
