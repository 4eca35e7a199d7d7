"""Small helpers for driving real widgets offscreen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def activate(qtbot, window) -> None:
    """Offscreen windows are not activated by show(); shortcuts need an active window."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def open_main_window(qtbot, demo, ctx=None):
    """The real main window on the demo database, shown and active."""
    from windowdesk.ui.main_window import MainWindow

    window = MainWindow(demo.db, ctx or demo.ctx, demo.calendar)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    return window


def type_text(qtbot, line_edit, text: str) -> None:
    """Keys for ASCII; Chinese arrives whole, as an input method commits it."""
    if text.isascii():
        qtbot.keyClicks(line_edit, text)
    elif hasattr(line_edit, "insertPlainText"):
        line_edit.insertPlainText(text)
    else:
        line_edit.insert(text)
