"""The thread that polls the ID card reader while the main window is open.

It owns the reader (vendor libraries are not made to be called from several threads)
and hands what happened to the UI thread through one queued signal; it never touches a
widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from windowdesk.devices.idcard import CardReader
from windowdesk.devices.idcard.watch import CardWatch

POLL_SECONDS = 0.5


class CardReaderThread(QThread):
    """Emits ``happened(event)`` with the events of :mod:`windowdesk.devices.idcard.watch`."""

    happened = Signal(object)

    def __init__(self, make_reader: Callable[[], CardReader], *, interval: float = POLL_SECONDS) -> None:
        super().__init__()
        self._make_reader = make_reader
        self._interval = interval
        self._stop = threading.Event()
        self.setObjectName("cardReaderThread")

    def run(self) -> None:
        watch = CardWatch(self._make_reader)
        try:
            while not self._stop.is_set():
                for event in watch.step():
                    self.happened.emit(event)
                self._stop.wait(self._interval)
        finally:
            watch.close()

    def stop(self, timeout_ms: int = 5000) -> None:
        self._stop.set()
        self.wait(timeout_ms)
