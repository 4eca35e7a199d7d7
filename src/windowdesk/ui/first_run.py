"""First start on a new machine: which center, which window, who is at the counter."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
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
from windowdesk.services import workstation
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.object_names import named


class FirstRunDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.context: CounterContext | None = None
        self.setWindowTitle(_("Set up this workstation"))
        intro = QLabel(
            _(
                "Choose the service center and the window of this computer "
                "(case numbers depend on them), and create your administrator account. "
                "The hub replaces it with the real accounts at the first sync."
            )
        )
        intro.setWordWrap(True)
        self.center_box = named(QComboBox(), "centerChoice")
        for center in workstation.list_centers(db):
            self.center_box.addItem(f"{center.name} ({center.code})", center.code)
        self.window_box = named(QComboBox(), "windowChoice")
        self.operator_edit = named(QLineEdit(), "operatorName")
        self.login_edit = named(QLineEdit(), "operatorLogin")
        self.password_edit = named(QLineEdit(), "operatorPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = named(QLineEdit(), "operatorPasswordAgain")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = named(QLabel(), "errorLabel")
        self.error_label.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(_("Service center"), self.center_box)
        form.addRow(_("Window"), self.window_box)
        form.addRow(_("Your name"), self.operator_edit)
        form.addRow(_("Login name"), self.login_edit)
        form.addRow(_("Password"), self.password_edit)
        form.addRow(_("Password again"), self.repeat_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.center_box.currentIndexChanged.connect(self._fill_windows)
        self._fill_windows()

    def _fill_windows(self) -> None:
        self.window_box.clear()
        code = self.center_box.currentData()
        if code is None:
            return
        for window in workstation.list_windows(self._db, center_code=code):
            self.window_box.addItem(f"{window.code} {window.name}", window.code)

    def _save(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.error_label.setText(_("The two passwords differ."))
            return
        if not self.login_edit.text().strip():
            self.error_label.setText(_("Please choose a login name."))
            return
        try:
            self.context = workstation.configure_workstation(
                self._db,
                center_code=self.center_box.currentData() or "",
                window_code=self.window_box.currentData() or "",
                operator_name=self.operator_edit.text(),
                operator_login=self.login_edit.text(),
                password=self.password_edit.text(),
                role="administrator",
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            return
        self.accept()
