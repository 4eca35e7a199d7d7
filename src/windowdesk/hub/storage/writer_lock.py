"""The SQLite hub's writers, one at a time, across every process serving the file.

SQLite itself lets one writer in and makes the others retry on a timer (its busy
handler sleeps 1, 2, 5 … 100 ms between tries), which is fair neither in order nor in
time: with several hub processes a push could wait a whole sleep after the writer before
it was done. Writers here queue instead: threads of one process on a lock, processes on
an exclusive ``flock`` of a file beside the database, which the kernel hands to the next
waiter the moment it is released. Where ``fcntl`` does not exist (Windows) only the
in-process lock is taken and SQLite's own retries do the rest.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    def __init__(self, database_file: Path | None) -> None:
        self._threads = threading.Lock()
        self._path = None if database_file is None or fcntl is None else Path(f"{database_file}-writer.lock")
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            if self._path is None:
                yield
                return
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
