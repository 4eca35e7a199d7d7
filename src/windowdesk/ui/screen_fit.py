"""Windows and dialogs no larger than the screen they open on: service-hall PCs have
1366×768 or 1280×720 screens with a taskbar, where a dialog taller than that hides its
buttons below the screen's edge."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

# Room for the title bar and the window frame, which the available geometry still holds.
FRAME_ALLOWANCE = (16, 40)


def fit_on_screen(widget: QWidget) -> None:
    """Shrink ``widget`` (never below its minimum) to the screen's available area."""
    screen = widget.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    width = min(widget.width(), room.width() - FRAME_ALLOWANCE[0])
    height = min(widget.height(), room.height() - FRAME_ALLOWANCE[1])
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, widget.minimumWidth()), max(height, widget.minimumHeight()))
    frame = widget.frameGeometry()
    if not room.contains(frame):
        widget.move(
            max(room.left(), min(frame.left(), room.right() - frame.width())),
            max(room.top(), min(frame.top(), room.bottom() - frame.height())),
        )
