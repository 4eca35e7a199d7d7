"""办件查询: type or scan a case number (a scanner types it and presses Enter)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import cases
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.object_names import named


class InquiryDialog(QDialog):
    def __init__(
        self, db: Database, ctx: CounterContext, shipped_calendar: WorkingCalendar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar = db, ctx, shipped_calendar
        self.setWindowTitle(_("Where is my case?"))
        self.number_edit = named(QLineEdit(), "inquiryNumber")
        self.number_edit.setPlaceholderText(_("Type or scan the case number, e.g. CH-20261125-01-0001"))
        self.answer = named(QLabel(), "inquiryAnswer")
        self.answer.setWordWrap(True)
        font = QFont(self.answer.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.answer.setFont(font)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # Enter (what a scanner sends after the number) looks the case up; it must not
        # also press Close and take the answer away before it is read. Escape closes.
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        close.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Case number")))
        layout.addWidget(self.number_edit)
        layout.addWidget(self.answer, 1)
        layout.addWidget(buttons)
        self.number_edit.returnPressed.connect(self.look_up)
        self.resize(560, 280)

    def look_up(self) -> None:
        try:
            words = cases.inquire(
                self._db, self._ctx, case_number=self.number_edit.text(), shipped_calendar=self._calendar
            )
        except WindowdeskError as error:
            self.answer.setStyleSheet("color: #a50e0e")
            self.answer.setText(error.message)
        else:
            self.answer.setStyleSheet("")
            self.answer.setText(words)
        self.number_edit.selectAll()
