"""The fees tab (收费): today's fees and receipts, utility payments at street centers, and
the day's close. It opens the payment and void dialogs and prints what they produce.

Signals for the main window: ``paymentTaken``, ``receiptVoided`` (sync soon) and
``dayClosed(date)`` (run the end-of-day sync).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from windowdesk.errors import ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import dayclose, documents, fees, payments
from windowdesk.services.context import CounterContext, Database
from windowdesk.services.receipts import ReceiptEntry
from windowdesk.ui.errors import show_error
from windowdesk.ui.fees.dayclose_view import BANNER_STYLE, DayCloseView
from windowdesk.ui.fees.payment_dialog import PaymentDialog
from windowdesk.ui.fees.receipts_view import ReceiptsView
from windowdesk.ui.fees.utility_view import UtilityPaymentView
from windowdesk.ui.fees.void_dialog import VoidDialog
from windowdesk.ui.object_names import named
from windowdesk.ui.printing.direct import print_document

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QShowEvent

    from windowdesk.printing.data import DocumentData
    from windowdesk.services.receipts import VoidResult
    from windowdesk.ui.printing.direct import DirectPrint
    from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog


class FeesView(QWidget):
    paymentTaken = Signal(object)  # PaymentResult
    receiptVoided = Signal(object)  # VoidResult
    dayClosed = Signal(object)  # the closed date

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.last_case_id: str | None = None  # the last case accepted here, for F8
        self.payment_dialog: PaymentDialog | None = None
        self.void_dialog: VoidDialog | None = None
        self.print_dialog: DirectPrint | PrintPreviewDialog | None = None
        self.notice_label = named(QLabel(), "feesNotice")
        self.notice_label.setStyleSheet(BANNER_STYLE)
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()  # until a read finds a day left open (refresh)
        self.receipts_view = ReceiptsView(db, ctx)
        self.dayclose_view = DayCloseView(db, ctx)
        # Only street centers collect for utilities; the service refuses elsewhere too.
        self.utility_view = UtilityPaymentView(db, ctx) if payments.takes_utility_payments(db, ctx) else None
        self.tabs = named(QTabWidget(), "feesTabs")
        self.tabs.addTab(self.receipts_view, "")
        if self.utility_view is not None:
            self.tabs.addTab(self.utility_view, "")
        self.tabs.addTab(self.dayclose_view, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.tabs)
        self.receipts_view.collectRequested.connect(self.collect_fee)
        self.receipts_view.voidRequested.connect(self.void_receipt)
        self.receipts_view.reprintRequested.connect(lambda entry: self.print_receipt(entry.id, reprint=True))
        if self.utility_view is not None:
            self.utility_view.paymentTaken.connect(self._paid)
        self.dayclose_view.dayClosed.connect(self._day_closed)
        self.dayclose_view.print_button.clicked.connect(lambda: self.print_day_report(self.dayclose_view.day))
        self.tabs.currentChanged.connect(lambda _index: self.refresh())
        self.retranslate()
        # Nothing read yet: the lists are read when the tab comes into view (showEvent).

    def retranslate(self) -> None:
        """The fixed words only: whoever switches the language refreshes the lists after
        (the main window does), so the tables are read once, not once here and once there."""
        self.tabs.setTabText(self.tabs.indexOf(self.receipts_view), _("Fees and receipts"))
        if self.utility_view is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.utility_view), _("Utility payments"))
            self.utility_view.retranslate()
        self.tabs.setTabText(self.tabs.indexOf(self.dayclose_view), _("Day close"))
        self.receipts_view.retranslate()
        self.dayclose_view.retranslate()

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx
        for view in (self.receipts_view, self.dayclose_view, self.utility_view):
            if view is not None:
                view.set_context(ctx)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not event.spontaneous():  # brought forward, not the window restored from the task bar
            self._read()

    def refresh(self) -> None:
        """Read the lists again if they are on screen; hidden, they are read when next shown."""
        if self.isVisible():
            self._read()

    def _read(self) -> None:
        self.receipts_view.refresh()
        self.dayclose_view.refresh()
        waiting = self.pending_day()
        # Said once: the day close screen says it itself when it is showing.
        self.notice_label.setVisible(waiting is not None and self.tabs.currentWidget() is not self.dayclose_view)
        if waiting is not None:
            self.notice_label.setText(
                _("The till of {day} is still open: close that day (Day close) before taking payments.").format(
                    day=on_screen(waiting)
                )
            )

    def pending_day(self) -> dt.date | None:
        try:
            return dayclose.day_waiting_for_close(self._db, self._ctx)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return None

    def show_day_close(self) -> None:
        self.tabs.setCurrentWidget(self.dayclose_view)
        self.dayclose_view.focus_count()

    # --- fees -------------------------------------------------------------------------

    def case_accepted(self, case_id: str) -> bool:
        """Remember the case for "collect the fee" (F8). True when it owes a fee, or one that
        depends on a quantity still to be entered."""
        self.last_case_id = case_id
        if self.isVisible():  # hidden, the list is read when next shown
            self.receipts_view.refresh()
        try:
            quote = fees.quote_case_fee(self._db, self._ctx, case_id=case_id)
        except WindowdeskError:
            return False  # e.g. this operator takes no payments: F8 says why when pressed
        return quote.computation is None or quote.computation.total_fen > 0

    def collect_last_case_fee(self) -> None:
        if self.last_case_id is not None:
            self.collect_fee(self.last_case_id)
        else:
            self.tabs.setCurrentWidget(self.receipts_view)
            self.receipts_view.due_table.setFocus()

    def collect_fee(self, case_id: str) -> None:
        try:
            dialog = PaymentDialog(self._db, self._ctx, case_id, self)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.payment_dialog = dialog

        def paid() -> None:
            if dialog.payment is not None:  # set before the dialog accepts
                self._case_paid(case_id, dialog.payment)

        dialog.accepted.connect(paid)
        dialog.open()

    def _case_paid(self, case_id: str, result: payments.PaymentResult) -> None:
        if case_id == self.last_case_id:
            self.last_case_id = None  # F8 has nothing left to collect
        self._paid(result)

    def _paid(self, result: payments.PaymentResult) -> None:
        self.refresh()
        self.receipts_view.select_receipt(result.number)
        self.paymentTaken.emit(result)
        self.print_receipt(result.receipt_id, reprint=False)

    # --- voids and printing ---------------------------------------------------------

    def void_receipt(self, entry: ReceiptEntry) -> None:
        if entry.voided:
            show_error(self, _void_twice(entry))
            return
        dialog = VoidDialog(self._db, self._ctx, entry, self)
        self.void_dialog = dialog

        def voided() -> None:
            if dialog.voided is not None:  # set before the dialog accepts
                self._voided(dialog.voided)

        dialog.accepted.connect(voided)
        dialog.open()

    def _voided(self, result: VoidResult) -> None:
        self.refresh()
        self.receiptVoided.emit(result)
        self._preview(lambda: documents.void_slip_data(self._db, self._ctx, result.void_id), reprint=False)

    def print_receipt(self, receipt_id: str, *, reprint: bool) -> None:
        self._preview(lambda: documents.receipt_data(self._db, self._ctx, receipt_id), reprint=reprint)

    def print_day_report(self, day: dt.date) -> None:
        self._preview(lambda: documents.day_report_data(self._db, self._ctx, day), reprint=False)

    def _preview(self, load: Callable[[], DocumentData], *, reprint: bool) -> None:
        try:
            data = load()
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        # Straight to the default printer when this workstation prints at once.
        self.print_dialog = print_document(self, self._db, self._ctx, data, reprint=reprint)

    def _day_closed(self, day: dt.date) -> None:
        self.refresh()
        self.dayClosed.emit(day)
        self.print_day_report(day)


def _void_twice(entry: ReceiptEntry) -> ValidationError:
    return ValidationError(
        _("Receipt {number} was already voided ({void}).").format(number=entry.number, void=entry.void_number)
    )
