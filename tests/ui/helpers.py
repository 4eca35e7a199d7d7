"""Small helpers for driving real widgets offscreen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def activate(qtbot, window) -> None:
    """Offscreen windows are not activated by show(); shortcuts need an active window."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
