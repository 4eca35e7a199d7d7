"""The background lane for rendering and printing.

One worker thread, shared by every preview: PDFium must not run twice at once, and a
printer takes one job at a time anyway. Workers get plain inputs (bytes, a QPrinter no
widget touches meanwhile) and hand results back through a signal, which Qt delivers on
the GUI thread; a worker never touches a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_lane: QThreadPool | None = None
_pending: set[_Signals] = set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - handed to the GUI, which shows it; never swallowed
            self._signals.failed.emit(error)
            return
        self._signals.done.emit(result)


def print_lane() -> QThreadPool:
    global _lane
    if _lane is None:
        _lane = QThreadPool()
        _lane.setMaxThreadCount(1)
    return _lane


def run_in_background(
    work: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]
) -> None:
    """Run ``work`` on the print lane; ``on_done(result)`` or ``on_failed(error)`` on the GUI thread.

    Connect methods of QObjects (dialogs): when the dialog is gone by the time the job
    ends, Qt drops the delivery instead of calling into a deleted widget.
    """
    signals = _Signals()
    _pending.add(signals)  # the signal object must outlive the job

    def finish() -> None:
        _pending.discard(signals)

    signals.done.connect(on_done)
    signals.failed.connect(on_failed)
    signals.done.connect(finish)
    signals.failed.connect(finish)
    print_lane().start(_Job(work, signals))


def wait_for_jobs(msecs: int = 30_000) -> bool:
    """Block until the lane is idle (for shutdown and tests)."""
    return print_lane().waitForDone(msecs)
