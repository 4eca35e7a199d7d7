"""Enrollment: an administrator types the hub address, a one-time code, and their own
login and password (the service checks them, like a supervisor's approval of a void)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import hub_enrollment
from windowdesk.services import sync as sync_service
from windowdesk.services.context import CounterContext, Database
from windowdesk.sync.credentials import TokenStore
from windowdesk.ui.approval_box import SupervisorApprovalBox
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from windowdesk.ui.workers import Operation, Workers


class EnrollDialog(QDialog):
    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        workers: Workers,
        parent: QWidget | None = None,
        *,
        token_store_for: Callable[[str], TokenStore] = TokenStore,
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._workers, self._token_store_for = db, ctx, workers, token_store_for
        self.answer: dict | None = None
        self.setWindowTitle(_("Enroll this workstation with the hub"))
        self.url_edit = named(QLineEdit(sync_service.hub_address(db) or "https://"), "hubUrl")
        self.code_edit = named(QLineEdit(), "enrollCode")
        self.ca_edit = named(QLineEdit(sync_service.ca_bundle(db) or ""), "caBundle")
        self.ca_edit.setPlaceholderText(_("Only for a hub with a private certificate authority"))
        self.plain_http_box = named(
            QCheckBox(_("Allow plain http:// to this hub (only on a closed network: nothing is encrypted)")),
            "allowPlainHttp",
        )
        self.old_hub_gone_box = named(
            QCheckBox(_("The old hub is gone: this window may be enrolled with a different hub")), "oldHubGone"
        )
        self.old_hub_gone_box.setVisible(sync_service.sync_status(db).enrolled)
        self.approval = SupervisorApprovalBox(self, administrator=True)
        self.message = named(QLabel(), "enrollMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Hub address"), self.url_edit)
        form.addRow(_("Enrollment code"), self.code_edit)
        form.addRow(_("CA certificate file (PEM)"), self.ca_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.operation: Operation | None = None
        self._closing = False
        self.buttons.accepted.connect(self.enroll)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Ask the hub administrator for a one-time code for this window.")))
        layout.addLayout(form)
        layout.addWidget(self.plain_http_box)
        layout.addWidget(self.old_hub_gone_box)
        layout.addWidget(self.approval)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def enroll(self) -> None:
        if self.operation is not None and not self.operation.finished:
            return
        self._closing = False
        url, code, ca_file = self.url_edit.text(), self.code_edit.text(), self.ca_edit.text().strip()
        administrator = self.approval.credentials()
        allow_plain_http, old_hub_gone = self.plain_http_box.isChecked(), self.old_hub_gone_box.isChecked()
        db, ctx, token_store_for = self._db, self._ctx, self._token_store_for
        self._set_asking(True)
        self.message.setText(_("Contacting the hub\u2026"))

        def work(cancel: threading.Event, _progress: Callable[[Any], None]) -> dict[str, str]:
            client = hub_enrollment.enrollment_client(url, ca_file)
            try:
                return hub_enrollment.enroll_workstation(
                    db,
                    ctx,
                    administrator=administrator,
                    hub_url=url,
                    code=code,
                    client=client,
                    token_store_for=token_store_for,
                    ca_bundle=ca_file,
                    allow_plain_http=allow_plain_http,
                    old_hub_gone=old_hub_gone,
                    cancel=cancel,
                )
            finally:
                client.close()

        self.operation = self._workers.start(work, on_success=self._enrolled, on_failure=self._failed)

    def reject(self) -> None:
        """Cancel (or Esc, or closing the dialog) while the hub is asked stops the asking;
        the dialog closes once the worker confirms that nothing was stored."""
        if self.operation is not None and not self.operation.finished:
            self._closing = True
            self.operation.cancel()
            self.message.setText(_("Stopping\u2026"))
            return
        super().reject()

    def _set_asking(self, asking: bool) -> None:
        for widget in (
            self.ok_button,
            self.url_edit,
            self.code_edit,
            self.ca_edit,
            self.approval,
            self.plain_http_box,
            self.old_hub_gone_box,
        ):
            widget.setEnabled(not asking)

    def _enrolled(self, answer: dict) -> None:
        # Also after Cancel, if the answer won the race: the workstation is enrolled.
        self.answer = answer
        self._set_asking(False)
        self.approval.clear()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_asking(False)
        self.approval.password_edit.clear()
        if self._closing:
            super().reject()
            return
        if isinstance(error, WindowdeskError):
            self.message.setText(str(error))
        else:
            self.message.setText(_("Enrollment failed ({kind}).").format(kind=type(error).__name__))
