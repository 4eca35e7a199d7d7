"""storage.bulk.execute_many on the hub's own engines, SQLite and PostgreSQL: the rows a
push writes in bulk (on PostgreSQL by COPY) are stored exactly as SQLAlchemy's own
executemany stores them, and a refused row is refused as SQLAlchemy refuses it, leaving
the transaction usable after its savepoint is rolled back (what push.apply_push relies on)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import String, cast, delete, event, insert, select
from sqlalchemy.exc import IntegrityError, StatementError

from windowdesk.hub.storage.bulk import execute_many
from windowdesk.hub.storage.database import EncodedJson
from windowdesk.hub.storage.models import PushedEvent
from windowdesk.sync.protocol import PushedEventStatus

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


def _stored_text(session) -> list[tuple]:
    """Each value as the database holds it, as text (not read back through its type)."""
    columns = [cast(column, String) for column in TABLE.c]
    return [tuple(row) for row in session.execute(select(*columns).order_by(TABLE.c.event_id))]


def _stored_both_ways(hub, rows: list[dict], statements: list[str]) -> dict[str, list[tuple]]:
    """The rows as SQLAlchemy's executemany stores them, and as execute_many does."""

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
            stored[f"{way} as text"] = _stored_text(session)
        if way == "bulk" and not hub.db.is_sqlite:
            # The rows went by COPY, not by one INSERT per row.
            assert not [s for s in statements if s.lstrip().upper().startswith("INSERT")], statements
        statements.clear()
    return stored


def test_bulk_rows_are_stored_as_sqlalchemy_stores_them(hub, demo_catalog: None) -> None:
    workstation = hub.enroll()
    rows = _rows(workstation.id)
    stored = _stored_both_ways(hub, rows, [])
    assert stored["bulk"] == stored["sqlalchemy"]
    assert len(stored["bulk"]) == len(rows)
    payloads = {row[0]: row[TABLE.c.keys().index("payload")] for row in stored["bulk"]}
    assert payloads["00000000-0000-7000-8000-000000000001"] == {"name": "王建国", "n": 1.5, "note": "a\tb\\c", "i": 1}
    assert payloads["00000000-0000-7000-8000-000000000002"]["note"] == "一\t二\n三\\N 四\\ 五\r"


def test_equal_fixed_values_and_times_in_any_form_are_stored_as_sqlalchemy_stores_each(hub, demo_catalog: None) -> None:
    """A fixed-value column's words and the times are processed once per distinct value:
    an enum member and its plain word, and one instant in two zones, are equal yet each
    row must still be stored as SQLAlchemy stores it, on either database."""
    workstation = hub.enroll()
    rows = _rows(workstation.id)
    instant = dt.datetime(2026, 11, 25, 1, 30, 0, 7, tzinfo=UTC)
    for i, row in enumerate(rows):
        row["status"] = [PushedEventStatus.APPLIED, "applied", PushedEventStatus.REJECTED, "rejected"][i % 4]
        row["created_at"] = instant if i % 2 else instant.astimezone(PLUS8)
        row["received_at"] = instant.astimezone(PLUS8) if i % 3 else instant
    stored = _stored_both_ways(hub, rows, [])
    assert stored["bulk"] == stored["sqlalchemy"]
    assert stored["bulk as text"] == stored["sqlalchemy as text"]
    status, created_at = TABLE.c.keys().index("status"), TABLE.c.keys().index("created_at")
    assert [row[status] for row in stored["bulk"]] == ["applied", "applied", "rejected", "rejected"] * 2
    assert {row[created_at] for row in stored["bulk"]} == {instant}


@pytest.mark.parametrize(
    "column, value, words",
    [
        ("status", "fax", "'fax' is not a valid PushedEventStatus"),
        ("received_at", dt.datetime(2026, 11, 25, 9, 30), "naive datetime given where UTC is required"),
    ],
)
def test_a_value_its_column_type_refuses_is_refused_in_sqlalchemy_s_words(
    hub, demo_catalog: None, column: str, value: object, words: str
) -> None:
    """As SQLAlchemy's executemany refuses it (a StatementError naming the statement), not
    as a bare ValueError from inside the bulk path; nothing of the rows is stored."""
    workstation = hub.enroll()
    rows = _rows(workstation.id)
    rows[5][column] = value
    with pytest.raises(StatementError, match=words), hub.db.write() as session:
        execute_many(session.connection(), INSERT, rows)
    with hub.db.read() as session:
        assert _stored(session) == []


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
