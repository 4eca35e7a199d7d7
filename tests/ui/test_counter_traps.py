"""Traps at the counter (issue 22, section 3), each driven through the real main window
with real key events. Every test here failed on 8337ede."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import accept_demo_case, open_main_window
from tests.ui.keystrokes import KeyCounter
from windowdesk.services import bootstrap

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_status_inquiry_shows_its_answer_after_enter(qtbot, window, demo):
    case = accept_demo_case(demo)
    keys = KeyCounter(qtbot)
    keys.press(Qt.Key.Key_F4)
    dialog = window.inquiry_dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog or dialog.isVisible(), timeout=3000)
    keys.type(case.number)
    keys.press(Qt.Key.Key_Return)  # what a barcode scanner sends
    assert dialog.isVisible(), "Enter must not close the inquiry"
    assert dialog.answer.text(), "the answer is shown"
    assert dialog.answer.styleSheet() == "", dialog.answer.text()
    keys.press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def _unlock_by_keys(qtbot, window, keys: KeyCounter) -> None:
    assert window.lock_dialog is not None
    keys.type(bootstrap.DEMO_PASSWORD)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lock_dialog is None, timeout=3000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def test_after_unlocking_the_focus_is_where_it_was(qtbot, window):
    keys = KeyCounter(qtbot)
    keys.type("sydj")
    keys.press(Qt.Key.Key_Return)  # on to the applicant box
    applicant_box = window.intake.applicant_picker.query_edit
    assert QApplication.focusWidget() is applicant_box
    keys.press(Qt.Key.Key_L, CTRL)
    _unlock_by_keys(qtbot, window, keys)
    assert QApplication.focusWidget() is applicant_box
    keys.type("0496")  # typing goes on at once, no click
    assert applicant_box.text() == "0496"


def test_after_the_idle_lock_the_keyboard_works_at_once(qtbot, window):
    keys = KeyCounter(qtbot)
    window.today.table.setFocus()
    window.tabs.setCurrentWidget(window.today)
    window.today.table.setFocus()
    window.idle.set_minutes(0.002)
    qtbot.waitUntil(lambda: window.lock_dialog is not None, timeout=3000)
    window.idle.set_minutes(5)
    _unlock_by_keys(qtbot, window, keys)
    assert QApplication.focusWidget() is window.today.table
    keys.press(Qt.Key.Key_F2)  # from another screen: the intake and its item search
    assert window.tabs.currentWidget() is window.intake
    assert QApplication.focusWidget() is window.intake.item_picker.query_edit


def test_the_intake_keys_work_wherever_the_focus_is_in_the_window(qtbot, window, demo):
    keys = KeyCounter(qtbot)
    keys.choose("sydj", "0496")  # the item by its initials, the applicant by the end of the ID
    window.tabs.tabBar().setFocus()  # where a click on the tab bar, or the old unlock, leaves it
    keys.press(Qt.Key.Key_M, CTRL)
    keys.press(Qt.Key.Key_Return, CTRL)
    assert "Accepted" in window.intake.result_label.text()
    window.tabs.setCurrentWidget(window.today)
    keys.press(Qt.Key.Key_F3)
    assert window.tabs.currentWidget() is window.intake
    assert QApplication.focusWidget() is window.intake.applicant_picker.query_edit


def _colours(image, rect) -> set[int]:
    step = 4
    return {
        image.pixel(x, y)
        for x in range(rect.left(), rect.right(), step)
        for y in range(rect.top(), rect.bottom(), step)
    }


def test_the_lock_screen_covers_the_names(qtbot, window, demo):
    keys = KeyCounter(qtbot)
    keys.choose("sydj", "0496")  # the item by its initials, the applicant by the end of the ID
    picker = window.intake.applicant_picker
    assert "王建国" in picker.chosen_label.text()
    keys.press(Qt.Key.Key_L, CTRL)
    image = window.grab().toImage()
    where = picker.chosen_label.rect().translated(
        picker.chosen_label.mapTo(window, picker.chosen_label.rect().topLeft())
    )
    assert _colours(image, where) == {QColor("#3c4043").rgb()}, "the applicant's name is covered"
    tabs = window.tabs.rect().translated(window.tabs.mapTo(window, window.tabs.rect().topLeft()))
    top = tabs.adjusted(0, 0, 0, -tabs.height() * 2 // 3)  # the item search, results, applicant box
    assert _colours(image, top) == {QColor("#3c4043").rgb()}, "nothing of the form shows through"
    _unlock_by_keys(qtbot, window, keys)
    assert not window.lock_cover.isVisible()


def test_the_id_number_leaves_the_search_box_once_the_applicant_is_chosen(qtbot, window):
    keys = KeyCounter(qtbot)
    keys.type("sydj")
    keys.press(Qt.Key.Key_Return)
    keys.type("230902196210010496")
    keys.press(Qt.Key.Key_Return)
    box = window.intake.applicant_picker.query_edit
    assert window.intake.applicant_picker.chosen.name == "王建国"
    assert box.text() == "230902********0496"
    assert "196210010496" not in box.text()


def test_the_refusal_dialog_opens_with_no_ground_chosen(qtbot, demo):
    from windowdesk.services.catalog import get_item_guide
    from windowdesk.ui.intake.refuse_dialog import RefuseDialog

    guide = get_item_guide(demo.db, item_code="MZ-001")
    assert guide.refusal_grounds, "the item has grounds to offer"
    dialog = RefuseDialog(guide.refusal_grounds, guide.legal_basis)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.reason_box, Qt.Key.Key_Return)
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.reason() == "" and "reason" in dialog.error_label.text()
    qtbot.keyClick(dialog.reason_box, Qt.Key.Key_Down)  # a deliberate choice
    assert dialog.reason() == guide.refusal_grounds[0]


def test_the_rating_dialog_names_the_case_and_enter_rates_nothing(qtbot, window, demo):
    keys = KeyCounter(qtbot)
    keys.choose("sydj", "0496")  # the item by its initials, the applicant by the end of the ID
    keys.press(Qt.Key.Key_M, CTRL)
    keys.press(Qt.Key.Key_Return, CTRL)
    keys.press(Qt.Key.Key_F6)
    panel = window.service_quality.rating_dialog.panel
    case = window.intake.last_result
    assert case.number in panel.case_label.text() and "王建国" in panel.case_label.text()
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_Enter)
    assert panel.answer.text() == "" and all(b.isEnabled() for b in panel.buttons.values()), "nothing rated"


def test_closing_the_window_mid_form_keeps_the_form_for_the_next_start(qtbot, window, demo):
    keys = KeyCounter(qtbot)
    keys.choose("sydj", "0496")  # the item by its initials, the applicant by the end of the ID
    keys.press(Qt.Key.Key_2)  # the first material missing
    window.close()
    again = open_main_window(qtbot, demo)
    try:
        view = again.intake
        assert view.guide is not None and "失业登记" in view.guide.name
        assert view.applicant_picker.chosen.name == "王建国"
        assert view.materials.status_box(0).currentData() == "missing"
        assert "is back" in view.result_label.text()
    finally:
        again.service_quality.close()
    third = open_main_window(qtbot, demo)  # given back once, not at every start
    assert third.intake.guide is None
    third.service_quality.close()


def test_after_the_day_close_a_fee_that_cannot_be_taken_is_said_before_accepting(qtbot, window, demo):
    from windowdesk.services import dayclose, worklist
    from windowdesk.services.approval import SupervisorCredentials

    dayclose.close_day(
        demo.db,
        demo.ctx,
        day=demo.ctx.local_today(),
        counted_cash_fen=0,
        supervisor=SupervisorCredentials(bootstrap.DEMO_LOGIN, bootstrap.DEMO_PASSWORD),
    )
    keys = KeyCounter(qtbot)
    keys.type("lnz")  # 老年证: a ¥5 fee
    keys.press(Qt.Key.Key_Return)
    label = window.intake.result_label
    assert label.isVisible() and "cannot be collected today" in label.text()
    keys.type("0496")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_M, CTRL)
    keys.press(Qt.Key.Key_Return, CTRL)
    assert worklist.list_day_work(demo.db, demo.ctx) == [], "not accepted on the first Ctrl+Enter"
    assert "again" in label.text()
    keys.press(Qt.Key.Key_Return, CTRL)
    assert [e.kind for e in worklist.list_day_work(demo.db, demo.ctx)] == ["case"]
    # An item without a fee is accepted as usual.
    keys.type("sydj")
    keys.press(Qt.Key.Key_Return)
    assert not label.isVisible(), "the previous applicant's result is gone"


def test_the_previous_applicants_result_goes_when_the_next_is_entered(qtbot, window, demo):
    keys = KeyCounter(qtbot)
    keys.choose("sydj", "0496")  # the item by its initials, the applicant by the end of the ID
    keys.press(Qt.Key.Key_M, CTRL)
    keys.press(Qt.Key.Key_Return, CTRL)
    label = window.intake.result_label
    assert label.isVisible() and "王建国" not in label.text()
    keys.type("lsjz")
    assert not label.isVisible()


def test_a_500_character_name_or_a_pasted_address_is_refused_in_plain_words(qtbot, window, demo):
    from PySide6.QtWidgets import QDialogButtonBox

    from windowdesk.domain.ids import resident_id_check_char
    from windowdesk.services import applicants
    from windowdesk.ui.intake.applicant_dialogs import RegisterResidentDialog

    first17 = "11010519560312123"
    number = first17 + resident_id_check_char(first17)
    dialog = RegisterResidentDialog(demo.db, demo.ctx, window, id_number=number)
    qtbot.addWidget(dialog)
    dialog.show()
    for typed, words in (("赵" * 500, "at most 30 characters"), ("赵桂兰\n七台河市新兴区兴华路12号", "one line")):
        dialog.name_edit.setText(typed)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.registered is None and words in dialog.error_label.text()
        assert dialog.width() < 1366
    assert applicants.find_residents(demo.db, demo.ctx, query=number) == [], "nothing saved"
    dialog.name_edit.setText("赵桂兰")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.registered is not None and dialog.registered.name == "赵桂兰"


def test_a_supervisor_starts_the_next_business_day_and_the_fee_is_taken_now(qtbot, window, demo):
    import pytest

    from windowdesk.domain.fees import CASH, Tender
    from windowdesk.errors import WindowdeskError
    from windowdesk.services import applicants, dayclose, intake, payments
    from windowdesk.services.approval import SupervisorCredentials
    from windowdesk.services.catalog import get_item_guide
    from windowdesk.storage import queries

    today = demo.ctx.local_today()
    dayclose.close_day(
        demo.db,
        demo.ctx,
        day=today,
        counted_cash_fen=0,
        supervisor=SupervisorCredentials(bootstrap.DEMO_LOGIN, bootstrap.DEMO_PASSWORD),
    )
    who = applicants.find_residents(demo.db, demo.ctx, query="230902196210010496")[0].ref
    guide = get_item_guide(demo.db, item_code="LL-001")
    case = intake.accept_case(
        demo.db,
        demo.ctx,
        item_code="LL-001",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )
    with pytest.raises(WindowdeskError):
        payments.pay_case_fee(demo.db, demo.ctx, case_id=case.id, quantities={}, tender=Tender(CASH, tendered_fen=500))

    keys = KeyCounter(qtbot)
    window.next_day_action.trigger()
    dialog = window.next_day_dialog
    keys.type(bootstrap.DEMO_LOGIN)
    keys.press(Qt.Key.Key_Tab)
    keys.type("wrong-password1")
    keys.press(Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error_label.text(), "a wrong password starts nothing"
    assert dayclose.business_day(demo.db, demo.ctx) == today
    keys.type(bootstrap.DEMO_PASSWORD)
    keys.press(Qt.Key.Key_Return)
    following = demo.calendar.add_working_days(today, 1)
    assert dialog.started == following and dayclose.business_day(demo.db, demo.ctx) == following
    assert dayclose.fee_warning_before_accepting(demo.db, demo.ctx, item_code="LL-001") is None

    paid = payments.pay_case_fee(
        demo.db, demo.ctx, case_id=case.id, quantities={}, tender=Tender(CASH, tendered_fen=500)
    )
    with demo.db.read() as session:
        receipt = queries.receipt_with_lines(session, paid.receipt_id)
        assert receipt.business_day == following
        started = [dict(e.detail) for e in queries.audit_entries(session) if e.action == "day.start_next"]
    assert started == [
        {"closed_day": today.isoformat(), "business_day": following.isoformat(), "supervisor": demo.ctx.operator_id}
    ]
