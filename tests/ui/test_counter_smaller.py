"""The smaller traps of issue 22, section 3, through the real widgets."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.keystrokes import KeyCounter
from windowdesk.domain.fees import CASH, Tender
from windowdesk.i18n import set_locale
from windowdesk.services import applicants, cases, intake, payments
from windowdesk.services.catalog import get_item_guide
from windowdesk.ui.fees.dayclose_view import difference_words

CTRL = Qt.KeyboardModifier.ControlModifier


def _fee_case(demo, ctx=None):
    ctx = ctx or demo.ctx
    who = applicants.find_residents(demo.db, demo.ctx, query="230902196210010496")[0].ref
    guide = get_item_guide(demo.db, item_code="LL-001")
    return intake.accept_case(
        demo.db,
        ctx,
        item_code="LL-001",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )


def test_overdue_reads_as_words_not_a_minus_sign():
    assert cases.working_days_left_words(-7) == "overdue 7 working days"
    assert cases.working_days_left_words(0) == "due today"
    assert cases.working_days_left_words(1) == "1 working day"
    set_locale("zh_CN")
    try:
        assert cases.working_days_left_words(-7) == "超期 7 个工作日"
    finally:
        set_locale("en")


def test_a_cash_shortage_is_called_short_not_a_negative_amount():
    assert difference_words(-500) == "Short by ¥5.00 (短款)"
    assert difference_words(300) == "Over by ¥3.00 (长款)"
    assert "-" not in difference_words(-500)


def test_the_fee_reminder_goes_once_the_fee_is_paid_and_a_payment_error_once_corrected(qtbot, window, demo):
    keys = KeyCounter(qtbot)
    keys.type("lnz")
    keys.press(Qt.Key.Key_Return)
    keys.type("0496")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_M, CTRL)
    keys.press(Qt.Key.Key_Return, CTRL)
    assert "F8" in window.statusBar().currentMessage()
    keys.press(Qt.Key.Key_F8)
    dialog = window.fees.payment_dialog
    keys.type("3")  # less than the ¥5.00 due
    keys.press(Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error_label.text(), "too little cash is refused"
    keys.press(Qt.Key.Key_Backspace)
    assert dialog.error_label.text() == "", "the error goes as the amount is corrected"
    keys.type("5")
    keys.press(Qt.Key.Key_Return)
    assert dialog.payment is not None
    assert "F8" not in window.statusBar().currentMessage()


def test_the_next_morning_the_day_close_banner_shows_once(qtbot, window, demo):
    yesterday = dataclasses.replace(demo.ctx, clock=lambda: demo.ctx.now() - dt.timedelta(days=1))
    case = _fee_case(demo, yesterday)
    payments.pay_case_fee(demo.db, yesterday, case_id=case.id, quantities={}, tender=Tender(CASH, tendered_fen=500))
    window.show_day_close()
    QApplication.processEvents()
    banners = [
        label for label in (window.fees.notice_label, window.fees.dayclose_view.pending_label) if label.isVisible()
    ]
    assert len(banners) == 1
    window.fees.tabs.setCurrentWidget(window.fees.receipts_view)
    assert window.fees.notice_label.isVisible(), "elsewhere in the fees the banner still says it"


def test_the_login_box_names_the_center_and_the_window(qtbot, demo):
    from windowdesk.ui.auth.login_dialog import LoginDialog

    dialog = LoginDialog(demo.db)
    qtbot.addWidget(dialog)
    assert demo.ctx.center_name in dialog.place_label.text()
    assert f"window {demo.ctx.window_code}" in dialog.place_label.text()


def test_the_title_bar_speaks_chinese(qtbot, window):
    from windowdesk.ui.application import apply_language

    apply_language(QApplication.instance(), "zh_CN")
    try:
        window.retranslate()
        title = window.windowTitle()
        assert window.ctx.center_name in title and "号窗口" in title
        assert not any("a" <= c.lower() <= "z" for c in title), title
    finally:
        apply_language(QApplication.instance(), "en")
        window.retranslate()


def test_todays_work_says_which_fees_are_paid(qtbot, window, demo):
    from windowdesk.services import worklist

    unpaid = _fee_case(demo)
    paid = _fee_case(demo)
    payments.pay_case_fee(demo.db, demo.ctx, case_id=paid.id, quantities={}, tender=Tender(CASH, tendered_fen=500))
    who = applicants.find_residents(demo.db, demo.ctx, query="230902196210010496")[0].ref
    guide = get_item_guide(demo.db, item_code="LB-002")
    free = intake.accept_case(
        demo.db,
        demo.ctx,
        item_code="LB-002",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )
    fees = {e.number: e.fee for e in worklist.list_day_work(demo.db, demo.ctx)}
    assert fees == {unpaid.number: "Unpaid", paid.number: "Paid", free.number: ""}
    window.tabs.setCurrentWidget(window.today)
    model = window.today.model
    assert model.headerData(6, Qt.Orientation.Horizontal) == "Fee"
    assert {model.index(row, 2).data(): model.index(row, 6).data() for row in range(model.rowCount())} == fees
