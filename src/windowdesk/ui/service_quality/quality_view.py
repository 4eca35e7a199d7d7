"""Service quality at the window: follow-ups of bad ratings, the first-inquiry
register and complaints with their rectification tasks. Every rule is the services';
this view only asks and shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import complaints, service_quality
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named
from windowdesk.ui.service_quality.forms import ComplaintFormDialog, InquiryFormDialog, RectificationFormDialog

if TYPE_CHECKING:
    from collections.abc import Callable

LATE = QColor("#fde2e1")


def _table(columns: int, name: str) -> QTableWidget:
    table = named(QTableWidget(0, columns), name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[list[str], bool]]) -> None:
    table.setRowCount(len(rows))
    for r, (values, late) in enumerate(rows):
        for c, text in enumerate(values):
            cell = QTableWidgetItem(text)
            if late:
                cell.setBackground(QBrush(LATE))
            table.setItem(r, c, cell)


class ServiceQualityView(QWidget):
    def __init__(
        self, db: Database, ctx: CounterContext, shipped_calendar: WorkingCalendar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar = db, ctx, shipped_calendar
        self.follow_ups: list[service_quality.FollowUpView] = []
        self.inquiries: list[service_quality.InquiryView] = []
        self.complaints: list[complaints.ComplaintView] = []
        self.pages = named(QTabWidget(), "qualityPages")
        # Follow-ups of bad ratings.
        self.follow_up_table = _table(7, "followUpTable")
        self.show_closed = named(QCheckBox(), "showClosedFollowUps")
        self.outcome_button = named(QPushButton(), "followUpOutcome")
        self.outcome_button.clicked.connect(self.record_outcome)
        self.show_closed.toggled.connect(lambda _on: self.refresh())
        self.pages.addTab(self._page(self.follow_up_table, self.show_closed, self.outcome_button), "")
        # First inquiries.
        self.inquiry_table = _table(5, "inquiryTable")
        self.new_inquiry_button = named(QPushButton(), "newInquiry")
        self.answer_button = named(QPushButton(), "answerInquiry")
        self.hand_over_button = named(QPushButton(), "handOverInquiry")
        self.new_inquiry_button.clicked.connect(self.new_inquiry)
        self.answer_button.clicked.connect(self.answer_inquiry)
        self.hand_over_button.clicked.connect(self.hand_over_inquiry)
        self.pages.addTab(
            self._page(self.inquiry_table, self.new_inquiry_button, self.answer_button, self.hand_over_button), ""
        )
        # Complaints.
        self.complaint_table = _table(8, "complaintTable")
        self.new_complaint_button = named(QPushButton(), "newComplaint")
        self.reply_button = named(QPushButton(), "replyComplaint")
        self.rectification_button = named(QPushButton(), "addRectification")
        self.done_button = named(QPushButton(), "rectificationDone")
        self.new_complaint_button.clicked.connect(self.new_complaint)
        self.reply_button.clicked.connect(self.reply_complaint)
        self.rectification_button.clicked.connect(self.add_rectification)
        self.done_button.clicked.connect(self.rectification_done)
        self.pages.addTab(
            self._page(
                self.complaint_table,
                self.new_complaint_button,
                self.reply_button,
                self.rectification_button,
                self.done_button,
            ),
            "",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.retranslate()

    @staticmethod
    def _page(table: QTableWidget, *controls: QWidget) -> QWidget:
        page = QWidget()
        bar = QHBoxLayout()
        for control in controls:
            bar.addWidget(control)
        bar.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(table, 1)
        return page

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx
        self.refresh()

    def retranslate(self) -> None:
        self.pages.setTabText(0, _("Follow-ups of bad ratings"))
        self.pages.setTabText(1, _("First inquiries"))
        self.pages.setTabText(2, _("Complaints"))
        self.show_closed.setText(_("Show closed ones"))
        self.outcome_button.setText(_("Record the outcome…"))
        self.new_inquiry_button.setText(_("New inquiry…"))
        self.answer_button.setText(_("Answered…"))
        self.hand_over_button.setText(_("Hand over…"))
        self.new_complaint_button.setText(_("New complaint…"))
        self.reply_button.setText(_("Reply…"))
        self.rectification_button.setText(_("Add rectification…"))
        self.done_button.setText(_("Rectification done"))
        self.follow_up_table.setHorizontalHeaderLabels(
            [_("Deadline"), _("Rating"), _("Reason"), _("Case number"), _("Operator"), _("Owner"), _("Outcome")]
        )
        self.inquiry_table.setHorizontalHeaderLabels(
            [_("Asked"), _("Question"), _("Asked by"), _("Owner"), _("Answer")]
        )
        self.complaint_table.setHorizontalHeaderLabels(
            [
                _("Number"),
                _("Received"),
                _("About"),
                _("Facts"),
                _("Owner"),
                _("Deadline"),
                _("Reply"),
                _("Rectification"),
            ]
        )

    def refresh(self) -> None:
        zone = self._ctx.timezone
        try:
            self.follow_ups = service_quality.list_follow_ups(
                self._db, self._ctx, open_only=not self.show_closed.isChecked()
            )
            self.inquiries = service_quality.list_inquiries(self._db, self._ctx)
            self.complaints = complaints.list_complaints(self._db, self._ctx)
        except WindowdeskError as error:
            show_error(self, error)
            return
        _fill(
            self.follow_up_table,
            [
                (
                    [
                        on_screen(f.deadline),
                        f.level_words,
                        f.reason,
                        f.case_number,
                        f.operator_name,
                        f.owner_name,
                        f.outcome,
                    ],
                    f.overdue,
                )
                for f in self.follow_ups
            ],
        )
        _fill(
            self.inquiry_table,
            [
                ([on_screen(i.asked_at, zone), i.question, i.inquirer_name, i.owner_name, i.answer], False)
                for i in self.inquiries
            ],
        )
        _fill(
            self.complaint_table,
            [
                (
                    [
                        c.number,
                        on_screen(c.received_at, zone),
                        c.about_words,
                        c.facts,
                        c.owner_name,
                        on_screen(c.deadline),
                        c.reply,
                        _("{done} of {count} done").format(
                            done=sum(r.done for r in c.rectifications), count=len(c.rectifications)
                        ),
                    ],
                    c.overdue,
                )
                for c in self.complaints
            ],
        )

    @staticmethod
    def _selected(table: QTableWidget, rows: list) -> Any:
        index = table.currentRow()
        return rows[index] if 0 <= index < len(rows) else None

    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except WindowdeskError as error:
            show_error(self, error)
            return False
        self.refresh()
        return True

    # --- follow-ups ------------------------------------------------------------------------

    def record_outcome(self) -> None:
        chosen = self._selected(self.follow_up_table, self.follow_ups)
        if chosen is None:
            return
        text, ok = QInputDialog.getText(self, _("Outcome of the follow-up"), _("What was done about this rating?"))
        if ok:
            self._run(
                lambda: service_quality.record_follow_up_outcome(
                    self._db, self._ctx, follow_up_id=chosen.id, outcome=text
                )
            )

    # --- first inquiries -------------------------------------------------------------------

    def new_inquiry(self) -> None:
        dialog = InquiryFormDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(
                lambda: service_quality.log_inquiry(
                    self._db,
                    self._ctx,
                    question=dialog.question.toPlainText(),
                    inquirer_name=dialog.name.text(),
                    inquirer_phone=dialog.phone.text(),
                )
            )

    def answer_inquiry(self) -> None:
        chosen = self._selected(self.inquiry_table, self.inquiries)
        if chosen is None:
            return
        text, ok = QInputDialog.getText(self, _("Answer"), _("What was the answer?"))
        if ok:
            self._run(lambda: service_quality.answer_inquiry(self._db, self._ctx, inquiry_id=chosen.id, answer=text))

    def hand_over_inquiry(self) -> None:
        chosen = self._selected(self.inquiry_table, self.inquiries)
        if chosen is None:
            return
        try:
            staff = [s for s in service_quality.staff_of_center(self._db, self._ctx) if s.id != chosen.owner_id]
        except WindowdeskError as error:
            show_error(self, error)
            return
        if not staff:
            return
        name, ok = QInputDialog.getItem(self, _("Hand over"), _("To whom?"), [s.name for s in staff], 0, False)
        if not ok:
            return
        target = next(s for s in staff if s.name == name)
        note, ok = QInputDialog.getText(self, _("Hand over"), _("A note for the colleague taking it over"))
        if ok:
            self._run(
                lambda: service_quality.hand_over_inquiry(
                    self._db, self._ctx, inquiry_id=chosen.id, to_operator_id=target.id, note=note
                )
            )

    # --- complaints ------------------------------------------------------------------------

    def new_complaint(self) -> None:
        try:
            choices = complaints.complaint_choices(self._db, self._ctx)
        except WindowdeskError as error:
            show_error(self, error)
            return
        dialog = ComplaintFormDialog(list(choices.staff), list(choices.windows), list(choices.departments), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(
                lambda: complaints.receive_complaint(
                    self._db,
                    self._ctx,
                    complainant_name=dialog.name.text(),
                    complainant_phone=dialog.phone.text(),
                    facts=dialog.facts.toPlainText(),
                    about=dialog.about(),
                    owner_id=dialog.owner.currentData(),
                    shipped_calendar=self._calendar,
                )
            )

    def reply_complaint(self) -> None:
        chosen = self._selected(self.complaint_table, self.complaints)
        if chosen is None:
            return
        text, ok = QInputDialog.getText(self, _("Reply"), _("The reply given to the complainant"))
        if ok:
            self._run(lambda: complaints.reply_to_complaint(self._db, self._ctx, complaint_id=chosen.id, reply=text))

    def add_rectification(self) -> None:
        chosen = self._selected(self.complaint_table, self.complaints)
        if chosen is None:
            return
        dialog = RectificationFormDialog(self._ctx.local_today(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(
                lambda: complaints.add_rectification(self._db, self._ctx, complaint_id=chosen.id, task=dialog.value())
            )

    def rectification_done(self) -> None:
        chosen = self._selected(self.complaint_table, self.complaints)
        open_tasks = [r for r in (chosen.rectifications if chosen else ()) if not r.done]
        if not open_tasks:
            return
        task, ok = QInputDialog.getItem(
            self, _("Rectification done"), _("Which task is done?"), [r.task for r in open_tasks], 0, False
        )
        if ok:
            row = next(r for r in open_tasks if r.task == task)
            self._run(lambda: complaints.complete_rectification(self._db, self._ctx, rectification_id=row.id))
