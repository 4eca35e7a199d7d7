"""网上申报 at the visit: the resident's application number (SQ-…) or ID number, typed or
read from their ID card, opens the intake pre-filled (services/online_visit.py). Enter
opens, Esc closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from windowdesk.devices.idcard import IdCard
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import online_visit
from windowdesk.services.context import CounterContext

if TYPE_CHECKING:
    from windowdesk.storage.db import Database


class VisitLookupDialog(QDialog):
    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        opened: Callable[[online_visit.VisitForm], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.ctx, self.opened = db, ctx, opened
        self.prompt = QLabel()
        self.key = QLineEdit()
        self.prompt.setBuddy(self.key)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.open_form)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.key)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setWindowTitle(_("Online application at the visit"))
        self.prompt.setText(_("&Application number (SQ-…) or the applicant's ID number:"))
        self.key.setFocus()

    def offer(self, number: str) -> None:
        """Opened by an ID card whose holder has ``number`` waiting: Enter opens it, Esc
        goes on without it."""
        self.key.setText(number)
        self.message.setText(
            _(
                "An online application of this resident waits here: {number}. Enter opens it; "
                "Esc goes on with the card alone."
            ).format(number=number)
        )

    def take_card(self, card: IdCard) -> None:
        """The resident's ID card laid on the reader while this is open: its number is the key."""
        self.key.setText(card.id_number)
        self.open_form()

    def open_form(self) -> None:
        try:
            form = online_visit.open_for_visit(self.db, self.ctx, key=self.key.text())
        except WindowdeskError as error:
            self.message.setText(error.message)
            self.key.selectAll()
            return
        self.accept()
        self.opened(form)
