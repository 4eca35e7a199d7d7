"""Locks the window after a quiet while: any key or mouse input restarts the count."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
DEFAULT_IDLE_MINUTES = 5


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, app: QObject, minutes: float = DEFAULT_IDLE_MINUTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle.emit)
        self.set_minutes(minutes)
        app.installEventFilter(self)
        self._app = app

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(int(minutes * 60_000))
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def detach(self) -> None:
        """For good (the window closes): no input is watched, and the count stops, so a
        closed window that is not yet destroyed never locks itself later."""
        self._app.removeEventFilter(self)
        self._timer.stop()
