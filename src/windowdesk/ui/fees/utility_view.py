"""便民缴费: water, electricity, heating, gas, phone, tax and other payments taken at a
street center on behalf of the payee.

When the account number is entered, the payer's name (and the payee) of an earlier
payment to that account at this center is filled in, so a regular payer is not asked
again; the operator can still correct it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.fees import UTILITIES, utility_label, yuan_text
from windowdesk.domain.money import parse_yuan
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import payments
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.approval_box import error_label
from windowdesk.ui.fees.widgets import TenderBox
from windowdesk.ui.object_names import named


class UtilityPaymentView(QWidget):
    """``paymentTaken(PaymentResult)`` after each committed payment."""

    paymentTaken = Signal(object)

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.utility_combo = named(QComboBox(), "utilityKind")
        for code in UTILITIES:
            self.utility_combo.addItem(utility_label(code), code)
        self.account_edit = named(QLineEdit(), "accountNumber")
        self.payer_edit = named(QLineEdit(), "payerName")
        self.period_edit = named(QLineEdit(), "billingPeriod")
        self.amount_edit = named(QLineEdit(), "utilityAmount")
        self.payee_edit = named(QLineEdit(), "payeeName")
        self.holder_label = named(QLabel(), "holderHint")
        self.tender_box = TenderBox(allow_waiver=False)
        self.error_label = error_label()
        self.result_label = named(QLabel(), "utilityResult")
        self.collect_button = named(QPushButton(), "collectUtility")
        self.captions = {}
        form = QFormLayout()
        for name, field in (
            ("utility", self.utility_combo),
            ("account", self.account_edit),
            ("payer", self.payer_edit),
            ("period", self.period_edit),
            ("amount", self.amount_edit),
            ("payee", self.payee_edit),
        ):
            caption = QLabel()
            caption.setBuddy(field)
            self.captions[name] = caption
            form.addRow(caption, field)
        form.addRow("", self.holder_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.collect_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tender_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.account_edit.editingFinished.connect(self.look_up_holder)
        self.utility_combo.currentIndexChanged.connect(self.look_up_holder)
        self.amount_edit.textChanged.connect(self._amount_changed)
        self.collect_button.clicked.connect(self.collect)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.collect)
        self.retranslate()

    def retranslate(self) -> None:
        for index, code in enumerate(UTILITIES):
            self.utility_combo.setItemText(index, utility_label(code))
        for name, text in (
            ("utility", _("&Utility")),
            ("account", _("&Account number")),
            ("payer", _("Payer's &name")),
            ("period", _("Billing &period")),
            ("amount", _("A&mount")),
            ("payee", _("Pay&ee (company)")),
        ):
            self.captions[name].setText(text)
        self.collect_button.setText(_("&Collect and print receipt (Ctrl+Enter)"))
        self.tender_box.retranslate()

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx

    def look_up_holder(self) -> None:
        """Fill the payer (and payee) known from an earlier payment to this account here."""
        try:
            holder = payments.utility_account_holder(
                self._db, self._ctx, utility=self.utility_combo.currentData(), account_number=self.account_edit.text()
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            return
        if holder is None:
            self.holder_label.clear()
            return
        if not self.payer_edit.text().strip():
            self.payer_edit.setText(holder.payer_name)
        if not self.payee_edit.text().strip():
            self.payee_edit.setText(holder.payee)
        self.holder_label.setText(_("Paid before at this center by {name}.").format(name=holder.payer_name))

    def _amount(self) -> int:
        return parse_yuan(self.amount_edit.text())

    def _amount_changed(self) -> None:
        try:
            self.tender_box.set_total(self._amount())
        except WindowdeskError:
            self.tender_box.set_total(None)

    def collect(self) -> None:
        try:
            result = payments.pay_utility(
                self._db,
                self._ctx,
                utility=self.utility_combo.currentData(),
                account_number=self.account_edit.text(),
                payer_name=self.payer_edit.text(),
                period=self.period_edit.text(),
                amount_fen=self._amount(),
                tender=self.tender_box.tender(),
                payee=self.payee_edit.text(),
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            return
        self.error_label.clear()
        message = _("Receipt {number}: {amount} received.").format(
            number=result.number, amount=yuan_text(result.amount_fen)
        )
        if result.change_fen:
            message += " " + _("Give back {change} change.").format(change=yuan_text(result.change_fen))
        self.result_label.setText(message)
        for edit in (self.account_edit, self.payer_edit, self.period_edit, self.amount_edit, self.payee_edit):
            edit.clear()
        self.holder_label.clear()
        self.tender_box.clear()
        self.paymentTaken.emit(result)
        self.account_edit.setFocus()
