"""The window's UTC times as SQLite stores them: the one-call processor of UTCDateTime on
SQLite (storage/models.py) gives the text SQLAlchemy's own chain gave (process_bind_param,
then DATETIME's processor), refuses what it refused, and reads back as written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.dialects import sqlite

from windowdesk.storage.models import UTCDateTime

DIALECT = sqlite.dialect()
TIMES = [
    dt.datetime(2026, 12, 8, 1, 2, 3, 4, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 8, 1, 2, 3, tzinfo=dt.UTC),  # no microseconds: still written
    dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),  # Beijing time
    dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    dt.datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
]


def _sqlalchemys_chain(value: dt.datetime | None) -> object:
    """What the TypeDecorator's default chain stores: process_bind_param, then DATETIME's."""
    datetime_processor = DateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert datetime_processor is not None
    return datetime_processor(UTCDateTime().process_bind_param(value, DIALECT))


@pytest.mark.parametrize("value", [*TIMES, None], ids=lambda v: "none" if v is None else v.isoformat())
def test_the_sqlite_processor_stores_the_text_of_sqlalchemys_chain(value: dt.datetime | None) -> None:
    process = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert process is not None
    assert process(value) == _sqlalchemys_chain(value)


def test_the_sqlite_processor_refuses_a_naive_time_and_what_is_not_a_time() -> None:
    process = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert process is not None
    with pytest.raises(ValueError, match="naive datetime"):
        process(dt.datetime(2026, 12, 8, 1, 2, 3))
    with pytest.raises(AttributeError):
        process("2026-12-08 01:02:03")  # type: ignore[arg-type]


def test_times_written_through_a_real_sqlite_file_read_back_as_the_same_instants(tmp_path: Path) -> None:
    table = Table("times", MetaData(), Column("at", UTCDateTime))
    engine = create_engine(f"sqlite:///{tmp_path / 'times.sqlite3'}")
    try:
        table.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(insert(table), [{"at": value} for value in TIMES])
            connection.execute(insert(table), [{"at": TIMES[0]}])  # one row alone: the single execute
            stored = list(connection.scalars(text("SELECT at FROM times")))
            read = list(connection.scalars(select(table.c.at)))
        assert stored == [_sqlalchemys_chain(value) for value in [*TIMES, TIMES[0]]]
        assert read == [*TIMES, TIMES[0]]  # aware UTC, equal instants
        assert all(value.tzinfo is dt.UTC for value in read)
    finally:
        engine.dispose()


# Times as a hub's change may carry them: its own form (UTC to the microsecond), and others
# that must not be cut out of the text (another zone, no microseconds, "Z", a comma, a week
# date of the same length, a naive time, read as the computer's local time by the pull).
HUB_TEXTS = [
    "2026-12-08T01:02:03.000004+00:00",
    "0999-01-02T03:04:05.000006+00:00",
    "2026-12-08T23:59:59.999999+00:00",
    "2026-12-08T09:30:00.000000+08:00",
    "2026-12-08T01:02:03+00:00",
    "2026-12-08T01:02:03.000004Z",
    "2026-12-08T01:02:03,000004+00:00",
    "2026-W49-2T01:02:03.000004+00:00",
    "2026-12-08T01:02:03.000004",
    "2026-12-08 01:02:03.000004+00:00",
]


@pytest.mark.parametrize("text_", HUB_TEXTS)
def test_a_hub_times_stored_text_is_the_column_processors_whether_cut_from_the_text_or_made(text_: str) -> None:
    """The pull's steps store their time as sqlite_utc_text_of gives it: cut out of the
    hub's text when that is UTC to the microsecond, the processor's text otherwise; the
    same text as the processor gives for the time the pull reads (sync_apply._at)."""
    from windowdesk.storage.models import sqlite_utc_text_of

    value = dt.datetime.fromisoformat(text_).astimezone(dt.UTC)
    processor = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
    assert processor is not None
    assert sqlite_utc_text_of(text_, value) == processor(value)
