"""Long work off the UI thread. Workers get plain inputs (never widgets), a cancel
event and a progress sink; results come back to the UI thread through one signal.

Two lanes: a single-thread lane for local database jobs (SQLite has one writer) and a
small parallel lane for network work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("windowdesk.ui")


class _Relay(QObject):
    """Lives in the UI thread; signals emitted from a worker are queued to it."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[..., Any], relay: _Relay, cancel: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._cancel = cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._work(self._cancel, self._relay.progressed.emit)
        except BaseException as error:  # noqa: BLE001 - handed to the UI, which shows it; never swallowed
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


class Operation:
    """A running job: ``cancel()`` asks it to stop at its next check."""

    def __init__(self, relay: _Relay, cancel: threading.Event) -> None:
        self.relay = relay
        self._cancel = cancel
        self.finished = False

    def cancel(self) -> None:
        self._cancel.set()


class Workers:
    def __init__(self) -> None:
        self._database_lane = QThreadPool()
        self._database_lane.setMaxThreadCount(1)
        self._network_lane = QThreadPool()
        self._network_lane.setMaxThreadCount(4)
        self._running: set[Operation] = set()

    def start(
        self,
        work: Callable[[threading.Event, Callable[[Any], None]], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_progress: Callable[[Any], None] | None = None,
        lane: str = "network",
    ) -> Operation:
        relay = _Relay()
        cancel = threading.Event()
        operation = Operation(relay, cancel)
        self._running.add(operation)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            operation.finished = True
            self._running.discard(operation)
            callback(value)

        relay.succeeded.connect(lambda value: finish(on_success, value))
        relay.failed.connect(lambda error: finish(on_failure, error))
        if on_progress is not None:
            relay.progressed.connect(on_progress)
        pool = self._database_lane if lane == "database" else self._network_lane
        pool.start(_Job(work, relay, cancel))
        return operation

    def shutdown(self, timeout_ms: int = 5000) -> None:
        for operation in list(self._running):
            operation.cancel()
        self._database_lane.waitForDone(timeout_ms)
        self._network_lane.waitForDone(timeout_ms)
