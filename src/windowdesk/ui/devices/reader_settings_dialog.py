"""The ID card reader of this workstation, set by an administrator: which plug-in, the
vendor's library, the port."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from windowdesk.devices.idcard import plugin_names
from windowdesk.devices.idcard.reader import DEFAULT_PORT, USB_PORTS
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.services import card_reader
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named


class ReaderSettingsDialog(QDialog):
    """Accepted after the settings were saved or the reader removed; ``changed`` says so."""

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.setWindowTitle(_("ID card reader"))
        current = card_reader.reader_settings(db)
        self.plugin_box = named(QComboBox(), "readerPlugin")
        for name in plugin_names():
            self.plugin_box.addItem(name, name)
        self.library_edit = named(QLineEdit(current.library_path if current else ""), "readerLibrary")
        self.library_edit.setPlaceholderText("sdtapi.dll / libsdtapi.so")
        self.browse_button = QPushButton(_("&Browse\u2026"))
        self.browse_button.clicked.connect(self._browse)
        self.port_box = named(QSpinBox(), "readerPort")
        self.port_box.setRange(1, USB_PORTS[-1])
        self.port_box.setValue(current.port if current else DEFAULT_PORT)
        self.error_label = named(QLabel(), "errorLabel")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = self.buttons.addButton(
            _("&No reader at this window"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setEnabled(current is not None)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self._remove)
        library_row = QHBoxLayout()
        library_row.addWidget(self.library_edit, 1)
        library_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(_("Interface"), self.plugin_box)
        form.addRow(_("Vendor's library"), library_row)
        form.addRow(_("Port"), self.port_box)
        hint = QLabel(
            _(
                "Readers that come with the common sdtapi library work here. USB readers "
                "are usually on port 1001 (up to 1016), serial ones on 1 to 16."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("The reader's library"), self.library_edit.text())
        if path:
            self.library_edit.setText(path)

    def _save(self) -> None:
        try:
            card_reader.save_reader_settings(
                self._db,
                self._ctx,
                plugin=self.plugin_box.currentData(),
                library_path=self.library_edit.text(),
                port=self.port_box.value(),
            )
        except ValidationError as error:
            self.error_label.setText(error.message)
            return
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.accept()

    def _remove(self) -> None:
        try:
            card_reader.remove_reader(self._db, self._ctx)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.accept()
