"""After the day's close: a supervisor starts the next business day, so the applicant
still at the counter can pay now (on the next working day's till)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import dayclose
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.approval_box import SupervisorApprovalBox, error_label

if TYPE_CHECKING:
    import datetime as dt

    from windowdesk.domain.calendar import WorkingCalendar


class NextBusinessDayDialog(QDialog):
    """After ``Accepted``, ``started`` holds the business day the till now takes money for."""

    def __init__(
        self, db: Database, ctx: CounterContext, shipped_calendar: WorkingCalendar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar = db, ctx, shipped_calendar
        self.started: dt.date | None = None
        self.setWindowTitle(_("Start the next business day"))
        words = QLabel(
            _(
                "The till of {day} is closed. Payments taken from now on go to the next working "
                "day's till, and are closed with it. A supervisor confirms."
            ).format(day=on_screen(dayclose.business_day(db, ctx)))
        )
        words.setWordWrap(True)
        self.approval = SupervisorApprovalBox()
        self.error_label = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(words)
        layout.addWidget(self.approval)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.approval.login_edit.setFocus()

    def start(self) -> None:
        try:
            self.started = dayclose.start_next_business_day(
                self._db, self._ctx, supervisor=self.approval.credentials(), shipped_calendar=self._calendar
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            self.approval.password_edit.clear()
            return
        self.accept()
