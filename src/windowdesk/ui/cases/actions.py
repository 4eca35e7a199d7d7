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
from windowdesk.services import cases, documents
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error

AGENT_NOTICE_STATUSES = (CaseStatus.SUSPENDED.value, CaseStatus.COMPLETED.value, CaseStatus.DELIVERED.value)


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

    def __init__(self, db: Database, ctx: CounterContext, *, case_id: str, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._case_id = db, ctx, case_id
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[CaseAction, QPushButton] = {}
        for action in cases.WINDOW_ACTIONS:
            button = QPushButton(action_label(action), objectName=f"case_{action.value}")
            button.clicked.connect(lambda _checked=False, a=action: self.run(a))
            layout.addWidget(button)
            self.buttons[action] = button
        # 帮办代办: the 中止单 or 办结单 the agent takes, for a case an agent applied for.
        self.agent_notice_button = QPushButton(_("Notice for the agent\u2026"), objectName="agentNotice")
        self.agent_notice_button.clicked.connect(self.print_agent_notice)
        self.agent_notice_button.setVisible(documents.is_proxy_case(db, ctx, case_id))
        layout.addWidget(self.agent_notice_button)
        self.print_dialog = None
        layout.addStretch(1)
        self.show_status(status)

    def show_status(self, status: str) -> None:
        allowed = allowed_actions(CaseStatus(status))
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
        self.agent_notice_button.setEnabled(status in AGENT_NOTICE_STATUSES)

    def print_agent_notice(self) -> None:
        from windowdesk.ui.printing.actions import open_print_preview

        try:
            data = documents.proxy_notice_data(self._db, self._ctx, self._case_id)
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.print_dialog = open_print_preview(self, self._db, self._ctx, data)

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
