"""The fees screens through real widgets, offscreen: a payment with change, a void with a
supervisor's approval, a full day close, the open day next morning, a utility payment."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import activate, open_main_window, type_text
from windowdesk.printing.paper import DocumentKind
from windowdesk.services import dayclose, preferences, receipts
from windowdesk.services.intake import IntakeResult
from windowdesk.services.payments import pay_case_fee, pay_utility
from windowdesk.storage import models as m
from windowdesk.ui.main_window import MainWindow

from .conftest import CLERK_LOGIN, CLERK_PASSWORD, DEMO_SUPERVISOR, accept, at, cash, street


def open_window(qtbot, demo, ctx) -> MainWindow:
    return open_main_window(qtbot, demo, ctx)


def wait_preview(qtbot, view, kind: DocumentKind):
    qtbot.waitUntil(lambda: view.print_dialog is not None and view.print_dialog.pdf is not None, timeout=20000)
    preview = view.print_dialog
    assert preview.request.kind is kind
    preview.close()
    return preview


def test_payment_with_change_after_acceptance(qtbot, demo, clerk):
    window = open_window(qtbot, demo, clerk)
    case_id = accept(demo, clerk)
    window.intake.recordSaved.emit(_Accepted(case_id))  # as the intake screen does after 受理

    qtbot.keyClick(window, Qt.Key.Key_F8)  # collect the fee of the case just accepted
    dialog = window.fees.payment_dialog
    qtbot.waitUntil(dialog.isVisible)
    activate(qtbot, dialog)
    assert "Fixed fee" in dialog.lines_table.item(0, 3).text()
    assert dialog.total_label.text() == "Total: \u00a55.00"
    assert dialog.tender_box.method() == "cash" and dialog.collect_button.isEnabled()
    dialog.tender_box.tendered_edit.setFocus()
    qtbot.keyClicks(dialog.tender_box.tendered_edit, "3")
    assert dialog.tender_box.change_label.text() == "\u00a52.00 short"
    qtbot.keyClick(dialog.tender_box.tendered_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.tender_box.tendered_edit, "100")
    assert dialog.tender_box.change_label.text() == "\u00a595.00"
    qtbot.keyClick(dialog.tender_box.tendered_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert not dialog.isVisible() and dialog.payment.change_fen == 9500
    with demo.db.read() as session:
        receipt = session.get(m.Receipt, dialog.payment.receipt_id)
        assert (receipt.case_id, receipt.tendered_fen, receipt.change_fen) == (case_id, 10000, 9500)
        number = receipt.number
    preview = wait_preview(qtbot, window.fees, DocumentKind.FEE_RECEIPT)
    assert preview.request.number == number and not preview.request.reprint
    assert window.tabs.currentWidget() is not window.fees  # the operator stays where they were
    activate(qtbot, window)  # back from the receipt's preview
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # the list is read as it shows
    model = window.fees.receipts_view.receipts_model
    assert model.rowCount() == 1
    # The list names who paid and for which item, not only the case number.
    cells = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    with demo.db.read() as session:
        case = session.get(m.Case, case_id)
        item_name, case_number = session.get(m.CatalogItem, case.item_code).name, case.case_number
        payer = session.get(m.Receipt, dialog.payment.receipt_id).payer_name
    assert payer and payer in cells and item_name in cells and case_number in cells


def test_void_with_the_supervisors_credentials(qtbot, demo, clerk):
    paid = pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(500))
    window = open_window(qtbot, demo, clerk)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.fees
    table = window.fees.receipts_view.receipts_table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    dialog = window.fees.void_dialog
    qtbot.waitUntil(dialog.isVisible)
    activate(qtbot, dialog)
    assert paid.number in dialog.summary_label.text()
    assert QApplication.focusWidget() is dialog.reason_edit
    type_text(qtbot, dialog.reason_edit, "收费项目选错")
    # The operator's own credentials do not approve a void.
    qtbot.keyClicks(dialog.approval.login_edit, CLERK_LOGIN)
    qtbot.keyClicks(dialog.approval.password_edit, CLERK_PASSWORD)
    dialog.void_button.click()
    assert dialog.isVisible() and "not a supervisor" in dialog.error_label.text()
    assert dialog.approval.password_edit.text() == ""
    dialog.approval.login_edit.clear()
    qtbot.keyClicks(dialog.approval.login_edit, DEMO_SUPERVISOR.login)
    qtbot.keyClicks(dialog.approval.password_edit, DEMO_SUPERVISOR.password)
    qtbot.keyClick(dialog.approval.password_edit, Qt.Key.Key_Return)

    assert not dialog.isVisible() and dialog.voided.receipt_number == paid.number
    [entry] = receipts.receipts_of_day(demo.db, clerk)
    assert entry.voided and entry.void_number == "ZF-" + paid.number
    assert window.fees.receipts_view.receipts_model.data(
        window.fees.receipts_view.receipts_model.index(0, 7)
    ).startswith("Voided")
    preview = wait_preview(qtbot, window.fees, DocumentKind.VOID_SLIP)
    assert preview.request.number == entry.void_number


def test_full_day_close(qtbot, demo, clerk, monkeypatch):
    pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(1000))
    pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(500))
    from windowdesk.domain.fees import Tender

    pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=Tender("bank_card", reference="POS-88"))
    window = open_window(qtbot, demo, clerk)
    syncs: list[bool] = []
    monkeypatch.setattr(window.sync, "check", lambda: syncs.append(True))  # the hub is a network matter
    window.close_day_action.trigger()
    view = window.fees.dayclose_view
    assert window.fees.tabs.currentWidget() is view and QApplication.focusWidget() is view.counted_edit
    assert view.expected_label.text() == "\u00a510.00"
    totals = {view.totals_model.row(r)[0]: view.totals_model.row(r)[1:] for r in range(view.totals_model.rowCount())}
    assert totals["Cash"] == (2, 1000) and totals["Bank card"] == (1, 500)

    qtbot.keyClicks(view.counted_edit, "9")
    assert view.difference_label.text() == "Short by \u00a51.00 (短款)"  # not "-¥1.00" (issue 22)
    qtbot.keyClicks(view.approval.login_edit, DEMO_SUPERVISOR.login)
    qtbot.keyClicks(view.approval.password_edit, DEMO_SUPERVISOR.password)
    view.close_button.click()
    assert "explain" in view.error_label.text()
    assert dayclose.day_close_record(demo.db, clerk, day=dt.date(2026, 11, 25)) is None
    type_text(qtbot, view.explanation_edit, "少一元，已报中心负责人")
    qtbot.keyClicks(view.approval.password_edit, DEMO_SUPERVISOR.password)
    with qtbot.waitSignal(window.fees.dayClosed, timeout=5000) as closed:
        view.close_button.click()

    assert closed.args == [dt.date(2026, 11, 25)]
    record = dayclose.day_close_record(demo.db, clerk, day=dt.date(2026, 11, 25))
    assert (record.counted_cash_fen, record.difference_fen) == (900, -100)
    assert "Closed at" in view.result_label.text() and not view.counted_edit.isEnabled()
    assert syncs == [True], "the close starts the end-of-day sync"
    preview = wait_preview(qtbot, window.fees, DocumentKind.DAY_REPORT)
    assert preview.request.data.counted_cash_fen == 900


def test_an_open_day_is_shown_first_thing_next_morning(qtbot, demo, clerk):
    pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(500))
    window = open_window(qtbot, demo, at(clerk, "2026-11-26 08:05"))
    assert window.tabs.currentWidget() is window.fees
    view = window.fees.dayclose_view
    assert window.fees.tabs.currentWidget() is view and view.pending_label.isVisible()
    assert view.day == dt.date(2026, 11, 25) and "still open" in window.fees.notice_label.text()


def test_utility_payment_at_a_street_center_fills_in_the_known_payer(qtbot, demo, clerk):
    counter = street(clerk)
    pay_utility(
        demo.db,
        counter,
        utility="electricity",
        account_number="DL-5566",
        payer_name="李桂兰",
        period="2026-10",
        amount_fen=8800,
        tender=cash(10000),
        payee="国网七台河供电公司",
    )
    window = open_window(qtbot, demo, counter)
    utility = window.fees.utility_view
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    window.fees.tabs.setCurrentWidget(utility)
    utility.utility_combo.setCurrentIndex(utility.utility_combo.findData("electricity"))
    utility.account_edit.setFocus()
    qtbot.keyClicks(utility.account_edit, "DL-5566")
    qtbot.keyClick(utility.account_edit, Qt.Key.Key_Tab)
    assert utility.payer_edit.text() == "李桂兰" and utility.payee_edit.text() == "国网七台河供电公司"
    qtbot.keyClicks(utility.period_edit, "2026-11")
    qtbot.keyClicks(utility.amount_edit, "76.5")
    qtbot.keyClicks(utility.tender_box.tendered_edit, "80")
    assert utility.tender_box.change_label.text() == "\u00a53.50"
    qtbot.keyClick(utility.amount_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "JD0101-2026-000002" in utility.result_label.text(), utility.error_label.text()
    assert "\u00a53.50" in utility.result_label.text()
    wait_preview(qtbot, window.fees, DocumentKind.UTILITY_RECEIPT)


def test_city_hall_has_no_utility_screen(qtbot, demo, clerk):
    window = open_window(qtbot, demo, clerk)
    assert window.fees.utility_view is None


def _Accepted(case_id: str) -> IntakeResult:  # noqa: N802 - reads as the thing it makes
    """What the intake screen emits after an acceptance: the service's own result of kind "case"."""
    return IntakeResult("case", case_id, "")


@pytest.fixture(autouse=True)
def _preview_first(demo):
    """These tests read each receipt in its preview: a workstation that previews before
    printing (printing at once is the default, tests/ui/test_print_default.py)."""
    preferences.save_print_at_once(demo.db, False)


@pytest.fixture(autouse=True)
def _wait_for_print_jobs():
    """A preview renders on the print lane: let it finish before the widgets go."""
    yield
    from windowdesk.ui.printing.jobs import wait_for_jobs

    wait_for_jobs()
