"""Opening the hub's database, SQLite or PostgreSQL, with the transaction rules the
change feed depends on.

The feed rule: a reader must never see change N+1 before change N is committed,
otherwise it moves its cursor past N and skips it for good. Database-generated ids
(SQLite rowid, a PostgreSQL identity) are handed out in call order but committed in any
order, so every transaction that appends to the feed is serialized:

- SQLite allows one writer at a time anyway; every write begins with BEGIN IMMEDIATE
  (taking the write lock up front, so two writers queue instead of one failing half-way)
  and writers also queue on a lock (storage.writer_lock: threads, and processes through
  a file lock) instead of busy-waiting.
- PostgreSQL: a feed-appending transaction first takes a transaction-scoped advisory
  lock, so the next one cannot draw a seq before this one has committed. Transactions
  that do not append (pushes) skip it and run in parallel.

Reads run in one snapshot (SQLite: a deferred transaction in WAL mode; PostgreSQL:
REPEATABLE READ) so a page of changes and the "highest seq" beside it agree.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from windowdesk.hub.storage.private_files import private_database_file
from windowdesk.hub.storage.writer_lock import WriterLock
from windowdesk.text import is_unicode_text

# Any constant unique to this application: the key of the feed's advisory lock.
FEED_LOCK_KEY = 0x77646B_0001  # "wdk" feed
MIGRATION_LOCK_KEY = 0x77646B_0002
SERVING_LOCK_KEY = 0x77646B_0003  # held shared by every serving hub (storage/serving_lock.py)
FEED_TRANSACTION = "windowdesk.feed_transaction"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# PostgreSQL errors after which the whole transaction may simply run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
DISK_FULL_SQLSTATE = "53100"  # PostgreSQL's disk_full: the database cannot grow
MAX_ATTEMPTS = 4

T = TypeVar("T")


class EncodedJson:
    """A JSON document already encoded as UTF-8 (compact, Chinese kept as it is, like
    :func:`encode_json`): stored as it is, so a pushed payload that had to be encoded
    for the hub's checks is not encoded again.

    Kept as the encoder's bytes: SQLite takes them as they are (the JSON columns cast
    them to text, models.Json), so a 1.5 KB payload is not turned into a Python string
    and back to UTF-8 for the driver; PostgreSQL's driver is given the string."""

    __slots__ = ("utf8",)

    def __init__(self, utf8: bytes) -> None:
        self.utf8 = utf8

    def __repr__(self) -> str:
        return f"EncodedJson({self.utf8!r})"


def encode_json(value: object, *, allow_nan: bool = True) -> str:
    # Chinese text stays readable (and half the size) in the database.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=allow_nan)


def storable_text(text: str) -> bool:
    """Text both databases can store and compare: PostgreSQL refuses a NUL character, and
    neither driver can send a lone UTF-16 surrogate (it is not UTF-8)."""
    return "\x00" not in text and is_unicode_text(text)


def _json_dumps(value: object) -> str:
    if type(value) is EncodedJson:
        return value.utf8.decode()
    return encode_json(value)


def _sqlite_json_dumps(value: object) -> str | bytes:
    if type(value) is EncodedJson:
        return value.utf8
    return encode_json(value)


def is_sqlite_url(url: str) -> bool:
    """SQLite, else PostgreSQL (the only two the hub accepts, settings.normalise_database_url)."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def _sqlite_engine(url: str, begin_statement: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"isolation_level": None, "check_same_thread": False},
        json_serializer=_sqlite_json_dumps,
        # uvicorn runs at most 40 requests at once in its thread pool.
        pool_size=8,
        max_overflow=32,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # the driver's connection
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # The hub holds the only copy of what windows pushed once they delete it.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin_statement)

    return engine


def _postgresql_engine(url: str) -> Engine:
    return create_engine(
        url,
        json_serializer=_json_dumps,
        # At most 30 connections per hub process: PostgreSQL's default limit is 100, and
        # a hub may run a few worker processes. Further requests wait for a connection.
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10},
    )


# PostgreSQL's planner cannot see how many rows a set bound as one JSON value holds (it
# guesses 100 per element function), so a statement over a few hundred cases may be
# costed past jit_above_cost and JIT-compiled: 120-130 ms of the server's CPU to compile
# a statement that runs in 10 ms (the figures' INSERT ... SELECT, measured on PostgreSQL
# 15 with `auto_explain`). The hub's statements are short; none gains from JIT.
_NO_JIT = text("SET LOCAL jit = off")


def without_jit(connection: Connection) -> None:
    """PostgreSQL: no JIT compilation for the rest of this transaction (SET LOCAL: the
    connection goes back to the pool as it was); SQLite has none."""
    if connection.dialect.name == "postgresql":
        connection.execute(_NO_JIT)


def is_retryable(exc: BaseException) -> bool:
    original = getattr(exc, "orig", None)
    return getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES


def is_disk_full(exc: BaseException) -> bool:
    """The database could not grow: SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100).

    Looked for along the exception's chain: SQLite rolls the whole transaction back on
    SQLITE_FULL, so leaving the savepoint of a push then fails with "no such savepoint",
    and that error is the one raised, with the full disk as its context."""
    seen: BaseException | None = exc
    for _depth in range(8):
        if seen is None:
            return False
        original = getattr(seen, "orig", None)
        if (
            getattr(original, "sqlstate", None) == DISK_FULL_SQLSTATE
            or getattr(original, "sqlite_errorname", None) == "SQLITE_FULL"
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class HubDatabase:
    """The hub's store. ``write``/``read`` hand out one session per transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = is_sqlite_url(url)
        if self.is_sqlite:
            path = sqlite_path(url)
            if path is not None:
                private_database_file(path)
            self.write_engine = _sqlite_engine(url, "BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, "BEGIN")
            self._local_writer: WriterLock | None = WriterLock(
                path if path is not None and str(path) != ":memory:" else None
            )
        else:
            self.write_engine = _postgresql_engine(url)
            self.read_engine = self.write_engine.execution_options(isolation_level="REPEATABLE READ")
            self._local_writer = None
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @contextlib.contextmanager
    def _writer_turn(self) -> Iterator[None]:
        if self._local_writer is None:
            yield
            return
        with self._local_writer.held():
            yield

    @contextlib.contextmanager
    def write(self, *, feed: bool = False, snapshot: bool = False) -> Iterator[Session]:
        """One write transaction; ``feed=True`` when it may append to the change feed.
        ``snapshot=True``: every statement sees the same committed state, as a read does
        (PostgreSQL: REPEATABLE READ, where a write that meets a concurrent one fails with a
        serialization error to be run again; SQLite's writer sees one state anyway)."""
        with self._writer_turn():
            session = self._write_sessions()
            # services.feed refuses to append in a transaction not marked here.
            session.info[FEED_TRANSACTION] = feed
            try:
                if snapshot and not self.is_sqlite:
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
                if feed and not self.is_sqlite:
                    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK_KEY})
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def run_write(self, work: Callable[[Session], T], *, feed: bool = False) -> T:
        """``work`` in one write transaction, run again (from scratch) after a deadlock or
        serialization failure; PostgreSQL may pick any of two crossing transactions to abort."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self.write(feed=feed) as session:
                    return work(session)
            except DBAPIError as exc:
                if attempt == MAX_ATTEMPTS or not is_retryable(exc):
                    raise
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """One consistent snapshot; nothing is written."""
        session = self._read_sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.is_sqlite:  # on PostgreSQL the read engine shares the write engine's pool
            self.read_engine.dispose()
        if self._local_writer is not None:
            self._local_writer.close()
