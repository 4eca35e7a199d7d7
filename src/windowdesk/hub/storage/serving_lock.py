"""Whether a hub is serving this database, for the commands that must not run beside it
(restore: a serving hub would go on writing into the database being replaced).

``serve`` holds a shared ``flock`` on a file beside the SQLite database for as long as it
runs (for PostgreSQL, on a file in the data folder: the database server may be another
machine, the hub's processes run on this one). The kernel drops the lock when the
process ends, however it ends (SIGKILL included), so a crashed hub never leaves a stale
lock behind. A command that needs the hub stopped asks
for the lock exclusively without waiting. Where ``fcntl`` does not exist (Windows) the
question cannot be asked and the commands' help says to stop the hub first.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from windowdesk.hub.storage.database import sqlite_path

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
def serving(lock: Path) -> Iterator[None]:
    """Held by ``serve`` until it stops."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = _open(lock)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def stopped(lock: Path) -> Iterator[bool]:
    """Yields False when a hub serves the database of ``lock`` now; else True, and no hub
    can start serving it until the block ends."""
    if fcntl is None:  # pragma: no cover - Windows
        yield True
        return
    fd = _open(lock)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
