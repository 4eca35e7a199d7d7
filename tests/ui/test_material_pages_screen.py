"""The scanned pages of a case on screen (offscreen Qt): the strip of thumbnails, adding
files and a SANE scan off the UI thread, turning, ordering, stamping, deleting, the large
view, the camera button without a camera, and a decided case shown but not changeable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.keystrokes import KeyCounter
from windowdesk.domain.case_state import CaseAction
from windowdesk.services import cases, material_pages
from windowdesk.services.worklist import get_record_detail
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

from ..materials.conftest import MATERIAL, accept_case, page_png, pdf_with_pages, write

WAIT_MS = 30_000


@pytest.fixture(autouse=True)
def sane_test_device(tmp_path, monkeypatch) -> str:
    """SANE with only its test backend: the dialog's look for scanners answers at once
    (network scanners are not searched for seconds while the dialog closes)."""
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    return "test:0"


def idle(qtbot, dialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy and dialog.view is not None, timeout=WAIT_MS)


def strip_pages(dialog) -> list[material_pages.PageView]:
    return [dialog.strip.item(row).data(Qt.ItemDataRole.UserRole) for row in range(dialog.strip.count())]


def test_pages_are_added_ordered_turned_stamped_and_deleted_from_the_case(qtbot, demo, tmp_path):
    case = accept_case(demo)
    details = RecordDetailDialog(
        get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id), "Asia/Shanghai", db=demo.db, ctx=demo.ctx
    )
    qtbot.addWidget(details)
    details.pages_button.click()
    dialog = details.pages_dialog
    idle(qtbot, dialog)
    assert dialog.material_code() == MATERIAL and dialog.strip.count() == 0
    # No camera on this machine: the button says so and cannot be pressed.
    assert dialog.camera_button.text() == "No camera connected" and not dialog.camera_button.isEnabled()

    dialog.add_files([write(tmp_path / "a.png", page_png("a")), write(tmp_path / "b.pdf", pdf_with_pages(2))])
    assert dialog.progress.isVisible() and not dialog.files_button.isEnabled()  # working, not frozen
    idle(qtbot, dialog)
    first, second, third = strip_pages(dialog)
    assert not dialog.strip.item(0).icon().isNull()
    assert "3 pages" in dialog.materials.currentItem().text()

    qtbot.waitUntil(lambda: dialog.scanner_box.currentData() == "test:0", timeout=WAIT_MS)
    dialog.scan_button.click()
    idle(qtbot, dialog)
    assert dialog.strip.count() == 4 and dialog.selected_page().page_id == dialog.last_scan.page_id

    dialog.strip.setCurrentRow(0)
    dialog.turn_button.click()
    idle(qtbot, dialog)
    assert strip_pages(dialog)[0].rotation == 90
    dialog.later_button.click()
    idle(qtbot, dialog)
    assert [p.page_id for p in strip_pages(dialog)][:3] == [second.page_id, first.page_id, third.page_id]
    assert dialog.selected_page().page_id == first.page_id
    dialog.check_button.click()
    idle(qtbot, dialog)
    assert dialog.selected_page().checked_at is not None and "checked" in dialog.strip.currentItem().text()
    assert not dialog.check_button.isEnabled()
    dialog.large_button.click()
    qtbot.waitUntil(lambda: dialog.page_dialog is not None, timeout=WAIT_MS)
    assert not dialog.page_dialog.picture.pixmap().isNull()
    dialog.page_dialog.close()
    dialog.delete_button.click()
    idle(qtbot, dialog)
    assert first.page_id not in [p.page_id for p in strip_pages(dialog)] and dialog.strip.count() == 3
    dialog.close()


def test_a_decided_case_shows_its_pages_but_changes_none(qtbot, demo):
    case = accept_case(demo)
    store = material_pages.open_page_store(demo.db)
    material_pages.add_image(demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, image=page_png("x"))
    cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.WITHDRAW, note="申请人撤回")
    from windowdesk.ui.materials.pages_dialog import MaterialPagesDialog

    dialog = MaterialPagesDialog(demo.db, demo.ctx, case_id=case.id)
    qtbot.addWidget(dialog)
    idle(qtbot, dialog)
    assert dialog.strip.count() == 1 and "decided" in dialog.status.text()
    buttons = (
        dialog.files_button,
        dialog.scan_button,
        dialog.turn_button,
        dialog.delete_button,
        dialog.check_button,
        dialog.earlier_button,
        dialog.later_button,
    )
    assert not any(button.isEnabled() for button in buttons)
    assert dialog.large_button.isEnabled()
    dialog.close()


def test_f7_opens_the_pages_of_the_case_just_accepted(qtbot, window, demo):
    keys = KeyCounter(qtbot)
    keys.press(Qt.Key.Key_F7)
    assert "No case has been accepted" in window.statusBar().currentMessage()
    keys.type("lnz")
    keys.press(Qt.Key.Key_Return)
    keys.type("0496")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    keys.press(Qt.Key.Key_F7)
    dialog = window.last_case_pages.dialog
    idle(qtbot, dialog)
    assert dialog.isVisible() and dialog.view.case_id == window.last_case_pages.case_id and dialog.view.can_change
    assert dialog.materials.count() == len(dialog.view.materials) > 0
    dialog.close()


def test_the_pages_dialog_is_placed_on_the_screen_by_qt_s_own_move(qtbot, demo):
    """Its page ordering is move_page(step): move() stays Qt's. Before, the ordering was
    named move and hid it, so placing the dialog (as ui/screen_fit.fit_on_screen places a
    window: move(x, y)) reached the ordering and failed."""
    case = accept_case(demo)
    details = RecordDetailDialog(
        get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id), "Asia/Shanghai", db=demo.db, ctx=demo.ctx
    )
    qtbot.addWidget(details)
    details.pages_button.click()
    dialog = details.pages_dialog
    idle(qtbot, dialog)
    dialog.move(40, 30)
    assert (dialog.x(), dialog.y()) == (40, 30)
