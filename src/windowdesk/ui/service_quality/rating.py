"""好差评: the applicant rates the service on five levels, with an optional reason — on
the operator's screen (a dialog) or on a second screen turned towards the applicant (a
window of its own, moved to the second monitor when there is one)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.service_quality import LEVELS_BEST_FIRST, level_label
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import service_quality, worklist
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named

COLOURS = {5: "#1e7b34", 4: "#4c9a2a", 3: "#8a8a00", 2: "#c0641a", 1: "#b3261e"}


class RatingPanel(QWidget):
    """Five big buttons and a reason; records the rating through the service."""

    rated = Signal(object)  # service_quality.RatingResult

    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        shipped_calendar: WorkingCalendar,
        *,
        channel: str,
        case_id: str | None = None,
        large: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar, self._channel = db, ctx, shipped_calendar, channel
        self.case_id = case_id
        self.question = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "ratingQuestion")
        self.reason = named(QLineEdit(), "ratingReason")
        self.answer = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "ratingAnswer")
        self.answer.setWordWrap(True)
        self.buttons: dict[int, QPushButton] = {}
        row = QHBoxLayout()
        for level in LEVELS_BEST_FIRST:
            button = named(QPushButton(), f"rate_{int(level)}")
            button.setMinimumHeight(80 if large else 48)
            button.setStyleSheet(f"color: {COLOURS[int(level)]}; font-weight: bold;")
            button.clicked.connect(lambda _checked=False, lv=int(level): self.rate(lv))
            # The applicant chooses: Enter on the opened dialog must not rate for them.
            button.setAutoDefault(False)
            button.setDefault(False)
            row.addWidget(button)
            self.buttons[int(level)] = button
        if large:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.6)
            for widget in (self.question, *self.buttons.values(), self.answer):
                widget.setFont(font)
        self.case_label = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "ratingCase")
        self.case_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.case_label)
        layout.addWidget(self.question)
        layout.addLayout(row)
        self.reason_label = QLabel()
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.answer)
        self.retranslate()

    def _case_words(self) -> str:
        """Which case the rating is for, so nobody rates the wrong visit."""
        if self.case_id is None:
            return _("A rating of today's visit (no case chosen).")
        try:
            detail = worklist.get_record_detail(self._db, self._ctx, kind="case", record_id=self.case_id)
        except WindowdeskError:
            return _("A rating of today's visit (no case chosen).")
        return _("For case {number}: {item}, {name}").format(
            number=detail.number, item=detail.item_name, name=detail.applicant_name
        )

    def retranslate(self) -> None:
        self.case_label.setText(self._case_words())
        self.question.setText(_("How satisfied are you with our service today?"))
        self.reason_label.setText(_("Anything you want to tell us (optional)"))
        for level, button in self.buttons.items():
            button.setText(level_label(level))

    def rate(self, level: int) -> None:
        try:
            result = service_quality.rate_service(
                self._db,
                self._ctx,
                level=level,
                reason=self.reason.text(),
                case_id=self.case_id,
                channel=self._channel,
                shipped_calendar=self._calendar,
            )
        except WindowdeskError as error:
            show_error(self, error)
            return
        if result.follow_up_id and result.deadline is not None:  # a follow-up has its deadline
            words = _("Thank you. We are sorry; {owner} will follow this up by {date}.").format(
                owner=result.owner_name, date=on_screen(result.deadline)
            )
        else:
            words = _("Thank you for your rating.")
        self.answer.setText(words)
        for button in self.buttons.values():
            button.setEnabled(False)
        self.rated.emit(result)


class RatingDialog(QDialog):
    """On the operator's own screen, turned towards the applicant for a moment."""

    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        shipped_calendar: WorkingCalendar,
        *,
        case_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Rate our service"))
        self.panel = RatingPanel(db, ctx, shipped_calendar, channel="operator_screen", case_id=case_id, parent=self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.resize(720, 300)
        # Nothing chosen on opening: the focus waits in the optional reason.
        self.panel.reason.setFocus()


class ApplicantRatingWindow(QWidget):
    """The rating on a second screen facing the applicant; ready again after each rating."""

    rated = Signal(object)  # service_quality.RatingResult, from whichever panel is showing

    def __init__(
        self, db: Database, ctx: CounterContext, shipped_calendar: WorkingCalendar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._db, self._ctx, self._calendar = db, ctx, shipped_calendar
        self.setObjectName("applicantScreen")
        self.setWindowTitle(_("Rate our service"))
        self.panel: RatingPanel | None = None
        self._layout = QVBoxLayout(self)
        self.ask(None)

    def ask(self, case_id: str | None) -> None:
        """A fresh panel for the next applicant (the case just served, if any)."""
        if self.panel is not None:
            self._layout.removeWidget(self.panel)
            self.panel.hide()
            self.panel.deleteLater()
        self.panel = RatingPanel(
            self._db, self._ctx, self._calendar, channel="applicant_screen", case_id=case_id, large=True, parent=self
        )
        self.panel.rated.connect(self.rated)
        self._layout.addWidget(self.panel)

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx
        self.ask(self.panel.case_id if self.panel else None)

    def show_on_applicant_screen(self) -> None:
        """On the second monitor when there is one (full screen), else a normal window."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            target = screens[1]
            self.setScreen(target)
            self.setGeometry(target.availableGeometry())
            self.showFullScreen()
        else:
            self.resize(900, 420)
            self.show()
        self.raise_()
