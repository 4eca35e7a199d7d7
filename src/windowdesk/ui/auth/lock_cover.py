"""What a locked window shows: a plain cover over all of it, so no name, number or
amount can be read from the screen while the clerk is away (greying was not enough)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from windowdesk.i18n import _

COVER_COLOUR = QColor("#3c4043")


class LockCover(QWidget):
    """Lies over ``window`` (menus, tabs and status bar too) while shown; follows its size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, COVER_COLOUR)
        palette.setColor(QPalette.ColorRole.WindowText, QColor("white"))
        self.setPalette(palette)
        self.label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        self.label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.hide()
        window.installEventFilter(self)

    def cover(self) -> None:
        self.label.setText(_("This window is locked."))
        self.setGeometry(self._window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._window and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._window.rect())
        return False
