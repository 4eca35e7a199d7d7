"""What the window can do to an accepted case: suspend (for materials, a hearing, an
inspection/test/appraisal or an expert review; its notice goes to the print preview),
resume, complete, deliver (ui.cases.handover_dialog), withdraw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from windowdesk.domain.case_state import CaseAction, CaseStatus, action_label, allowed_actions
from windowdesk.domain.suspensions import SUSPENSION_KINDS, end_reason_prompt, reason_prompt, suspension_label
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import cases, documents
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.cases.handover_dialog import HandoverDialog
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog

AGENT_NOTICE_STATUSES = (CaseStatus.SUSPENDED, CaseStatus.COMPLETED, CaseStatus.DELIVERED)


class SuspensionDialog(QDialog):
    """Why the case's clock stops: the kind, and the reason the applicant is told."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(action_label(CaseAction.SUSPEND))
        self.kind_box = named(QComboBox(), "suspensionKind")
        for kind in SUSPENSION_KINDS:
            self.kind_box.addItem(suspension_label(kind), kind)
        self.reason = named(QLineEdit(), "suspensionReason")
        self.reason_label = QLabel()
        self.kind_box.currentIndexChanged.connect(self._show_prompt)
        form = QFormLayout(self)
        form.addRow(_("Why the time stops"), self.kind_box)
        form.addRow(self.reason_label, self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._show_prompt()

    def _show_prompt(self) -> None:
        self.reason_label.setText(reason_prompt(self.kind_box.currentData()))

    def kind(self) -> str:
        return self.kind_box.currentData()


class CaseActionsBar(QWidget):
    changed = Signal(str)  # the new status

    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        *,
        case_id: str,
        status: str,
        case_number: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._case_id, self._case_number = db, ctx, case_id, case_number
        self.print_dialog: PrintPreviewDialog | None = None
        self.handover_dialog: HandoverDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[CaseAction, QPushButton] = {}
        for action in cases.WINDOW_ACTIONS:
            button = named(QPushButton(action_label(action)), f"case_{action.value}")
            button.clicked.connect(lambda _checked=False, a=action: self.run(a))
            layout.addWidget(button)
            self.buttons[action] = button
        # The written notice again (a reprint) while the case stands suspended.
        self.notice_button = named(QPushButton(_("Suspension notice")), "case_suspension_notice")
        self.notice_button.clicked.connect(lambda _checked=False: self.print_notice(reprint=True))
        layout.addWidget(self.notice_button)
        self.query_code_button = named(QPushButton(_("New query code…")), "case_new_query_code")
        self.query_code_button.clicked.connect(self.new_query_code)
        layout.addWidget(self.query_code_button)
        # 帮办代办: the 中止单 or 办结单 the agent takes, for a case an agent applied for.
        self.agent_notice_button = named(QPushButton(_("Notice for the agent\u2026")), "agentNotice")
        self.agent_notice_button.clicked.connect(self.print_agent_notice)
        self.agent_notice_button.setVisible(documents.is_proxy_case(db, ctx, case_id))
        layout.addWidget(self.agent_notice_button)
        layout.addStretch(1)
        self.show_status(status)

    def show_status(self, status: str) -> None:
        allowed = allowed_actions(CaseStatus(status))
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
        self.notice_button.setEnabled(CaseStatus(status) is CaseStatus.SUSPENDED)
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
        note, delivery, kind = "", None, None
        if action is CaseAction.SUSPEND:
            suspension = SuspensionDialog(self)
            if suspension.exec() != QDialog.DialogCode.Accepted:
                return
            note, kind = suspension.reason.text(), suspension.kind()
        if action is CaseAction.WITHDRAW:
            note, ok = QInputDialog.getText(self, action_label(action), _("Why does the applicant withdraw?"))
            if not ok:
                return
        if action is CaseAction.RESUME:
            try:
                running = cases.suspension_in_force(self._db, self._ctx, case_id=self._case_id)
            except WindowdeskError as error:
                show_error(self, error)
                return
            note, ok = QInputDialog.getText(self, action_label(action), end_reason_prompt(running or "materials"))
            if not ok:
                return
        certificate_number = ""
        if action is CaseAction.COMPLETE:
            try:
                certificate = cases.certificate_to_record(self._db, self._ctx, case_id=self._case_id)
            except WindowdeskError as error:
                show_error(self, error)
                return
            if certificate:
                certificate_number, ok = QInputDialog.getText(
                    self, action_label(action), _("Number of the {certificate} issued:").format(certificate=certificate)
                )
                if not ok:
                    return
        if action is CaseAction.DELIVER:
            try:
                chosen = cases.chosen_delivery_mode(self._db, self._ctx, case_id=self._case_id)
            except WindowdeskError as error:
                show_error(self, error)
                return
            self.handover_dialog = HandoverDialog(chosen, self)
            if self.handover_dialog.exec() != QDialog.DialogCode.Accepted:
                return
            delivery = self.handover_dialog.handover()
        try:
            status = cases.change_status(
                self._db,
                self._ctx,
                case_id=self._case_id,
                action=action,
                note=note,
                delivery=delivery,
                suspension_kind=kind,
                certificate_number=certificate_number,
            )
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.show_status(status)
        self.changed.emit(status)
        if action is CaseAction.SUSPEND:
            self.print_notice()

    def print_notice(self, *, reprint: bool = False) -> None:
        """The written notice of the suspension, to hand to the applicant."""
        from windowdesk.ui.printing.actions import open_print_preview

        try:
            data = documents.suspension_notice_data(self._db, self._ctx, self._case_id)
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.print_dialog = open_print_preview(self, self._db, self._ctx, data, reprint=reprint)

    def new_query_code(self) -> None:
        """A supervisor issues a new query code; the receipt is printed again with it."""
        from windowdesk.services import documents
        from windowdesk.ui.cases.query_code_dialog import QueryCodeDialog
        from windowdesk.ui.printing.actions import open_print_preview

        dialog = QueryCodeDialog(self._db, self._ctx, case_id=self._case_id, case_number=self._case_number, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.new_code is None:
            return
        try:
            data = documents.acceptance_receipt_data(
                self._db, self._ctx, self._case_id, query_code=dialog.new_code.code
            )
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.print_dialog = open_print_preview(self, self._db, self._ctx, data, reprint=True)
