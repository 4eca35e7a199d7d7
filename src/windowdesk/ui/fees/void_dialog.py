"""作废: take a receipt back, with a reason and a supervisor's approval typed in here."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.fees import method_label, yuan_text
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import receipts
from windowdesk.services.context import CounterContext, Database
from windowdesk.services.receipts import ReceiptEntry
from windowdesk.ui.approval_box import SupervisorApprovalBox, error_label
from windowdesk.ui.object_names import named


class VoidDialog(QDialog):
    """After ``Accepted``, ``result`` holds the VoidResult; the original receipt is unchanged."""

    def __init__(self, db: Database, ctx: CounterContext, entry: ReceiptEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._entry = db, ctx, entry
        self.voided: receipts.VoidResult | None = None
        self.summary_label = named(QLabel(), "voidSummary")
        self.summary_label.setWordWrap(True)
        self.reason_edit = named(QLineEdit(), "voidReason")
        self.reason_caption = QLabel()
        self.reason_caption.setBuddy(self.reason_edit)
        self.approval = SupervisorApprovalBox()
        self.error_label = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.void_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.void_button.setObjectName("confirmVoidButton")
        self.buttons.accepted.connect(self.void)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.reason_caption, self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addLayout(form)
        layout.addWidget(self.approval)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.reason_edit.setFocus()

    def retranslate(self) -> None:
        entry = self._entry
        self.setWindowTitle(_("Void receipt {number}").format(number=entry.number))
        self.summary_label.setText(
            _(
                "Receipt {number}: {amount}, {method}, for {what}. The receipt is kept; a void slip "
                "is printed and its amount leaves the day's totals."
            ).format(
                number=entry.number,
                amount=yuan_text(entry.amount_fen),
                method=method_label(entry.method),
                what=entry.what,
            )
        )
        self.reason_caption.setText(_("&Reason"))
        self.void_button.setText(_("&Void the receipt"))
        self.approval.retranslate()

    def void(self) -> None:
        try:
            self.voided = receipts.void_receipt(
                self._db,
                self._ctx,
                receipt_id=self._entry.id,
                reason=self.reason_edit.text(),
                supervisor=self.approval.credentials(),
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            self.approval.password_edit.clear()
            return
        self.accept()
