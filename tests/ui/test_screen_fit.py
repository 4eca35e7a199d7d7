"""Every window and dialog fits the screens of a service hall (1366×768 and 1280×720,
with a taskbar): nothing of it, its buttons least of all, is off the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.every_window import SCREENS, client_room, every_window
from tests.ui.helpers import open_main_window
from windowdesk.services import preferences


def test_every_window_and_dialog_fits_both_screens(qtbot, demo):
    too_big = []
    for name, widget in every_window(demo):
        for screen, size in SCREENS.items():
            width, height = client_room(size)
            if widget.width() > width or widget.height() > height:
                too_big.append(f"{name} opens at {widget.width()}×{widget.height()}, larger than {screen}")
            hint = widget.minimumSizeHint()
            if hint.width() > width or hint.height() > height:
                too_big.append(f"{name} needs at least {hint.width()}×{hint.height()}, more than {screen}")
    assert not too_big, "\n".join(too_big)


def test_at_1280x720_the_decisions_and_the_status_bar_are_on_the_screen(qtbot, window):
    window.resize(*client_room(SCREENS["1280x720"]))
    QApplication.processEvents()
    room = window.rect()
    for widget in (
        window.intake.accept_button,
        window.intake.notify_button,
        window.intake.refuse_button,
        window.intake.print_button,
        window.statusBar(),
        window.network_label,
    ):
        where = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
        assert room.contains(where), f"{widget.objectName() or widget} is cut off at {where}"
        assert not widget.visibleRegion().isEmpty()


def test_the_main_window_remembers_its_size_and_maximised_state(qtbot, demo):
    first = open_main_window(qtbot, demo)
    room = first.screen().availableGeometry()
    size = (first.minimumSizeHint().width(), room.height() - 100)  # the offscreen test screen is small
    first.resize(*size)
    QApplication.processEvents()
    first.close()
    assert preferences.window_geometry(demo.db) != (None, False)
    second = open_main_window(qtbot, demo)
    second.restore_geometry()
    assert (second.width(), second.height()) == size and not second.isMaximized()
    second.showMaximized()
    QApplication.processEvents()
    second.close()
    assert preferences.window_geometry(demo.db)[1] is True
    third = open_main_window(qtbot, demo)
    third.restore_geometry()
    assert third.windowState() & third.windowState().WindowMaximized
    for main in (first, second, third):
        main.service_quality.close()
