"""Whether a hub is serving this database, for the commands that must not run beside it
(restore: a serving hub would go on writing into the database being replaced).

``serve`` holds a shared ``flock`` on a file beside the SQLite database for as long as it
runs (for PostgreSQL, on a file in the data folder). On PostgreSQL it also holds a shared
advisory lock on a connection of its own, which a hub on another machine sees too. The
kernel drops a ``flock``, and PostgreSQL an advisory lock, when the process or its
connection ends, however it ends (SIGKILL included), so a crashed hub never leaves a
stale lock behind. A command that needs the hub stopped asks for both exclusively,
without waiting, and holds them until it is done (a hub starting meanwhile waits). Where
``fcntl`` does not exist (Windows) only PostgreSQL's lock can be asked for.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from windowdesk.hub.storage.database import SERVING_LOCK_KEY, sqlite_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE_NAME = "hub-serving.lock"


def lock_file(data_dir: Path, database_url: str) -> Path:
    database = sqlite_path(database_url)
    return Path(f"{database}-serving.lock") if database is not None else data_dir / LOCK_FILE_NAME


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def serving(lock: Path, database_url: str) -> Iterator[None]:
    """Held by ``serve`` until it stops."""
    with _file_lock(lock, exclusive=False) as held, _database_lock(database_url, exclusive=False):
        assert held
        yield


@contextlib.contextmanager
def stopped(lock: Path, database_url: str) -> Iterator[bool]:
    """Yields False when a hub serves this database now; else True, and no hub can start
    serving it until the block ends."""
    with _file_lock(lock, exclusive=True) as file_free:
        if not file_free:
            yield False
            return
        with _database_lock(database_url, exclusive=True) as database_free:
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


@contextlib.contextmanager
def _database_lock(database_url: str, *, exclusive: bool) -> Iterator[bool]:
    """PostgreSQL's advisory lock (session level: held until the connection closes); on
    SQLite there is none to take."""
    if sqlite_path(database_url) is not None or not database_url.startswith("postgresql"):
        yield True
        return
    engine = create_engine(database_url, poolclass=NullPool, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            if exclusive:
                held = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": SERVING_LOCK_KEY})
            else:
                connection.execute(text("SELECT pg_advisory_lock_shared(:key)"), {"key": SERVING_LOCK_KEY})
                held = True
            connection.commit()  # the lock outlives the transaction; nothing is left open
            yield bool(held)
    finally:
        engine.dispose()
