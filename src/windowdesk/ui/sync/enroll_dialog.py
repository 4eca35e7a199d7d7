"""Enrollment: an administrator types the hub address and a one-time code."""

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

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import sync as sync_service
from windowdesk.sync.credentials import TokenStore
from windowdesk.services.context import Database


class EnrollDialog(QDialog):
    def __init__(self, db: Database, workers, parent: QWidget | None = None, *, token_store_for=TokenStore) -> None:
        super().__init__(parent)
        self._db, self._workers, self._token_store_for = db, workers, token_store_for
        self.answer: dict | None = None
        self.setWindowTitle(_("Enroll this workstation with the hub"))
        self.url_edit = QLineEdit(sync_service.hub_address(db) or "http://", objectName="hubUrl")
        self.code_edit = QLineEdit(objectName="enrollCode")
        self.ca_edit = QLineEdit(sync_service.ca_bundle(db) or "", objectName="caBundle")
        self.ca_edit.setPlaceholderText(_("Only for a hub with a private certificate authority"))
        self.message = QLabel(objectName="enrollMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Hub address"), self.url_edit)
        form.addRow(_("Enrollment code"), self.code_edit)
        form.addRow(_("CA certificate file (PEM)"), self.ca_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.operation = None
        self._closing = False
        self.buttons.accepted.connect(self.enroll)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Ask the hub administrator for a one-time code for this window.")))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def enroll(self) -> None:
        if self.operation is not None and not self.operation.finished:
            return
        self._closing = False
        url, code, ca_file = self.url_edit.text(), self.code_edit.text(), self.ca_edit.text().strip()
        db, token_store_for = self._db, self._token_store_for
        self._set_asking(True)
        self.message.setText(_("Contacting the hub\u2026"))

        def work(cancel, _progress):
            sync_service.set_ca_bundle(db, ca_file or None)
            client = sync_service.hub_client_for(db, hub_url=url)
            try:
                return sync_service.enroll_workstation(
                    db, hub_url=url, code=code, client=client, token_store_for=token_store_for, cancel=cancel
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
        for widget in (self.ok_button, self.url_edit, self.code_edit, self.ca_edit):
            widget.setEnabled(not asking)

    def _enrolled(self, answer: dict) -> None:
        # Also after Cancel, if the answer won the race: the workstation is enrolled.
        self.answer = answer
        self._set_asking(False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_asking(False)
        if self._closing:
            super().reject()
            return
        if isinstance(error, WindowdeskError):
            self.message.setText(str(error))
        else:
            self.message.setText(_("Enrollment failed ({kind}).").format(kind=type(error).__name__))
