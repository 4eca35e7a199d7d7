"""A new query code (查询密码) for a case whose applicant lost theirs: a supervisor's word,
typed in here; the receipt is then printed again with the new code (the only place it
is ever shown)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from windowdesk.domain.permissions import Permission
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services.approval import approve_as_supervisor
from windowdesk.services.context import CounterContext, Database
from windowdesk.services.query_codes import NewQueryCode, reissue_query_code
from windowdesk.ui.approval_box import SupervisorApprovalBox, error_label
from windowdesk.ui.object_names import named


class QueryCodeDialog(QDialog):
    """After ``Accepted``, ``result`` holds the new code for the receipt printed next."""

    def __init__(
        self, db: Database, ctx: CounterContext, *, case_id: str, case_number: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._case_id, self._case_number = db, ctx, case_id, case_number
        self.new_code: NewQueryCode | None = None
        self.summary_label = named(QLabel(), "queryCodeSummary")
        self.summary_label.setWordWrap(True)
        self.approval = SupervisorApprovalBox()
        self.error_label = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.issue_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.issue_button.setObjectName("issueQueryCodeButton")
        self.buttons.accepted.connect(self.issue)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.approval)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New query code for case {number}").format(number=self._case_number))
        self.summary_label.setText(
            _(
                "The applicant's old query code stops working online once this window syncs. The new one is printed "
                "on a copy of the acceptance receipt, and nowhere else: it cannot be shown again."
            )
        )
        self.issue_button.setText(_("&Issue and print"))
        self.approval.retranslate()

    def issue(self) -> None:
        credentials = self.approval.credentials()
        try:
            supervisor = approve_as_supervisor(
                self._db,
                self._ctx,
                login=credentials.login,
                password=credentials.password,
                permission=Permission.REISSUE_QUERY_CODE,
            )
            self.new_code = reissue_query_code(self._db, self._ctx, case_id=self._case_id, supervisor_id=supervisor)
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            self.approval.password_edit.clear()
            return
        self.accept()
