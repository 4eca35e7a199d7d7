"""Whether a hub is serving from this data folder, for the commands that must not run
beside it (restore: a serving hub would go on writing into the database being replaced).

``serve`` holds a shared ``flock`` on a file in the data folder for as long as it runs;
the kernel drops it when the process ends, however it ends (SIGKILL included), so a
crashed hub never leaves a stale lock behind. A command that needs the hub stopped asks
for the lock exclusively without waiting. Where ``fcntl`` does not exist (Windows) the
question cannot be asked and the commands' help says to stop the hub first.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE_NAME = "hub-serving.lock"


def _open(data_dir: Path) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    return os.open(data_dir / LOCK_FILE_NAME, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def serving(data_dir: Path) -> Iterator[None]:
    """Held by ``serve`` until it stops."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = _open(data_dir)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def stopped(data_dir: Path) -> Iterator[bool]:
    """Yields False when a hub serves from ``data_dir`` now; else True, and no hub can
    start serving from it until the block ends."""
    if fcntl is None:  # pragma: no cover - Windows
        yield True
        return
    fd = _open(data_dir)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
