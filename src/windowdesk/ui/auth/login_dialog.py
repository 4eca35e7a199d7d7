"""Logging in, changing a password, and unlocking a locked window."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import auth, workstation
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.object_names import named


def _error_label() -> QLabel:
    label = named(QLabel(), "errorLabel")
    label.setStyleSheet("color: #b00020")
    label.setWordWrap(True)
    return label


def _password_edit(name: str) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class ChangePasswordDialog(QDialog):
    def __init__(
        self, db: Database, ctx: CounterContext, parent: QWidget | None = None, *, forced: bool = False
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.setWindowTitle(_("Change your password"))
        self.current_edit = _password_edit("currentPassword")
        self.new_edit = _password_edit("newPassword")
        self.repeat_edit = _password_edit("repeatPassword")
        self.error_label = _error_label()
        form = QFormLayout()
        form.addRow(_("Current password"), self.current_edit)
        form.addRow(_("New password"), self.new_edit)
        form.addRow(_("New password again"), self.repeat_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if forced:
            layout.addWidget(QLabel(_("This is your first login: please choose your own password.")))
        layout.addWidget(QLabel(_("At least 8 characters, with letters and digits.")))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def save(self) -> None:
        if self.new_edit.text() != self.repeat_edit.text():
            self.error_label.setText(_("The two new passwords differ."))
            return
        try:
            auth.change_password(self._db, self._ctx, current=self.current_edit.text(), new=self.new_edit.text())
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            return
        self.accept()


class LoginDialog(QDialog):
    """``context`` holds the logged-in operator's context after ``Accepted``."""

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        login: str = "",
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.context: CounterContext | None = None
        self.setWindowTitle(title or _("Log in"))
        self.login_edit = named(QLineEdit(login), "loginName")
        self.password_edit = _password_edit("password")
        self.error_label = _error_label()
        form = QFormLayout()
        form.addRow(_("Login name"), self.login_edit)
        form.addRow(_("Password"), self.password_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # Which counter this is: a shared PC at the wrong window is noticed before logging in.
        self.place_label = named(QLabel(), "loginPlace")
        place = workstation.workstation_place(db)
        if place is not None:
            self.place_label.setText(
                _("{center} \u00b7 window {code} {name}").format(center=place[0], code=place[1], name=place[2])
            )
            self.place_label.setStyleSheet("font-weight: bold")
            layout.addWidget(self.place_label)
        if message:
            text = QLabel(message)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        (self.password_edit if login else self.login_edit).setFocus()

    def try_login(self) -> None:
        try:
            result = auth.log_in(self._db, login=self.login_edit.text(), password=self.password_edit.text())
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        if result.must_change_password:
            change = ChangePasswordDialog(self._db, result.ctx, self, forced=True)
            change.current_edit.setText(self.password_edit.text())
            if change.exec() != QDialog.DialogCode.Accepted:
                self.error_label.setText(_("You must choose your own password before you can work."))
                return
        self.context = result.ctx
        self.accept()


class LockDialog(LoginDialog):
    """The window is locked: the same operator unlocks with their password, or another
    operator logs in (the first one's unsaved form is kept as their draft)."""

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None, *, login: str = "") -> None:
        super().__init__(
            db,
            parent,
            title=_("Locked"),
            login=login,
            message=_(
                "This window is locked ({name}). Type the password to continue, or let another operator log in."
            ).format(name=ctx.operator_name),
        )
        self.other_button = named(QPushButton(_("Another &operator")), "otherOperator")
        self.buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self.other_button.clicked.connect(self._other_operator)

    def _other_operator(self) -> None:
        self.login_edit.clear()
        self.password_edit.clear()
        self.login_edit.setFocus()

    def reject(self) -> None:  # Escape must not unlock
        return
