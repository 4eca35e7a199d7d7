"""Whether a hub is serving this database, for the commands that must not run beside it
(restore: a serving hub would go on writing into the database being replaced).

``serve`` holds a shared ``flock`` on a file beside the SQLite database for as long as it
runs (for PostgreSQL, on a file in the data folder). On PostgreSQL it also holds a shared
advisory lock on a connection of its own, which a hub on another machine sees too; if
that connection is lost, the lock is taken again within ``LOCK_CHECK_SECONDS``. The
kernel drops a ``flock``, and PostgreSQL an advisory lock, when the process or its
connection ends, however it ends (SIGKILL included), so a crashed hub never leaves a
stale lock behind. A command that needs the hub stopped asks for both exclusively,
without waiting, and holds them until it is done (a hub starting meanwhile waits). Where
``fcntl`` does not exist (Windows) only PostgreSQL's lock can be asked for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from windowdesk.hub.storage.database import SERVING_LOCK_KEY, is_sqlite_url, sqlite_path
from windowdesk.hub.storage.private_files import private_folder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE_NAME = "hub-serving.lock"
LOCK_CHECK_SECONDS = 5.0

log = logging.getLogger(__name__)


def lock_file(data_dir: Path, database_url: str) -> Path:
    database = sqlite_path(database_url)
    return Path(f"{database}-serving.lock") if database is not None else data_dir / LOCK_FILE_NAME


def _open(path: Path) -> int:
    private_folder(path.parent)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def serving(lock: Path, database_url: str) -> Iterator[None]:
    """Held by ``serve`` until it stops."""
    with _file_lock(lock, exclusive=False) as held:
        assert held
        if is_sqlite_url(database_url):
            yield
            return
        keeper = _SharedLockKeeper(database_url)
        try:
            yield
        finally:
            keeper.close()


@contextlib.contextmanager
def stopped(lock: Path, database_url: str) -> Iterator[bool]:
    """Yields False when a hub serves this database now; else True, and no hub can start
    serving it until the block ends."""
    with _file_lock(lock, exclusive=True) as file_free:
        if not file_free:
            yield False
            return
        with _exclusive_database_lock(database_url) as database_free:
            yield database_free


@contextlib.contextmanager
def _file_lock(lock: Path, *, exclusive: bool) -> Iterator[bool]:
    if fcntl is None:  # pragma: no cover - Windows
        yield True
        return
    fd = _open(lock)
    try:
        if not exclusive:
            fcntl.flock(fd, fcntl.LOCK_SH)
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
        yield True
    finally:
        os.close(fd)


def _engine(database_url: str) -> Engine:
    return create_engine(database_url, poolclass=NullPool, connect_args={"connect_timeout": 10})


@contextlib.contextmanager
def _exclusive_database_lock(database_url: str) -> Iterator[bool]:
    """The exclusive advisory lock on PostgreSQL, without waiting (session level: held until
    the connection closes); on SQLite there is none to take."""
    if is_sqlite_url(database_url):
        yield True
        return
    engine = _engine(database_url)
    try:
        with engine.connect() as connection:
            held = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": SERVING_LOCK_KEY})
            connection.commit()  # the lock outlives the transaction; nothing is left open
            yield bool(held)
    finally:
        engine.dispose()


class _SharedLockKeeper:
    """The shared advisory lock of a serving hub, on a connection of its own, taken again
    if that connection is lost (a database restart, a cut network): a look every
    :data:`LOCK_CHECK_SECONDS`."""

    def __init__(self, database_url: str) -> None:
        self._engine = _engine(database_url)
        self._connection: Connection | None = None
        self._stop = threading.Event()
        self._take()  # before serving: a database that cannot be reached stops the start
        self._thread = threading.Thread(target=self._keep, name="windowdesk-serving-lock", daemon=True)
        self._thread.start()

    def _take(self) -> None:
        connection = self._engine.connect()
        connection.execute(text("SELECT pg_advisory_lock_shared(:key)"), {"key": SERVING_LOCK_KEY})
        connection.commit()
        self._connection = connection

    def _keep(self) -> None:
        while not self._stop.wait(LOCK_CHECK_SECONDS):
            if self._connection is not None:
                try:
                    self._connection.execute(text("SELECT 1"))
                    self._connection.commit()
                    continue
                except DBAPIError:
                    log.warning("the serving lock's connection to the database was lost; taking the lock again")
                    self._drop()
            try:
                self._take()
            except DBAPIError:
                log.warning("the serving lock could not be taken again; trying again in %s s", LOCK_CHECK_SECONDS)

    def _drop(self) -> None:
        """Forgets the lost connection (a reconnected one would hold no lock)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        with contextlib.suppress(Exception):
            connection.invalidate()
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=LOCK_CHECK_SECONDS + 15)
        if self._connection is not None:
            self._drop()  # closing it lets the lock go
        self._engine.dispose()
