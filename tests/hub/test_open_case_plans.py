"""The supervision office's cards and a department's queue join their open cases to the due
days of the unfinished cases only (ix_case_figures_open_due, migration 0017_h26pages): at
2,000,000 cases the index of every case's due day no longer fits in memory. The plan of the
very statements the services send is read back, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from windowdesk.hub.services import department_work, figure_catchup, time_cards
from windowdesk.hub.services.console_rights import DEPARTMENT, SUPERVISOR, ConsoleActor

from .conftest import EventFactory, Hub, center_today, utc_now

SUPERVISOR_ACTOR = ConsoleActor("1", "sup", "Sup", SUPERVISOR)
CIVIL_AFFAIRS = ConsoleActor("2", "mzj", "MZJ", DEPARTMENT, "MZJ")  # MZ-002's department


def _late_case(hub: Hub) -> None:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory(clock=utc_now() - dt.timedelta(days=20))
    resident = events.resident()
    late = events.case(
        resident["entity_id"], item="MZ-002", promised_date=(center_today() - dt.timedelta(days=1)).isoformat()
    )
    assert {status for status, _ in hub.push_results(window, [resident, late])} == {"applied"}


def _plans_joining_figures(session: Session, work: Callable[[Session], object]) -> list[str]:
    """The plan of each statement ``work`` sends that reads case_figures."""
    connection = session.connection()
    sent: list[tuple[str, Any]] = []

    def seen(_conn, _cursor, sql, parameters, *_args) -> None:
        # case_figures itself (not the due list every reader looks at first: figure_catchup).
        if re.search(r"\bcase_figures\b", sql) and not sql.lstrip().upper().startswith("EXPLAIN"):
            sent.append((sql, parameters))

    event.listen(connection, "before_cursor_execute", seen)
    try:
        work(session)
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    assert sent
    if connection.dialect.name == "sqlite":
        return [
            "\n".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))
            for sql, parameters in sent
        ]
    # A test database holds few rows, so scans would be planned anyway; with them ruled
    # out, the planner shows which index it takes where the data is large.
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    connection.execute(text("SET LOCAL enable_bitmapscan = off"))
    return [
        "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", parameters))
        for sql, parameters in sent
    ]


def _assert_unfinished_figures_read(session: Session, plans: list[str]) -> None:
    for plan in plans:
        if session.get_bind().dialect.name == "postgresql":
            assert "ix_case_figures_open_due" in plan, plan
        else:  # SQLite keeps the join as it was (time_cards.with_due): each open case's row found by its id
            assert re.search(r"SEARCH case_figures USING .*INDEX \w+ \(case_id=\?", plan), plan
            assert "ix_case_figures_open_due" not in plan and "ix_case_figures_finished" not in plan, plan


def test_the_cards_read_the_due_days_of_unfinished_cases(hub: Hub) -> None:
    _late_case(hub)
    figure_catchup.catch_up(hub.db)  # the pushed case's figures, as a reader finds them
    for by in time_cards.GROUPINGS:

        def cards(s: Session, by: str = by) -> object:
            return time_cards.card_table(s, actor=SUPERVISOR_ACTOR, now=utc_now(), by=by)

        with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
            _assert_unfinished_figures_read(session, _plans_joining_figures(session, cards))
            session.rollback()
    with hub.db.write() as session:
        _assert_unfinished_figures_read(
            session,
            _plans_joining_figures(
                session, lambda s: time_cards.card_cases(s, actor=SUPERVISOR_ACTOR, now=utc_now(), light="red")
            ),
        )
        session.rollback()


def test_the_queue_reads_the_due_days_of_unfinished_cases(hub: Hub) -> None:
    _late_case(hub)
    figure_catchup.catch_up(hub.db)  # the pushed case's figures, as a reader finds them
    with hub.db.write() as session:
        _assert_unfinished_figures_read(
            session,
            _plans_joining_figures(
                session, lambda s: department_work.department_queue(s, actor=CIVIL_AFFAIRS, now=utc_now())
            ),
        )
        session.rollback()
