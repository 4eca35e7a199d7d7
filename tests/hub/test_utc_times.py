"""The hub stores times as naive UTC text in SQLite, whatever zone they were given in,
and refuses a naive time, even one equal to a time it has just stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import StatementError

from windowdesk.hub.storage.database import _json_dumps
from windowdesk.hub.storage.models import Base, PushedEvent

UTC = dt.UTC
PLUS8 = dt.timezone(dt.timedelta(hours=8))


def _row(i: int, created_at: dt.datetime, received_at: dt.datetime) -> dict:
    return dict(
        event_id=f"event-{i}",
        workstation_id="ws",
        client_seq=i,
        kind="case.accepted",
        entity="case",
        entity_id=f"case-{i}",
        status="applied",
        reason="",
        payload={},
        created_at=created_at,
        received_at=received_at,
    )


def test_equal_instants_are_stored_alike_and_naive_times_refused(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'hub.sqlite3'}", json_serializer=_json_dumps)
    Base.metadata.create_all(engine)
    utc_time = dt.datetime(2026, 12, 4, 1, 30, 0, 250, tzinfo=UTC)
    beijing_time = utc_time.astimezone(PLUS8)  # the same instant: 09:30 in Beijing
    later = dt.datetime(2026, 12, 4, 2, 0, tzinfo=PLUS8)
    with engine.begin() as connection:
        connection.execute(
            insert(PushedEvent.__table__),
            [
                _row(1, utc_time, beijing_time),
                _row(2, beijing_time, utc_time),
                _row(3, later, later),
            ],
        )
        stored = connection.execute(text("SELECT created_at, received_at FROM pushed_events ORDER BY client_seq")).all()
    assert [tuple(row) for row in stored] == [
        ("2026-12-04 01:30:00.000250", "2026-12-04 01:30:00.000250"),
        ("2026-12-04 01:30:00.000250", "2026-12-04 01:30:00.000250"),
        ("2026-12-03 18:00:00.000000", "2026-12-03 18:00:00.000000"),
    ]
    naive = utc_time.replace(tzinfo=None)  # equal wall time to one just stored, but no zone
    with pytest.raises(StatementError, match="naive datetime"), engine.begin() as connection:
        connection.execute(insert(PushedEvent.__table__), [_row(4, naive, utc_time)])
    engine.dispose()
