"""A search box over a result list: Up, Down, Page Up and Page Down typed in the box move
the list's highlight, so the clerk never leaves the box to pick the second entry."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidget

MOVING_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


class _ArrowsToList(QObject):
    def __init__(self, edit: QLineEdit, results: QListWidget) -> None:
        super().__init__(edit)
        self._results = results

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)  # what Qt hands over for a KeyPress
            and event.key() in MOVING_KEYS
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and self._results.count()
        ):
            QApplication.sendEvent(self._results, event)
            return True
        return False


def arrows_move_results(edit: QLineEdit, results: QListWidget) -> None:
    edit.installEventFilter(_ArrowsToList(edit, results))
