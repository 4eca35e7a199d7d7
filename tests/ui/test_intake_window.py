"""Drive a whole intake through the real widgets, offscreen, on a real SQLite file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.ui.helpers import type_text
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import worklist
from windowdesk.ui.intake.applicant_dialogs import RegisterResidentDialog
from windowdesk.ui.intake.refuse_dialog import RefuseDialog


def _valid_id(birth: str = "19560312", seq: str = "123") -> str:
    first17 = "110105" + birth + seq
    return first17 + resident_id_check_char(first17)


def _choose_item(qtbot, window, typed: str, expected_name_part: str) -> None:
    view = window.intake
    view.item_picker.query_edit.setFocus()
    type_text(qtbot, view.item_picker.query_edit, typed)
    first = view.item_picker.results.item(0)
    assert first is not None, f"nothing found for {typed!r}"
    assert expected_name_part in first.text()
    qtbot.keyClick(view.item_picker.query_edit, Qt.Key.Key_Return)
    assert view.guide is not None and expected_name_part in view.guide.name
    assert QApplication.focusWidget() is view.applicant_picker.query_edit


def _register_resident_via_dialog(qtbot, window, monkeypatch, id_number: str, name: str) -> None:
    """Open the real register dialog from the applicant box and fill it by keyboard."""
    view = window.intake

    def fill_and_accept(dialog: RegisterResidentDialog):
        type_text(qtbot, dialog.name_edit, name)
        qtbot.keyClicks(dialog.phone_edit, "13900001111")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(RegisterResidentDialog, "exec", fill_and_accept)
    view.applicant_picker.query_edit.setFocus()
    qtbot.keyClicks(view.applicant_picker.query_edit, id_number)
    assert view.applicant_picker.results.count() == 0
    qtbot.keyClick(view.applicant_picker.query_edit, Qt.Key.Key_Return)  # nobody: register
    assert view.applicant_picker.chosen is not None
    assert view.applicant_picker.chosen.name == name


def test_full_intake_by_keyboard_accepts_a_case(qtbot, window, monkeypatch, demo):
    db, ctx = demo.db, demo.ctx
    view = window.intake
    assert window.tabs.currentWidget() is view, "the app opens on the intake screen"
    assert "Offline" in window.network_label.text()
    assert ctx.operator_name in window.operator_label.text()

    _choose_item(qtbot, window, "lnz", "老年证")
    _register_resident_via_dialog(qtbot, window, monkeypatch, _valid_id(), "赵桂兰")
    assert view.accept_button.isEnabled()

    # Accept with an unmarked material: refused with the names, nothing saved.
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert view.result_label.isVisible()
    assert "Not yet marked" in view.result_label.text()
    assert worklist.list_day_work(db, ctx) == []

    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # all received
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Accepted" in view.result_label.text()
    entries = worklist.list_day_work(db, ctx)
    assert [e.kind for e in entries] == ["case"]
    assert entries[0].number in view.result_label.text()
    # The form is ready for the next applicant.
    assert view.guide is None and view.applicant_picker.chosen is None
    # Today's work shows it.
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.today
    assert window.today.model.rowCount() == 1
    assert window.today.model.entry(0).number == entries[0].number
    assert "1 accepted" in window.today.summary_label.text()


def test_missing_material_gives_one_time_notification(qtbot, window, monkeypatch, demo):
    db, ctx = demo.db, demo.ctx
    view = window.intake
    _choose_item(qtbot, window, "最低生活", "最低生活保障")
    _register_resident_via_dialog(qtbot, window, monkeypatch, _valid_id("19700101", "456"), "钱建国")
    table = view.materials
    assert table.rowCount() >= 2
    table.mark_all_received()
    table.mark(0, "missing")
    table.mark(1, "correction", "复印件不清晰")
    marked = [table.item(0, 0).text(), table.item(1, 0).text()]
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert "One-time notification" in view.result_label.text()
    [entry] = worklist.list_day_work(db, ctx)
    assert entry.kind == "notification" and entry.number.startswith("GZ-CH-")
    detail = worklist.get_record_detail(db, ctx, kind="notification", record_id=entry.id)
    assert [line[0] for line in detail.lines] == marked
    assert [line[1] for line in detail.lines] == ["Missing", "Needs correction"]
    assert detail.lines[1][2] == "复印件不清晰"


def test_refusal_through_dialog(qtbot, window, monkeypatch, demo):
    db, ctx = demo.db, demo.ctx
    view = window.intake
    _choose_item(qtbot, window, "hkq", "户口")
    _register_resident_via_dialog(qtbot, window, monkeypatch, _valid_id("19881231", "789"), "孙丽")

    def answer(dialog: RefuseDialog):
        assert dialog.legal_basis(), "the item's legal basis is filled in"
        dialog.reason_box.setEditText("申请人不属于本辖区常住户口")
        dialog._check()
        return dialog.result()

    monkeypatch.setattr(RefuseDialog, "exec", answer)
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert "Refusal" in view.result_label.text()
    [entry] = worklist.list_day_work(db, ctx)
    assert entry.kind == "refusal" and entry.number.startswith("BY-CH-")


def test_wrong_id_number_is_explained_and_nothing_saved(qtbot, demo):
    db, ctx = demo.db, demo.ctx
    dialog = RegisterResidentDialog(db, ctx, id_number=_valid_id()[:-1] + ("0" if _valid_id()[-1] != "0" else "1"))
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.name_edit, "李四")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.registered is None
    assert "ID number" in dialog.error_label.text()
    assert dialog.id_edit.hasFocus() or not dialog.isVisible()
