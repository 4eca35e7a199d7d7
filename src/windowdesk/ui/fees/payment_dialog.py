"""收费: collect all fees of one case, once, on one receipt.

The dialog shows every rule of the item's fee standard and how its amount was reached
(quantity × price, the tier, an exemption), asks for the quantities the fee depends
on, then for the way of payment; for cash it shows the change as the cash received is
typed. The amount is computed again by the service when the money is taken.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.fees import yuan_text
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import fees, payments
from windowdesk.services.context import CounterContext, Database
from windowdesk.services.fees import FeeQuote
from windowdesk.ui.approval_box import error_label
from windowdesk.ui.fees.widgets import TenderBox
from windowdesk.ui.object_names import named

NOT_ENTERED = -1  # a tiered rule's spin box before the operator typed the quantity
MAX_QUANTITY = 1_000_000_000


class PaymentDialog(QDialog):
    """After ``Accepted``, ``result`` holds the PaymentResult of the committed receipt."""

    def __init__(self, db: Database, ctx: CounterContext, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._case_id = db, ctx, case_id
        self.payment: payments.PaymentResult | None = None
        self._tender_error = ""  # the message of the last refused collect, cleared on correction
        self.quote: FeeQuote = fees.quote_case_fee(db, ctx, case_id=case_id)
        self.heading = named(QLabel(), "paymentHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.lines_table = named(QTableWidget(0, 4), "feeLines")
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.verticalHeader().setVisible(False)
        self.lines_table.horizontalHeader().setStretchLastSection(True)
        self.lines_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.quantity_boxes: dict[int, QSpinBox] = {}
        quantities = QFormLayout()
        for rule in self.quote.quantity_rules:
            box = named(QSpinBox(), f"quantity{rule.index}")
            tiered = rule.kind == "tiered"
            box.setRange(NOT_ENTERED if tiered else 0, MAX_QUANTITY)
            box.setSpecialValueText("?" if tiered else "")
            box.setSuffix(f" {rule.unit}")
            box.setValue(NOT_ENTERED if tiered else 0)
            box.valueChanged.connect(self._requote)
            self.quantity_boxes[rule.index] = box
            quantities.addRow(rule.description, box)
        self.total_label = named(QLabel(), "totalLabel")
        self.total_label.setStyleSheet("font-size: 18pt; font-weight: bold")
        self.tender_box = TenderBox(allow_waiver=True)
        self.error_label = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.collect_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.collect_button.setObjectName("collectButton")
        self.buttons.accepted.connect(self.collect)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.collect)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.lines_table, 1)
        layout.addLayout(quantities)
        layout.addWidget(self.total_label)
        layout.addWidget(self.tender_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._show_quote(self.quote)
        self.resize(760, 560)
        # The quantities come first when the fee depends on them, then the cash received
        # (most fees are paid in cash; the method is one Shift+Tab away).
        first = next(iter(self.quantity_boxes.values()), self.tender_box.first_field())
        first.setFocus()
        # An error about the amount goes as soon as the amount is corrected.
        self.tender_box.changed.connect(self._clear_tender_error)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Collect the fee of case {number}").format(number=self.quote.case_number))
        self.lines_table.setHorizontalHeaderLabels([_("Department"), _("Fee"), _("Amount"), _("How it was computed")])
        self.collect_button.setText(_("&Collect and print receipt (Ctrl+Enter)"))
        self.tender_box.retranslate()

    def quantities(self) -> dict[int, int]:
        return {index: box.value() for index, box in self.quantity_boxes.items() if box.value() != NOT_ENTERED}

    def _requote(self) -> None:
        try:
            self._show_quote(
                fees.quote_case_fee(self._db, self._ctx, case_id=self._case_id, quantities=self.quantities())
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)

    def _show_quote(self, quote: FeeQuote) -> None:
        self.quote = quote
        who = _("Applicant: {name} {number}").format(name=quote.applicant_name, number=quote.applicant_number)
        heading = f"<b>{escape(quote.case_number)}</b> \u00b7 {escape(quote.item_name)}<br>{escape(who)}"
        if len(quote.charging_departments) > 1:
            together = _("Collected at once for: {departments}").format(
                departments=_(", ").join(quote.charging_departments)
            )
            heading += "<br>" + escape(together)
        self.heading.setText(heading)
        lines = quote.computation.lines if quote.computation else ()
        self.lines_table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = (
                quote.department_name(line.department),
                line.description,
                yuan_text(line.amount_fen),
                line.explanation,
            )
            for column, text in enumerate(cells):
                self.lines_table.setItem(row, column, QTableWidgetItem(text))
        self.lines_table.resizeColumnsToContents()
        self.tender_box.set_total(quote.total_fen)
        ready = quote.computation is not None and not quote.paid_receipt_number and quote.computation.total_fen > 0
        self.collect_button.setEnabled(ready)
        if quote.paid_receipt_number:
            self.total_label.setText(_("Already paid: receipt {number}").format(number=quote.paid_receipt_number))
        elif quote.computation is None:
            self.total_label.setText(_("Total: \u2014"))
        else:
            self.total_label.setText(_("Total: {amount}").format(amount=yuan_text(quote.computation.total_fen)))
        self.error_label.setText(
            quote.problem
            if quote.computation is None
            else (_("Nothing to collect for this case.") if quote.total_fen == 0 else "")
        )

    def _clear_tender_error(self) -> None:
        if self.error_label.text() and self.error_label.text() == self._tender_error:
            self.error_label.setText("")

    def collect(self) -> None:
        """Take the money: one transaction; the dialog closes when the receipt is saved."""
        if not self.collect_button.isEnabled():
            return
        try:
            self.payment = payments.pay_case_fee(
                self._db,
                self._ctx,
                case_id=self._case_id,
                quantities=self.quantities(),
                tender=self.tender_box.tender(),
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            self._tender_error = error.message
            return
        self.accept()
