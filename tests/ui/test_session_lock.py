"""The idle lock, unlocking, and a second operator taking the window without losing
the first one's unsaved form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import activate, open_main_window
from windowdesk.services import auth
from windowdesk.services.bootstrap import DEMO_LOGIN, DEMO_PASSWORD


@pytest.fixture
def window(qtbot, demo):
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password="Start2026x"
    )
    first = auth.log_in(demo.db, login="li", password="Start2026x").ctx
    auth.change_password(demo.db, first, current="Start2026x", new="Better2026x")
    return open_main_window(qtbot, demo)


def _unlock_as(qtbot, window, login: str, password: str) -> None:
    dialog = window.lock_dialog
    dialog.login_edit.setText(login)
    dialog.password_edit.setText(password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def test_every_menu_has_a_title(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert all(titles) and "&Account" in titles
    assert window.lock_action.text() == "&Lock the window (Ctrl+L)"


def test_idle_window_locks_and_needs_the_password(qtbot, window):
    window.idle.set_minutes(0.002)  # about 120 ms
    qtbot.waitUntil(lambda: window.lock_dialog is not None, timeout=3000)
    assert not window.centralWidget().isEnabled()
    _unlock_as(qtbot, window, DEMO_LOGIN, "wrong-password1")
    assert window.lock_dialog is not None
    assert "wrong" in window.lock_dialog.error_label.text()
    qtbot.keyClick(window.lock_dialog, Qt.Key.Key_Escape)  # Escape does not unlock
    assert window.lock_dialog is not None and not window.centralWidget().isEnabled()
    _unlock_as(qtbot, window, DEMO_LOGIN, DEMO_PASSWORD)
    assert window.lock_dialog is None and window.centralWidget().isEnabled()


def test_a_closed_window_never_locks_itself_later(qtbot, window):
    """A closed main window may live on until it is collected; its idle count must not run
    on and open a lock dialog over nothing (it took the keys of the next window tested)."""
    window.idle.set_minutes(0.002)  # about 120 ms
    window.close()
    qtbot.wait(600)
    assert window.lock_dialog is None


def test_another_operator_takes_over_and_the_draft_comes_back(qtbot, window, demo):
    view = window.intake
    view.item_picker.query_edit.insert("老年证")
    view._choose_item(view.item_picker.current_code(), move_focus=False)
    view.applicant_picker.query_edit.insert("2309")
    view.applicant_picker._choose(view.applicant_picker.results.item(0))
    view.materials.mark(0, "correction", "照片不清")
    chosen = view.applicant_picker.chosen
    item_code = view.guide.code

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock_dialog is not None
    _unlock_as(qtbot, window, "li", "Better2026x")
    assert window.ctx.operator_name == "李明"
    assert "李明" in window.operator_label.text()
    assert view.guide is None and view.applicant_picker.chosen is None  # a clean form

    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    _unlock_as(qtbot, window, DEMO_LOGIN, DEMO_PASSWORD)
    assert window.ctx.operator_id == demo.ctx.operator_id
    assert view.guide is not None and view.guide.code == item_code
    assert view.applicant_picker.chosen == chosen
    assert view.materials.status_box(0).currentData() == "correction"
    assert view.materials.note_edit(0).text() == "照片不清"
