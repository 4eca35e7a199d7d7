"""Small dialogs of the queue panel: connecting to the hall service, and choosing where
a ticket goes (a transfer) or which business a walk-in is for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import queue, queue_settings
from windowdesk.sync.credentials import TokenStore
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from windowdesk.services.context import Database

VALUE_ROLE = Qt.ItemDataRole.UserRole


class ChoiceDialog(QDialog):
    """A list to pick from with the arrow keys and Enter; ``chosen`` is the value."""

    def __init__(self, title: str, choices: Sequence[tuple[str, object]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chosen: object | None = None
        self.choices = named(QListWidget(), "queueChoices")
        for label, value in choices:
            entry = QListWidgetItem(label)
            entry.setData(VALUE_ROLE, value)
            self.choices.addItem(entry)
        if self.choices.count():
            self.choices.setCurrentRow(0)
        self.choices.itemActivated.connect(lambda _entry: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choices)
        layout.addWidget(buttons)

    def accept(self) -> None:
        entry = self.choices.currentItem()
        if entry is None:
            return
        self.chosen = entry.data(VALUE_ROLE)
        super().accept()


class ConnectHallDialog(QDialog):
    """The hall's administrator types the service's address and this window's token."""

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, token_store_for: Callable[[str], TokenStore] = TokenStore
    ) -> None:
        super().__init__(parent)
        self._db, self._token_store_for = db, token_store_for
        self.status: queue.WindowState | None = None
        self.setWindowTitle(_("Connect to the hall's queue"))
        current = queue_settings.hall_connection(db, token_store_for=token_store_for)
        self.url_edit = named(QLineEdit(current.url if current else "http://"), "hallUrl")
        self.token_edit = named(QLineEdit(), "hallToken")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = named(QLabel(), "hallConnectMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Hall service address"), self.url_edit)
        form.addRow(_("This window's token"), self.token_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def accept(self) -> None:
        # A quick check on the hall's own network (2 s at most): kept on the UI thread so
        # the administrator sees at once whether address and token work.
        try:
            self.status = queue_settings.connect_to_hall(
                self._db,
                url=self.url_edit.text(),
                token=self.token_edit.text(),
                check=lambda connection: queue.window_state(connection),
                token_store_for=self._token_store_for,
            )
        except WindowdeskError as error:
            self.message.setText(error.message)
            return
        super().accept()
