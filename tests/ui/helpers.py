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


def accept_demo_case(demo, when=None):
    """A case of the first demo resident for 老年证 (MZ-001), every material received;
    accepted now, or at ``when`` (an aware datetime)."""
    import dataclasses

    from windowdesk.services import applicants, intake
    from windowdesk.services.catalog import get_item_guide

    ctx = demo.ctx if when is None else dataclasses.replace(demo.ctx, clock=lambda: when)
    who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
    guide = get_item_guide(demo.db, item_code="MZ-001")
    return intake.accept_case(
        demo.db,
        ctx,
        item_code="MZ-001",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )


def fill_suspension(qtbot, kind: str, reason: str) -> None:
    """When the suspension dialog comes up (modal), choose ``kind``, type ``reason``, press OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    from windowdesk.ui.cases.actions import SuspensionDialog

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SuspensionDialog), dialog
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(kind))
        type_text(qtbot, dialog.reason, reason)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)
