"""The figures' terms a push reads for every batch (issue 29, aim 2): the published
catalogs' limits are decoded once per set of catalogs, not once per batch, and a newly
published version is read at once; and a refresh's own statements, set-based."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, text

from windowdesk.hub.services import admin, calendar_years, case_figures, city_publishing, figure_catchup
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor

from .conftest import EventFactory, Hub

ADMIN = ConsoleActor("1", "admin", "Admin", ADMINISTRATOR)


def _statements_of(session, call):
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        return call(), seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_the_catalogs_limits_are_decoded_once_and_a_new_version_is_read_at_once(hub: Hub) -> None:
    hub.import_demo_catalog()
    with hub.db.read() as session:
        first, _ = _statements_of(session, lambda: case_figures.item_limits(session))
        again, statements = _statements_of(session, lambda: case_figures.item_limits(session))
    assert again == first and first["MZ-002"][1] != 3
    assert statements and not any("documents" in statement for statement in statements)
    with hub.db.write(feed=True) as session:  # 民政 MZ-002: a new version with 3 working days
        city_publishing.publish_item(
            session,
            by=ADMIN,
            code="MZ-002",
            fields={"promised_limit_days": 3},
            version="2025-test-1",
            now=dt.datetime.now(dt.UTC),
        )
    with hub.db.read() as session:
        changed = case_figures.item_limits(session)
    assert changed["MZ-002"] == (first["MZ-002"][0], 3)
    assert {code: limit for code, limit in changed.items() if code != "MZ-002"} == {
        code: limit for code, limit in first.items() if code != "MZ-002"
    }
    changed["MZ-002"] = ("mutated by a caller", 0)  # a caller's copy: the next reading is not touched
    with hub.db.read() as session:
        assert case_figures.item_limits(session)["MZ-002"] == (first["MZ-002"][0], 3)


def _sent_by_a_refresh(session, ids: list[str]) -> list[tuple[str, object, bool]]:
    """Every statement a refresh sends: its text, its parameters, and whether it went as
    an executemany (a row's parameters each)."""
    sent: list[tuple[str, object, bool]] = []

    def note(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        sent.append((statement, parameters, executemany))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        case_figures.refresh(session, ids)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return sent


def _of_the_cases(sent: list[tuple[str, object, bool]]) -> list[tuple[str, object, bool]]:
    """The refresh's own statements (the terms' reads of centers, calendar and catalog left out)."""
    return [one for one in sent if "case_figures" in one[0] or "case_events" in one[0]]


def test_a_refresh_sends_one_text_per_statement_whatever_the_number_of_cases_none_row_by_row_each_on_its_indexes(
    hub: Hub,
) -> None:
    """Set-based (issue 29, aim 2): a batch's figures are read by one statement, worked out,
    and written by one INSERT ... SELECT, whatever the number of cases: not a row of
    values per case bound one by one, nor a text per number of ids. The day sums
    (h26-agg) add one read of the batch's figures before the delete; the rows written are
    summed from what the first read and Python made of them, never read back (h29-push)."""
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory(window=window.window_id)
    resident = events.resident()
    cases = [events.case(resident["entity_id"], number=f"CH-20261125-01-{n:04d}") for n in range(1, 301)]
    assert {status for status, _ in hub.push_results(window, [resident, *cases])} == {"applied"}
    ids = [case["entity_id"] for case in cases]
    figure_catchup.catch_up(hub.db)  # the figures the push left due: the refreshes below replace rows
    with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
        _sent_by_a_refresh(session, ids[:1])  # the catalogs' limits read once before
        one, many = _sent_by_a_refresh(session, ids[:1]), _sent_by_a_refresh(session, ids)
        assert [text for text, _, _ in one] == [text for text, _, _ in many], (one, many)
        assert not any(executemany for _, _, executemany in many), many
        connection = session.connection()
        own = _of_the_cases(_sent_by_a_refresh(session, ids[:2]))
        # The cases with their steps; the rows replaced, for the day sums (figure_days); the
        # delete; the INSERT ... SELECT. Nothing after it: the rows written are not read back.
        assert len(own) == 4, own
        read, replaced, deleted, inserted = (sql for sql, _, _ in own)
        assert read.startswith("SELECT") and "case_events" in read, own
        assert replaced.startswith("SELECT") and "FROM case_figures" in replaced, own
        assert deleted.startswith("DELETE FROM case_figures") and "INSERT INTO case_figures" in inserted, own
        if connection.dialect.name != "sqlite":
            connection.execute(text("SET LOCAL enable_seqscan = off"))  # few rows: only an index is planned then
        for sql, parameters, _ in own:
            explain = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
            plan = "\n".join(str(row[-1]) for row in connection.exec_driver_sql(explain + sql, parameters))
            assert "index" in plan.lower(), (sql, plan)
            assert "Seq Scan" not in plan and not any(
                f"SCAN {table}" in plan
                for table in ("cases", "case_events", "case_proxies", "case_deferred_materials", "case_figures")
            ), plan
        session.rollback()


def test_the_shipped_calendar_is_read_once_and_a_hub_that_published_nothing_reuses_it(hub: Hub) -> None:
    """Every pushed batch reads the figures' terms (case_figures.Terms): the shipped
    calendar file is read and decoded once per process, not once per batch; a published
    day still changes the calendar at once."""
    with hub.db.read() as session:
        first, again = calendar_years.hub_calendar(session), calendar_years.hub_calendar(session)
    assert again is first
    assert calendar_years.shipped_calendar() is first
    closed = dt.date(2026, 12, 2)  # a Wednesday
    assert first.is_working_day(closed)
    with hub.db.write(feed=True) as session:
        admin.publish_calendar_override(
            session, day=closed, is_working_day=False, note="closed", now=dt.datetime.now(dt.UTC)
        )
    with hub.db.read() as session:
        changed = calendar_years.hub_calendar(session)
    assert not changed.is_working_day(closed) and first.is_working_day(closed)
