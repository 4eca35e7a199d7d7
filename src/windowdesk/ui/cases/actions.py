"""What the window can do to an accepted case: suspend for materials, resume, complete,
deliver (at the window, by post, to an agent), withdraw."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QWidget,
)

from windowdesk.domain.case_state import CaseAction, CaseStatus, action_label, allowed_actions
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import cases
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error


class DeliveryDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Deliver the result"))
        self.method_box = QComboBox(objectName="deliveryMethod")
        for code, label in (("window", _("At the window")), ("post", _("By post")),
                            ("agent", _("Collected by an agent"))):
            self.method_box.addItem(label, code)
        self.agent_name = QLineEdit(objectName="agentName")
        self.agent_id = QLineEdit(objectName="agentIdNumber")
        self.tracking = QLineEdit(objectName="trackingNumber")
        form = QFormLayout(self)
        form.addRow(_("How"), self.method_box)
        form.addRow(_("Agent's name"), self.agent_name)
        form.addRow(_("Agent's ID number"), self.agent_id)
        form.addRow(_("Postal tracking number"), self.tracking)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def delivery(self) -> cases.Delivery:
        return cases.Delivery(self.method_box.currentData(), self.agent_name.text(), self.agent_id.text(),
                              self.tracking.text())


class CaseActionsBar(QWidget):
    changed = Signal(str)  # the new status

    def __init__(self, db: Database, ctx: CounterContext, *, case_id: str, status: str, case_number: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._case_id, self._case_number = db, ctx, case_id, case_number
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[CaseAction, QPushButton] = {}
        for action in cases.WINDOW_ACTIONS:
            button = QPushButton(action_label(action), objectName=f"case_{action.value}")
            button.clicked.connect(lambda _checked=False, a=action: self.run(a))
            layout.addWidget(button)
            self.buttons[action] = button
        self.query_code_button = QPushButton(_("New query code…"), objectName="case_new_query_code")
        self.query_code_button.clicked.connect(self.new_query_code)
        layout.addWidget(self.query_code_button)
        layout.addStretch(1)
        self.show_status(status)

    def show_status(self, status: str) -> None:
        allowed = allowed_actions(CaseStatus(status))
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)

    def run(self, action: CaseAction) -> None:
        note, delivery = "", None
        if action in (CaseAction.SUSPEND, CaseAction.WITHDRAW):
            prompt = (_("Which supplementary materials are needed?") if action is CaseAction.SUSPEND
                      else _("Why does the applicant withdraw?"))
            note, ok = QInputDialog.getText(self, action_label(action), prompt)
            if not ok:
                return
        if action is CaseAction.DELIVER:
            dialog = DeliveryDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            delivery = dialog.delivery()
        try:
            status = cases.change_status(self._db, self._ctx, case_id=self._case_id, action=action, note=note,
                                         delivery=delivery)
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.show_status(status)
        self.changed.emit(status)

    def new_query_code(self) -> None:
        """A supervisor issues a new query code; the receipt is printed again with it."""
        from windowdesk.services import documents
        from windowdesk.ui.cases.query_code_dialog import QueryCodeDialog
        from windowdesk.ui.printing.actions import open_print_preview

        dialog = QueryCodeDialog(self._db, self._ctx, case_id=self._case_id, case_number=self._case_number, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result is None:
            return
        try:
            data = documents.acceptance_receipt_data(self._db, self._ctx, self._case_id, query_code=dialog.result.code)
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.print_dialog = open_print_preview(self, self._db, self._ctx, data, reprint=True)
