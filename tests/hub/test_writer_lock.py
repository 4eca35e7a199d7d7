"""The SQLite hub's writers queue across processes (serve --workers, the admin commands):
a writer waits while another process writes, and goes on as soon as it is done."""

from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path

import pytest

from windowdesk.hub.storage.writer_lock import WriterLock

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the file lock is POSIX's flock")


def _write_for_a_while(database: str, holding, released) -> None:
    with WriterLock(Path(database)).held():
        holding.set()
        time.sleep(0.4)
        released.value = time.monotonic()


def test_a_writer_waits_for_another_process_writing(tmp_path: Path) -> None:
    database = tmp_path / "hub.sqlite3"
    context = multiprocessing.get_context("spawn")
    holding, released = context.Event(), context.Value("d", 0.0)
    other = context.Process(target=_write_for_a_while, args=(str(database), holding, released))
    other.start()
    try:
        assert holding.wait(30)
        lock = WriterLock(database)
        with lock.held():
            entered = time.monotonic()
        lock.close()
    finally:
        other.join(30)
    assert other.exitcode == 0
    assert released.value > 0
    assert entered >= released.value  # not before the other process was done


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    import threading

    lock = WriterLock(tmp_path / "hub.sqlite3")
    inside, most_inside = [0], [0]

    def write() -> None:
        for _ in range(50):
            with lock.held():
                inside[0] += 1
                most_inside[0] = max(most_inside[0], inside[0])
                time.sleep(0.0005)
                inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lock.close()
    assert most_inside[0] == 1
