"""Pieces the dialogs share: a supervisor's approval typed in at the operator's
workstation, and the line that says in red what was refused.

``SupervisorApprovalBox`` takes a supervisor's own login and password; the services
check them (services/approval.py), the window stays with its operator.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from windowdesk.i18n import _
from windowdesk.services.approval import SupervisorCredentials
from windowdesk.ui.object_names import named


def error_label() -> QLabel:
    label = named(QLabel(), "errorLabel")
    label.setStyleSheet("color: #b00020")
    label.setWordWrap(True)
    return label


class SupervisorApprovalBox(QGroupBox):
    """A supervisor types their own login name and password here."""

    def __init__(self, parent: QWidget | None = None, *, administrator: bool = False) -> None:
        super().__init__(parent)
        self._administrator = administrator
        self.login_edit = named(QLineEdit(), "supervisorLogin")
        self.password_edit = named(QLineEdit(), "supervisorPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_caption, self.password_caption = QLabel(), QLabel()
        self.login_caption.setBuddy(self.login_edit)
        self.password_caption.setBuddy(self.password_edit)
        form = QFormLayout(self)
        form.addRow(self.login_caption, self.login_edit)
        form.addRow(self.password_caption, self.password_edit)
        self.retranslate()

    def retranslate(self) -> None:
        if self._administrator:
            self.setTitle(_("Administrator's approval"))
            self.login_caption.setText(_("Administrator &login"))
            self.password_caption.setText(_("Administrator pass&word"))
            return
        self.setTitle(_("Supervisor's approval"))
        self.login_caption.setText(_("Supervisor &login"))
        self.password_caption.setText(_("Supervisor pass&word"))

    def credentials(self) -> SupervisorCredentials:
        return SupervisorCredentials(self.login_edit.text().strip(), self.password_edit.text())

    def clear(self) -> None:
        self.login_edit.clear()
        self.password_edit.clear()
