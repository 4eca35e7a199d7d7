"""The report's figures worked out off the push's path (issue 29, h29-figlater).

A push marks the cases it changed due (``case_figures_due``, in its transaction) and works
out no figure; the hub's background catch-up and every reader of the figures bring them up
to date, so a report read right after a push counts the pushed cases as before. On SQLite
and PostgreSQL (the ``hub`` fixture's backends)."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text

from windowdesk.hub.services import case_figures, figure_catchup
from windowdesk.hub.services.reports import city_report, report_json
from windowdesk.hub.storage.models_figures import CaseFigureDay, CaseFigureDue, CaseFigures
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub, Workstation, open_hub

FIGURE_TABLES = re.compile(r"\b(case_figures|case_figure_days)\b")
REPORT = f"{API_PREFIX}/reports/performance"


def _cases(hub: Hub, window: Workstation, count: int, *, completed: int = 0) -> list[str]:
    """``count`` cases pushed in one batch (the first ``completed`` of them completed)."""
    events = EventFactory(window=window.window_id)
    resident = events.resident()
    cases = [events.case(resident["entity_id"]) for _ in range(count)]
    steps = [
        events.status(case["entity_id"], action)
        for case in cases[:completed]
        for action in ("start_review", "approve", "complete")
    ]
    assert {status for status, _ in hub.push_results(window, [resident, *cases, *steps])} == {"applied"}
    return [case["entity_id"] for case in cases]


def _figures(hub: Hub) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every case's figures row and every day sum, as stored."""
    with hub.db.read() as session:
        figures = [tuple(row) for row in session.execute(select(CaseFigures.__table__).order_by(CaseFigures.case_id))]
        days = [
            tuple(row)
            for row in session.execute(
                select(CaseFigureDay.__table__).order_by(
                    CaseFigureDay.day, CaseFigureDay.center_code, CaseFigureDay.window_key, CaseFigureDay.operator_key
                )
            )
            if any(row[4:])  # a sum taken back to nothing is the same as no row
        ]
    return figures, days


def _rebuilt(hub: Hub) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    hub.db.run_write(case_figures.rebuild)
    return _figures(hub)


def _due(hub: Hub) -> set[str]:
    with hub.db.read() as session:
        return set(session.scalars(select(CaseFigureDue.case_id)))


def _days() -> tuple[dt.date, dt.date]:
    """Days around today's, whatever the centers' local day is now."""
    today = EventFactory().clock.date()
    return today - dt.timedelta(days=1), today + dt.timedelta(days=1)


def _today_report(hub: Hub, department: str = "MZJ") -> dict[str, Any]:
    start, end = _days()
    reply = hub.client.get(
        REPORT,
        params={"from": start.isoformat(), "to": end.isoformat(), "by": "department"},
        headers={**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token(department)}"},
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_push_marks_its_cases_due_and_works_out_no_figure_in_its_transaction(hub: Hub) -> None:
    """Fails before h29-figlater: the push refreshed case_figures and their day sums."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    sent: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(hub.db.write_engine, "before_cursor_execute", note)
    try:
        cases = _cases(hub, window, 12, completed=3)
    finally:
        event.remove(hub.db.write_engine, "before_cursor_execute", note)
    assert sent and not [statement for statement in sent if FIGURE_TABLES.search(statement)]
    # Committed with the push: the due list holds its cases, and no figure was written yet.
    assert _due(hub) == set(cases)
    assert _figures(hub) == ([], [])
    assert figure_catchup.catch_up(hub.db) == 12 and _due(hub) == set()
    assert _figures(hub) == _rebuilt(hub)


def test_a_report_read_right_after_a_push_counts_the_pushed_cases(hub: Hub) -> None:
    """Over HTTP, the department's report straight after the push answers: it counts every
    pushed case and its completions, and leaves nothing due (fails before: no due list)."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    _cases(hub, window, 7, completed=2)
    assert len(_due(hub)) == 7
    [row] = _today_report(hub)["rows"]
    assert (row["key"], row["accepted"], row["completed"]) == ("MZJ", 7, 2)
    assert _due(hub) == set()
    _cases(hub, window, 3, completed=3)
    [row] = _today_report(hub)["rows"]
    assert (row["accepted"], row["completed"]) == (10, 5)
    # The console's page reads the same report (its own reader).
    with figure_catchup.current_figures(hub.db) as session:
        start, end = _days()
        body = report_json(city_report(session, start=start, end=end, by="department"))
    assert [(r["key"], r["accepted"], r["completed"]) for r in body["rows"]] == [("MZJ", 10, 5)]


def test_a_reader_refuses_a_snapshot_with_cases_due(hub: Hub) -> None:
    """A reader that did not bring the figures up to date first is refused, not answered
    with figures older than the cases."""
    hub.import_demo_catalog()
    _cases(hub, hub.enroll("CH", "01"), 2)
    start, end = _days()
    with hub.db.read() as session, pytest.raises(figure_catchup.FiguresBehind):
        city_report(session, start=start, end=end)


def test_the_background_catch_up_empties_the_due_list_with_the_figures_rebuild_makes(
    hub_url: str, tmp_path: Path
) -> None:
    """The hub's app works the due figures out by itself once the pushes are answered; what
    it leaves is what ``rebuild-case-figures`` makes of the same cases, row for row."""
    data_dir = tmp_path / "hub-data"
    data_dir.mkdir(exist_ok=True)
    with open_hub(hub_url, data_dir, figures_catchup=True) as hub:
        hub.import_demo_catalog()
        window = hub.enroll("CH", "01")
        pushed = _cases(hub, window, 40, completed=10) + _cases(hub, window, 30, completed=30)
        deadline = time.monotonic() + 60
        while _due(hub) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _due(hub) == set()
        caught_up = _figures(hub)
        assert [row[0] for row in caught_up[0]] == sorted(pushed)
        assert caught_up == _rebuilt(hub)


def test_a_mark_made_while_a_refresh_of_the_case_runs_is_not_lost(hub: Hub) -> None:
    """A refresh has claimed a case (not committed yet) when a push completes that case:
    the push's mark waits for the refresh (PostgreSQL: the claimed row's lock; SQLite: the
    writer) and the case is due again after both, so its completion is counted."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    [case_id] = _cases(hub, window, 1)
    events = EventFactory(window=window.window_id)
    steps = [events.status(case_id, action) for action in ("start_review", "approve", "complete")]
    pushed: list[list[tuple[str, str]]] = []
    other_catch_up: list[int] = []
    with hub.db.write() as session:
        assert figure_catchup.refresh_due(session) == 1  # the case claimed, worked out, taken off
        push = threading.Thread(target=lambda: pushed.append(hub.push_results(window, steps)))
        catch_up = threading.Thread(target=lambda: other_catch_up.append(figure_catchup.catch_up(hub.db)))
        push.start()
        catch_up.start()
        time.sleep(1.0)  # both reach what this transaction holds
        assert not pushed  # the push waits for the refresh
    push.join(60)
    catch_up.join(60)
    assert pushed == [[("applied", "")] * 3]
    # Another catch-up never worked out the claimed case beside this one (PostgreSQL: it
    # skipped the claimed row; SQLite: it waited for the writer and then found it taken).
    assert other_catch_up in ([0], [1])
    if other_catch_up == [0]:
        assert _due(hub) == {case_id}  # the push's mark, made after the refresh, is kept
    [row] = _today_report(hub)["rows"]
    assert (row["accepted"], row["completed"]) == (1, 1)
    assert _figures(hub) == _rebuilt(hub)


def test_the_migration_makes_the_due_list_and_a_downgrade_leaves_no_figure_behind(hub: Hub) -> None:
    """Down from 0020 with cases due, every figure goes (the hub of before works them all out
    again at its first command); up again, the list is there and empty."""
    from alembic import command
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.pool import NullPool

    from windowdesk.hub.storage.migrate import alembic_config

    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    done = _cases(hub, window, 3, completed=1)
    figure_catchup.catch_up(hub.db)
    _cases(hub, window, 2)  # due
    engine = create_engine(hub.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0019_h29pgwal_fewer_indexes")
        with engine.connect() as connection:
            assert "case_figures_due" not in inspect(connection).get_table_names()
            assert connection.execute(text("SELECT count(*) FROM case_figures")).scalar() == 0
            assert connection.execute(text("SELECT count(*) FROM case_figure_days")).scalar() == 0
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    assert _due(hub) == set()
    assert hub.db.run_write(case_figures.fill_if_missing) == 5  # what the hub's next command does
    figures = _figures(hub)
    assert set(done) <= {row[0] for row in figures[0]}
    assert figures == _rebuilt(hub)
