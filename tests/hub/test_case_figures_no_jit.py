"""The figures' refresh on PostgreSQL is never JIT-compiled (issue 29, aim 1).

Its INSERT ... SELECT takes a batch's cases as one JSON value; the planner guesses 100
rows per JSON element function, costs the statement past ``jit_above_cost`` and
compiled it: 120-130 ms of the server's CPU for each batch of a push (and for each hub
decision), against about 10 ms for the statement itself. PostgreSQL only: SQLite has
no JIT, so this module runs on PostgreSQL alone.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from windowdesk.hub.services import case_figures

from .conftest import EventFactory, Hub


@pytest.fixture(scope="module", params=("postgresql",))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _pushed_cases(hub: Hub, count: int) -> list[str]:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory(window=window.window_id)
    resident = events.resident()
    cases = [events.case(resident["entity_id"], number=f"CH-20261125-01-{n:04d}") for n in range(1, count + 1)]
    assert {status for status, _ in hub.push_results(window, [resident, *cases])} == {"applied"}
    return [case["entity_id"] for case in cases]


def test_the_figures_insert_is_planned_without_jit_whatever_its_guessed_cost(hub: Hub) -> None:
    ids = _pushed_cases(hub, 3)
    with hub.db.read() as session:
        servers_own = session.connection().exec_driver_sql("SHOW jit").scalar()
    sent: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        sent.append((statement, parameters))

    with hub.db.write() as session:
        connection = session.connection()
        # Any statement is worth compiling from here on, as the refresh's was by its guess.
        connection.exec_driver_sql("SET LOCAL jit_above_cost = 0")
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", note)
        try:
            assert case_figures.refresh(session, ids) == 3
        finally:
            event.remove(engine, "before_cursor_execute", note)
        inserts = [(sql, parameters) for sql, parameters in sent if sql.lstrip().startswith("WITH kinds")]
        assert len(inserts) == 1 and "INSERT INTO case_figures" in inserts[0][0], sent
        sql, parameters = inserts[0]
        plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + sql, parameters))
        assert "JIT" not in plan, plan
        assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
        session.rollback()
    # SET LOCAL: the pooled connection keeps the server's own setting for what comes next.
    with hub.db.write() as session:
        assert session.connection().exec_driver_sql("SHOW jit").scalar() == servers_own
