"""不予受理: the reason (from the item's grounds or typed) and its legal basis."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from windowdesk.i18n import _
from windowdesk.ui.object_names import named


class RefuseDialog(QDialog):
    def __init__(self, grounds: tuple[str, ...], legal_basis: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Refuse the application"))
        self.reason_box = named(QComboBox(), "refusalReason")
        self.reason_box.setEditable(True)
        self.reason_box.addItems(list(grounds))
        # No ground is chosen for the clerk: Enter on the opened dialog must not refuse.
        self.reason_box.setCurrentIndex(-1)
        self.reason_box.clearEditText()
        editor = self.reason_box.lineEdit()
        if editor is not None:  # it is: the box is editable
            editor.setPlaceholderText(_("Choose a ground (\u2193) or type the reason"))
        self.basis_edit = named(QPlainTextEdit(legal_basis), "refusalBasis")
        self.basis_edit.setTabChangesFocus(True)
        self.error_label = named(QLabel(), "errorLabel")
        self.error_label.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(_("Reason"), self.reason_box)
        form.addRow(_("Legal basis"), self.basis_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return self.reason_box.currentText().strip()

    def legal_basis(self) -> str:
        return self.basis_edit.toPlainText().strip()

    def _check(self) -> None:
        if not self.reason():
            self.error_label.setText(_("Please give the reason for the refusal."))
            return
        if not self.legal_basis():
            self.error_label.setText(_("Please give the legal basis for the refusal."))
            return
        self.accept()
