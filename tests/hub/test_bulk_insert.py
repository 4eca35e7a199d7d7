"""Rows written by storage.bulk.execute_many are stored exactly as SQLAlchemy's own
executemany stores them (the same text in the SQLite file), and refused alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import IntegrityError, StatementError

from windowdesk.hub.storage.bulk import execute_many
from windowdesk.hub.storage.database import EncodedJson, _sqlite_json_dumps
from windowdesk.hub.storage.models import AuditRecord, Base, PushedEvent

UTC = dt.UTC
PLUS8 = dt.timezone(dt.timedelta(hours=8))


def _rows() -> list[dict]:
    now = dt.datetime(2026, 11, 25, 9, 30, 0, 0, tzinfo=UTC)
    return [
        dict(
            event_id=f"00000000-0000-7000-8000-{i:012d}",
            workstation_id="ws",
            client_seq=i,
            kind="case.accepted",
            entity="case",
            entity_id=f"case-{i}",
            status="applied" if i % 3 else "rejected",
            reason="" if i % 3 else "原因",
            payload=EncodedJson('{"name":"王建国","n":1.5}'.encode())
            if i % 2
            else {"name": "李四", "list": [1, None, True]},
            created_at=dt.datetime(2026, 11, 24, 23, 59, 59, i * 1000, tzinfo=PLUS8),
            received_at=now,
        )
        for i in range(1, 8)
    ]


def _audit_rows() -> list[dict]:
    now = dt.datetime(2026, 11, 25, 9, 30, 0, 123456, tzinfo=UTC)
    return [
        dict(
            entry_id=f"entry-{i}",
            workstation_id="ws",
            center_code="CH",
            window_id="CH-01",
            client_seq=i,
            at=now.isoformat(),
            operator_id=None if i % 2 else "op",
            action="case.accept",
            entity="case",
            entity_id=f"case-{i}",
            detail={"i": i},
            prev_hash="0" * 64,
            hash=f"{i:064d}",
            chain_ok=bool(i % 2),
            problem="",
            event_id=f"event-{i}",
            received_at=now,
        )
        for i in range(1, 5)
    ]


def _stored(url: str, table: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
    finally:
        engine.dispose()


def _database(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)  # no foreign keys enforced: these rows stand alone
    engine.dispose()
    return url


@pytest.mark.parametrize(
    "statement, rows, table",
    [
        (insert(PushedEvent.__table__), _rows(), "pushed_events"),
        (insert(AuditRecord.__table__), _audit_rows(), "audit_entries"),
    ],
)
def test_rows_are_stored_as_sqlalchemy_stores_them(tmp_path: Path, statement, rows, table) -> None:
    stored = {}
    for way in ("sqlalchemy", "bulk"):
        url = _database(tmp_path / f"{way}.sqlite3")
        engine = create_engine(url, json_serializer=_sqlite_json_dumps)
        with engine.begin() as connection:
            if way == "bulk":
                execute_many(connection, statement, rows)
            else:
                connection.execute(statement, rows)
        engine.dispose()
        stored[way] = _stored(url, table)
    assert stored["bulk"] == stored["sqlalchemy"]
    assert len(stored["bulk"]) == len(rows)


def test_refusals_are_sqlalchemy_s_own(tmp_path: Path) -> None:
    url = _database(tmp_path / "hub.sqlite3")
    engine = create_engine(url, json_serializer=_sqlite_json_dumps)
    rows = _rows()
    with pytest.raises(IntegrityError), engine.begin() as connection:
        execute_many(connection, insert(PushedEvent.__table__), [*rows, rows[0]])
    uneven = [rows[0], {k: v for k, v in rows[1].items() if k != "reason"}]
    with (
        pytest.raises(StatementError, match="A value is required for bind parameter 'reason'"),
        engine.begin() as connection,
    ):
        execute_many(connection, insert(PushedEvent.__table__), uneven)
    engine.dispose()
    assert _stored(url, "pushed_events") == []


def test_encoded_payloads_are_stored_as_json_text(tmp_path: Path) -> None:
    """Given to SQLite as UTF-8 bytes, an encoded payload is still stored as text its JSON
    functions read, the same text as a payload encoded by the driver's own serializer."""
    url = _database(tmp_path / "hub.sqlite3")
    engine = create_engine(url, json_serializer=_sqlite_json_dumps)
    with engine.begin() as connection:
        execute_many(connection, insert(PushedEvent.__table__), _rows())
        stored = connection.execute(
            text(
                "SELECT client_seq, typeof(payload), payload, json_extract(payload, '$.name') FROM pushed_events "
                "ORDER BY client_seq"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in stored[:2]] == [
        (1, "text", '{"name":"王建国","n":1.5}', "王建国"),
        (2, "text", '{"name":"李四","list":[1,null,true]}', "李四"),
    ]
    assert {row[1] for row in stored} == {"text"}
