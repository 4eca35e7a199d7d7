"""storage.bulk.execute_many on the hub's own engines, SQLite and PostgreSQL: the rows a
push writes in bulk (on PostgreSQL by COPY) are stored exactly as SQLAlchemy's own
executemany stores them, and a refused row is refused as SQLAlchemy refuses it, leaving
the transaction usable after its savepoint is rolled back (what push.apply_push relies on)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, event, insert, select
from sqlalchemy.exc import IntegrityError

from windowdesk.hub.storage.bulk import execute_many
from windowdesk.hub.storage.database import EncodedJson
from windowdesk.hub.storage.models import PushedEvent

UTC = dt.UTC
PLUS8 = dt.timezone(dt.timedelta(hours=8))
INSERT = insert(PushedEvent.__table__)
TABLE = PushedEvent.__table__


def _rows(workstation_id: str) -> list[dict]:
    now = dt.datetime(2026, 11, 25, 9, 30, 0, 123456, tzinfo=UTC)
    # Text COPY has its own escapes (tab, newline, backslash, \N): values holding them
    # must arrive as they were sent.
    awkward = "一\t二\n三\\N 四\\ 五\r"
    return [
        dict(
            event_id=f"00000000-0000-7000-8000-{i:012d}",
            workstation_id=workstation_id,
            client_seq=i,
            kind="case.accepted",
            entity="case",
            entity_id=f"case-{i}",
            status="applied" if i % 3 else "rejected",
            reason="" if i % 3 else awkward,
            payload=(
                EncodedJson(f'{{"name":"王建国","n":1.5,"note":"a\\tb\\\\c","i":{i}}}'.encode())
                if i % 2
                else {"name": "李四", "list": [1, None, True], "note": awkward}
            ),
            created_at=dt.datetime(2026, 11, 24, 23, 59, 59, i * 1000, tzinfo=PLUS8),
            received_at=now,
            content_sha256=None if i == 4 else f"{i:064x}",
        )
        for i in range(1, 9)
    ]


def _stored(session) -> list[tuple]:
    return [tuple(row) for row in session.execute(select(TABLE).order_by(TABLE.c.event_id))]


def test_bulk_rows_are_stored_as_sqlalchemy_stores_them(hub, demo_catalog: None) -> None:
    workstation = hub.enroll()
    rows = _rows(workstation.id)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    stored = {}
    for way in ("sqlalchemy", "bulk"):
        with hub.db.write() as session:
            session.execute(delete(TABLE))
        event.listen(hub.db.write_engine, "before_cursor_execute", seen)
        try:
            with hub.db.write() as session:
                if way == "bulk":
                    execute_many(session.connection(), INSERT, rows)
                else:
                    session.connection().execute(INSERT, rows)
        finally:
            event.remove(hub.db.write_engine, "before_cursor_execute", seen)
        with hub.db.read() as session:
            stored[way] = _stored(session)
        if way == "bulk" and not hub.db.is_sqlite:
            # The rows went by COPY, not by one INSERT per row.
            assert not [s for s in statements if s.lstrip().upper().startswith("INSERT")], statements
        statements.clear()
    assert stored["bulk"] == stored["sqlalchemy"]
    assert len(stored["bulk"]) == len(rows)
    payloads = {row[0]: row[TABLE.c.keys().index("payload")] for row in stored["bulk"]}
    assert payloads["00000000-0000-7000-8000-000000000001"] == {"name": "王建国", "n": 1.5, "note": "a\tb\\c", "i": 1}
    assert payloads["00000000-0000-7000-8000-000000000002"]["note"] == "一\t二\n三\\N 四\\ 五\r"


def test_a_refused_bulk_insert_is_sqlalchemy_s_error_and_its_savepoint_rolls_back(hub, demo_catalog: None) -> None:
    workstation = hub.enroll()
    rows = _rows(workstation.id)
    with hub.db.write() as session:
        connection = session.connection()
        execute_many(connection, INSERT, rows[:2])
        with pytest.raises(IntegrityError), connection.begin_nested():
            execute_many(connection, INSERT, [*rows[2:5], rows[0]])  # rows[0] is stored already
        # The transaction goes on after the savepoint, as push.apply_push's one-by-one pass does.
        execute_many(connection, INSERT, rows[5:])
    with hub.db.read() as session:
        stored_ids = [row[0] for row in _stored(session)]
    assert stored_ids == [row["event_id"] for row in [*rows[:2], *rows[5:]]]
