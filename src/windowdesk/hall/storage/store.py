"""The hall's durable store: one SQLite file in WAL mode with ``synchronous=FULL``.

Plain ``sqlite3`` rather than SQLAlchemy: the service is a handful of statements, and
the queue's guarantees rest on SQLite's own locking, which stays visible here. Every
change runs in ``BEGIN IMMEDIATE``: the write lock is taken before the line is read, so
two windows calling at the same moment are served one after the other and never pick
the same ticket (also across processes, e.g. an administrator's command while serving).
Each thread reads on its own connection; writes share one. A write is answered only
after its commit (fsync'd), so an answered call survives a kill -9.

Group commit: writers of this process take turns, and those who find others waiting
behind them leave their transaction open for the next (each write in a savepoint of its
own, so one refused write undoes only itself); the last of a run commits for all, then
they are all answered. Under 40 windows the fsync, not the statements, was most of each
call's time, and every window waited for every other's fsync (bench/README.md).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from windowdesk.hall.storage.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000
# The most writes one commit carries: bounds how long an administrator's command in
# another process (or the first writer of a run) can wait for a run to end.
GROUP_COMMIT_MAX = 32
CALLABLE_STATES = ("waiting", "transferred")
OPEN_AT_WINDOW = ("called", "serving")


class HallStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_turn = threading.Lock()
        self._writer: sqlite3.Connection | None = None  # used under the write turn only
        self._group = threading.Condition()  # guards what follows
        self._writers_waiting = 0  # for the turn: they will commit what is left open
        self._open_batch = 0  # the batch the open transaction belongs to
        self._batch_writes = 0  # writes in the open transaction
        self._committed = -1  # the last batch whose commit ended (well or not)
        self._batch_errors: dict[int, BaseException] = {}  # a failed commit, for its writers

    # --- connections and transactions ------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        with self._lock:
            self._connections.append(connection)
        return connection

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write, in a transaction that may carry the writes of those waiting behind it
        (group commit, see the module's words); returns once its commit has ended, and
        raises that commit's error if it failed."""
        # Writers of this process take turns on a lock first: SQLite's busy handler makes
        # a waiting writer sleep and poll, and under 40 windows some waited seconds while
        # others went ahead; the lock hands the turn over at once, in order of arrival.
        # BEGIN IMMEDIATE still guards against other processes (an administrator's command).
        with self._group:
            self._writers_waiting += 1
        self._write_turn.acquire()
        with self._group:
            self._writers_waiting -= 1
        committing = True
        try:
            if self._writer is None:
                self._writer = self._connect()
            connection = self._writer
            if self._batch_writes == 0:
                connection.execute("BEGIN IMMEDIATE")
            batch = self._open_batch
            connection.execute("SAVEPOINT one_write")
            self._batch_writes += 1
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK TO one_write")
                connection.execute("RELEASE one_write")
                raise
            connection.execute("RELEASE one_write")
        finally:
            with self._group:
                committing = self._writers_waiting == 0 or self._batch_writes >= GROUP_COMMIT_MAX
            if committing:
                self._commit()
            self._write_turn.release()
        if not committing:
            with self._group:
                self._group.wait_for(lambda: self._committed >= batch)
        with self._group:
            error = self._batch_errors.get(batch)
        if error is not None:
            raise error

    def _commit(self) -> None:
        """Under the write turn: the open transaction's commit, for every write it carries."""
        if self._batch_writes == 0 or self._writer is None:  # the turn's write failed before its transaction began
            return
        batch, error = self._open_batch, None
        try:
            self._writer.execute("COMMIT")
        except sqlite3.Error as failed:
            error = failed
            with contextlib.suppress(sqlite3.Error):
                self._writer.execute("ROLLBACK")
        with self._group:
            if error is not None:
                self._batch_errors[batch] = error
            self._batch_errors.pop(batch - 64, None)  # no writer waits that long
            self._committed, self._open_batch, self._batch_writes = batch, batch + 1, 0
            self._group.notify_all()

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection()
        connection.execute("BEGIN")
        try:
            yield connection
        finally:
            connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    connection.close()
            self._connections.clear()
        self._local = threading.local()
        self._writer = None

    def migrate(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")

    # --- set-up: businesses, windows, tokens ------------------------------------------

    @staticmethod
    def put_business(db: sqlite3.Connection, *, prefix: str, name: str, items: list[str]) -> None:
        db.execute(
            "INSERT INTO businesses (prefix, name, items) VALUES (?, ?, ?) "
            "ON CONFLICT (prefix) DO UPDATE SET name = excluded.name, items = excluded.items",
            (prefix, name, json.dumps(items, ensure_ascii=False)),
        )

    @staticmethod
    def put_window(db: sqlite3.Connection, *, code: str, name: str, businesses: list[str]) -> None:
        db.execute(
            "INSERT INTO windows (code, name, businesses) VALUES (?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, businesses = excluded.businesses",
            (code, name, json.dumps(businesses)),
        )

    @staticmethod
    def businesses(db: sqlite3.Connection) -> list[dict[str, Any]]:
        rows = db.execute("SELECT prefix, name, items FROM businesses ORDER BY prefix").fetchall()
        return [{"prefix": r["prefix"], "name": r["name"], "items": json.loads(r["items"])} for r in rows]

    @staticmethod
    def windows(db: sqlite3.Connection) -> list[dict[str, Any]]:
        rows = db.execute("SELECT code, name, businesses, paused FROM windows ORDER BY code").fetchall()
        return [
            {
                "code": r["code"],
                "name": r["name"],
                "businesses": json.loads(r["businesses"]),
                "paused": bool(r["paused"]),
            }
            for r in rows
        ]

    @staticmethod
    def set_paused(db: sqlite3.Connection, window: str, paused: bool) -> int:
        return db.execute("UPDATE windows SET paused = ? WHERE code = ?", (int(paused), window)).rowcount

    @staticmethod
    def add_token(
        db: sqlite3.Connection, *, token_hash: str, role: str, window: str | None, label: str, now: str
    ) -> None:
        db.execute(
            "INSERT INTO tokens (token_hash, role, window_code, label, created_at) VALUES (?, ?, ?, ?, ?)",
            (token_hash, role, window, label, now),
        )

    @staticmethod
    def token(db: sqlite3.Connection, token_hash: str) -> dict[str, Any] | None:
        row = db.execute("SELECT role, window_code, label FROM tokens WHERE token_hash = ?", (token_hash,)).fetchone()
        return dict(row) if row else None

    @staticmethod
    def revoke_tokens(db: sqlite3.Connection, *, label: str) -> int:
        return db.execute("DELETE FROM tokens WHERE label = ?", (label,)).rowcount

    # --- bookings (read from the hub) ------------------------------------------------

    @staticmethod
    def put_booking(db: sqlite3.Connection, booking: dict[str, str]) -> None:
        """As the hub gives it; the ticket it was checked in with is kept."""
        db.execute(
            "INSERT INTO bookings (code, day, half_day, item, name, status) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (code) DO UPDATE SET day = excluded.day, half_day = excluded.half_day, "
            "item = excluded.item, name = excluded.name, status = excluded.status",
            (
                booking["code"],
                booking["day"],
                booking["half_day"],
                booking["item"],
                booking.get("name", ""),
                booking["status"],
            ),
        )

    @staticmethod
    def booking(db: sqlite3.Connection, code: str) -> dict[str, Any] | None:
        row = db.execute("SELECT * FROM bookings WHERE code = ?", (code,)).fetchone()
        return dict(row) if row else None

    @staticmethod
    def mark_checked_in(db: sqlite3.Connection, code: str, ticket_id: str) -> None:
        db.execute("UPDATE bookings SET ticket_id = ? WHERE code = ?", (ticket_id, code))
        db.execute("UPDATE tickets SET booking_code = ? WHERE id = ?", (code, ticket_id))

    # --- tickets ----------------------------------------------------------------------

    @staticmethod
    def next_number(db: sqlite3.Connection, day: str, prefix: str) -> int:
        db.execute(
            "INSERT INTO counters (day, prefix, last) VALUES (?, ?, 1) "
            "ON CONFLICT (day, prefix) DO UPDATE SET last = last + 1",
            (day, prefix),
        )
        return db.execute("SELECT last FROM counters WHERE day = ? AND prefix = ?", (day, prefix)).fetchone()[0]

    @staticmethod
    def insert_ticket(
        db: sqlite3.Connection,
        *,
        day: str,
        number: str,
        business: str,
        priority: bool,
        state: str,
        window: str | None,
        resident: dict | None,
        now: str,
    ) -> str:
        ticket_id = str(uuid.uuid4())
        db.execute(
            "INSERT INTO tickets (id, day, number, business, first_business, priority, state, window_code, "
            "resident, issued_at, queued_at, serving_at, calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (
                ticket_id,
                day,
                number,
                business,
                business,
                int(priority),
                state,
                window,
                json.dumps(resident, ensure_ascii=False) if resident else None,
                now,
                now,
                now if state == "serving" else None,
            ),
        )
        return ticket_id

    @staticmethod
    def ticket(
        db: sqlite3.Connection, *, ticket_id: str | None = None, day: str | None = None, number: str | None = None
    ) -> dict[str, Any] | None:
        if ticket_id is not None:
            row = db.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        else:
            row = db.execute("SELECT * FROM tickets WHERE day = ? AND number = ?", (day, number)).fetchone()
        return _ticket(row)

    @staticmethod
    def known_ticket(db: sqlite3.Connection, ticket_id: str) -> dict[str, Any]:
        """A ticket this transaction has read or written already (tickets are never deleted)."""
        ticket = _ticket(db.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone())
        if ticket is None:
            raise LookupError(f"ticket {ticket_id} is gone")
        return ticket

    @staticmethod
    def first_in_line(db: sqlite3.Connection, *, day: str, window: str, prefixes: list[str]) -> dict | None:
        """Tickets sent to this window first, then its businesses: priority (绿色通道)
        before the others, then whoever has waited longest."""
        marks = ",".join("?" for _ in prefixes) or "NULL"
        row = db.execute(
            f"SELECT * FROM tickets WHERE day = ? AND state IN ('waiting', 'transferred') "
            f"AND (target_window = ? OR (target_window IS NULL AND business IN ({marks}))) "
            "ORDER BY target_window IS NULL, priority DESC, queued_at, number LIMIT 1",
            (day, window, *prefixes),
        ).fetchone()
        return _ticket(row)

    @staticmethod
    def open_at_window(db: sqlite3.Connection, *, window: str) -> dict | None:
        row = db.execute(
            "SELECT * FROM tickets WHERE window_code = ? AND state IN ('called', 'serving') "
            "ORDER BY called_at DESC LIMIT 1",
            (window,),
        ).fetchone()
        return _ticket(row)

    @staticmethod
    def update_ticket(db: sqlite3.Connection, ticket_id: str, **fields: Any) -> None:
        names = ", ".join(f"{name} = ?" for name in fields)
        db.execute(f"UPDATE tickets SET {names} WHERE id = ?", (*fields.values(), ticket_id))

    @staticmethod
    def count_call(db: sqlite3.Connection, ticket_id: str, *, window: str, now: str) -> None:
        db.execute(
            "UPDATE tickets SET state = 'called', window_code = ?, target_window = NULL, "
            "calls = calls + 1, called_at = COALESCE(called_at, ?) WHERE id = ?",
            (window, now, ticket_id),
        )

    @staticmethod
    def add_event(
        db: sqlite3.Connection, ticket: dict, kind: str, *, window: str | None, now: str, detail: str = ""
    ) -> int:
        cursor = db.execute(
            "INSERT INTO events (at, ticket_id, kind, number, business, window_code, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now, ticket["id"], kind, ticket["number"], ticket["business"], window, detail),
        )
        assert cursor.lastrowid is not None  # an INSERT's row
        return cursor.lastrowid

    # --- what the display, the windows and the supervisor read ------------------------

    @staticmethod
    def waiting_counts(db: sqlite3.Connection, day: str) -> dict[str, int]:
        rows = db.execute(
            "SELECT business, COUNT(*) FROM tickets WHERE day = ? AND state IN "
            "('waiting', 'transferred') GROUP BY business",
            (day,),
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    @staticmethod
    def oldest_waiting(db: sqlite3.Connection, day: str) -> dict[str, str]:
        rows = db.execute(
            "SELECT business, MIN(queued_at) FROM tickets WHERE day = ? AND state IN "
            "('waiting', 'transferred') GROUP BY business",
            (day,),
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    @staticmethod
    def events_after(db: sqlite3.Connection, seq: int, *, kinds: tuple[str, ...], limit: int) -> list[dict]:
        marks = ",".join("?" for _ in kinds)
        rows = db.execute(
            f"SELECT * FROM events WHERE seq > ? AND kind IN ({marks}) ORDER BY seq LIMIT ?", (seq, *kinds, limit)
        ).fetchall()
        return [dict(r) for r in rows]

    @staticmethod
    def recent_events(db: sqlite3.Connection, *, kinds: tuple[str, ...], limit: int) -> list[dict]:
        marks = ",".join("?" for _ in kinds)
        rows = db.execute(
            f"SELECT * FROM events WHERE kind IN ({marks}) ORDER BY seq DESC LIMIT ?", (*kinds, limit)
        ).fetchall()
        return [dict(r) for r in rows]

    @staticmethod
    def last_seq(db: sqlite3.Connection) -> int:
        return db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]

    @staticmethod
    def tickets_of_day(db: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
        return [
            _row_ticket(r)
            for r in db.execute("SELECT * FROM tickets WHERE day = ? ORDER BY issued_at, number", (day,)).fetchall()
        ]

    @staticmethod
    def days_with_tickets(db: sqlite3.Connection, *, after: str, before: str, limit: int) -> list[str]:
        """The days strictly between ``after`` and ``before`` that have tickets, oldest first."""
        rows = db.execute(
            "SELECT DISTINCT day FROM tickets WHERE day > ? AND day < ? ORDER BY day LIMIT ?", (after, before, limit)
        ).fetchall()
        return [r[0] for r in rows]

    @staticmethod
    def window_events_of_day(db: sqlite3.Connection, day: str) -> list[dict]:
        """Calls, walk-ins and transfers of the day's tickets, in order, with their window."""
        rows = db.execute(
            "SELECT e.ticket_id, e.kind, e.window_code FROM events e JOIN tickets t "
            "ON t.id = e.ticket_id WHERE t.day = ? AND e.kind IN ('call', 'recall', 'walk_in', "
            "'transfer') ORDER BY e.seq",
            (day,),
        ).fetchall()
        return [dict(r) for r in rows]


def _ticket(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return None if row is None else _row_ticket(row)


def _row_ticket(row: sqlite3.Row) -> dict[str, Any]:
    ticket = dict(row)
    ticket["priority"] = bool(ticket["priority"])
    ticket["resident"] = json.loads(ticket["resident"]) if ticket["resident"] else None
    return ticket
