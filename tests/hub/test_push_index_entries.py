"""A push writes an entry into every index of the tables it fills (on PostgreSQL a WAL record
each, synced before the push is answered), so those tables carry only the indexes a query
reads (migration 0019_h29pgwal), and each of those readers still finds its rows through an
index: the plan of the very statements the services send is read back, on SQLite and
PostgreSQL. Migration 0021_h29pgidx took two more away (the acceptances by record, a
center's cases): their readers go through another index. (The cards and the queue:
test_open_case_plans; the push's view: test_push_view_queries.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from windowdesk.hub.services import department_work, province_export, refused_changes
from windowdesk.hub.storage.models import Case, PushedEvent

from .conftest import EventFactory, Hub, utc_now

# The indexes (primary keys and unique constraints aside) of the tables a pushed case fills.
PUSHED_TABLES_INDEXES = {
    "pushed_events": {"ix_pushed_events_rejected"},
    "cases": {"ix_cases_open_item_due", "ix_cases_open_due"},
    "case_events": {"ix_case_events_case_id", "ix_case_events_step_time"},
    "case_deliveries": set(),
    "case_figures": {"ix_case_figures_accepted", "ix_case_figures_open_due", "ix_case_figures_apart"},
    # Found by id only (0022_s10hubwrite): no index by ID number or credit code.
    "residents": set(),
    "organisations": set(),
}


def _indexes(session: Session, table: str) -> set[str]:
    """Read from the database's catalog (expression indexes included, which SQLAlchemy's
    reflection skips)."""
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(
            text("SELECT name FROM pragma_index_list(:table) WHERE origin = 'c' AND \"unique\" = 0"), {"table": table}
        )
    else:
        rows = session.execute(
            text(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = CAST(:table AS regclass) AND NOT i.indisunique"
            ),
            {"table": table},
        )
    return set(rows.scalars())


def test_the_tables_a_push_fills_carry_only_the_indexes_a_query_reads(hub: Hub) -> None:
    with hub.db.read() as session:
        found = {table: _indexes(session, table) for table in PUSHED_TABLES_INDEXES}
    assert found == PUSHED_TABLES_INDEXES


def _plans_reading(session: Session, table: str, work: Callable[[Session], object]) -> list[str]:
    """The plan of each statement ``work`` sends that reads ``table``."""
    connection = session.connection()
    sent: list[tuple[str, Any]] = []

    def seen(_conn, _cursor, sql, parameters, *_args) -> None:
        if f" {table}" in sql and not sql.lstrip().upper().startswith("EXPLAIN"):
            sent.append((sql, parameters))

    event.listen(connection, "before_cursor_execute", seen)
    try:
        work(session)
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    assert sent, f"nothing read {table}"
    if connection.dialect.name == "sqlite":
        return [
            "\n".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))
            for sql, parameters in sent
        ]
    # A test database holds few rows, so a sequential scan would be planned anyway; with it
    # ruled out, only a condition an index can answer is planned on an index (a full
    # index scan with no condition is looked for below).
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    return [
        "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", parameters))
        for sql, parameters in sent
    ]


def _assert_searched(session: Session, table: str, plans: list[str], index: str, *, whole: bool = False) -> None:
    """Each plan reads ``table`` through ``index`` with a condition; ``whole``: or reads
    all of it (a partial index, whose entries are all the rows asked for)."""
    for plan in plans:
        if session.get_bind().dialect.name == "sqlite":
            read = f"SCAN {table} USING INDEX {index}" if whole else f"SEARCH {table} USING INDEX {index} ("
            assert read in plan, plan
            assert plan.count(f" {table} ") == 1, plan
        else:
            assert f"Seq Scan on {table}" not in plan, plan
            lines = plan.splitlines()
            found = [n for n, line in enumerate(lines) if f"using {index} on {table}" in line]
            assert found, plan
            if not whole:  # searched with a condition (not every entry read in the index's order)
                assert "Index Cond" in "\n".join(lines[found[0] : found[0] + 3]), plan


def _refused_case(hub: Hub, events: EventFactory) -> str:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    resident = events.resident()
    unknown = events.case(resident["entity_id"], item="XX-999")
    materials = [{"id": "m1", "code": "M1", "name": "身份证", "status": "received", "note": ""}]
    accepted = events.case(resident["entity_id"], item="MZ-002", materials=materials)
    results = [status for status, _reason in hub.push_results(window, [resident, unknown, accepted])]
    assert results == ["applied", "rejected", "applied"]
    return unknown["entity_id"]


def test_the_refused_changes_are_read_from_the_rejected_events_index(hub: Hub, events: EventFactory) -> None:
    _refused_case(hub, events)
    with hub.db.write() as session:  # SET LOCAL on PostgreSQL: this transaction only
        listed = []

        def listing(s: Session) -> None:
            listed.extend(refused_changes.refused_changes(s, center="CH").changes)

        plans = _plans_reading(session, "pushed_events", listing)
        assert [change.kind for change in listed] == ["case.accepted"]
        # The list's own query, then the payloads of the changes shown (by event id), then
        # the number the refused acceptance carried (by record, see the next test).
        _assert_searched(session, "pushed_events", plans[:1], "ix_pushed_events_rejected", whole=True)
        session.rollback()


def test_a_refused_case_s_number_is_read_from_the_rejected_events_by_record(hub: Hub, events: EventFactory) -> None:
    refused = _refused_case(hub, events)
    with hub.db.write() as session:
        numbers: list[str | None] = []
        plans = _plans_reading(
            session, "pushed_events", lambda s: numbers.append(refused_changes._case_number(s, refused))
        )
        assert numbers == [refused_number(hub, refused)]
        _assert_searched(session, "pushed_events", plans, "ix_pushed_events_rejected")
        session.rollback()


def refused_number(hub: Hub, case_id: str) -> str:
    """The number the refused acceptance carried, read from its stored payload directly."""
    with hub.db.read() as session:
        payload = session.scalars(select(PushedEvent.payload).where(PushedEvent.entity_id == case_id)).one()
    return payload["number"]


def test_a_case_s_materials_are_read_through_its_first_step_and_the_events_key(hub: Hub, events: EventFactory) -> None:
    _refused_case(hub, events)
    with hub.db.write() as session:
        case = session.scalars(select(Case)).one()
        case_id = case.id
        materials: list[list[department_work.Material]] = []
        plans = _plans_reading(
            session, "pushed_events", lambda s: materials.append(department_work._materials(s, case))
        )
        assert len(plans) == 1
        # The case's acceptance step by case, then the pushed event by its primary key.
        key = "sqlite_autoindex_pushed_events_1" if session.get_bind().dialect.name == "sqlite" else "pk_pushed_events"
        _assert_searched(session, "pushed_events", plans, key)
        _assert_searched(session, "case_events", plans, "ix_case_events_case_id")
        session.rollback()
    with hub.db.read() as session:
        sent = session.scalars(
            select(PushedEvent.payload).where(PushedEvent.entity_id == case_id, PushedEvent.status == "applied")
        ).one()
    assert sent["materials"]
    assert materials == [[department_work.Material("身份证", "received", "")]]


def test_the_provincial_export_finds_a_day_s_steps_by_their_time(hub: Hub, events: EventFactory) -> None:
    _refused_case(hub, events)
    day = utc_now().date()
    with hub.db.write() as session:
        found: list[str] = []
        plans = _plans_reading(
            session,
            "case_events",
            lambda s: found.extend(province_export._cases_of_day(s, day, {"CH": dt.UTC})),
        )
        assert len(found) == 1
        _assert_searched(session, "case_events", plans, "ix_case_events_step_time")
        session.rollback()
