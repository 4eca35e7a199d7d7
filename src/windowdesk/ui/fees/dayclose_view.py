"""日结: the end-of-day close of this window's till.

Shows the day to close — an earlier day left open comes first, and says so — what the
till should hold by way of payment, takes the counted cash (the difference appears as it
is typed), an explanation and a supervisor's approval. ``dayClosed(date)`` follows a
committed close; the window then prints the 日结单 and runs the end-of-day sync.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.fees import yuan_text
from windowdesk.domain.money import parse_yuan
from windowdesk.errors import ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import dayclose
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.approval_box import SupervisorApprovalBox, error_label
from windowdesk.ui.errors import show_error
from windowdesk.ui.fees.table_models import till_rows, till_totals_model
from windowdesk.ui.object_names import named


def difference_words(difference_fen: int) -> str:
    """Counted minus expected cash, as a cashier says it: 短款 (short), 长款 (over), or even."""
    if difference_fen < 0:
        return _("Short by {amount} (\u77ed\u6b3e)").format(amount=yuan_text(-difference_fen))
    if difference_fen > 0:
        return _("Over by {amount} (\u957f\u6b3e)").format(amount=yuan_text(difference_fen))
    return _("None: the till agrees")


BANNER_STYLE = "QLabel { background: #fef7e0; color: #7a4f01; padding: 6px; font-weight: bold; }"


class DayCloseView(QWidget):
    dayClosed = Signal(object)  # the closed date

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.day: dt.date = ctx.local_today()
        self.pending_label = named(QLabel(), "pendingBanner")
        self.pending_label.setStyleSheet(BANNER_STYLE)
        self.pending_label.setWordWrap(True)
        self.day_label = named(QLabel(), "closeDayLabel")
        self.totals_model = till_totals_model(self)
        self.totals_table = named(QTableView(), "tillTotals")
        self.totals_table.setModel(self.totals_model)
        self.totals_table.verticalHeader().setVisible(False)
        self.totals_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.totals_table.horizontalHeader().setStretchLastSection(True)
        self.totals_table.setMaximumHeight(200)
        self.expected_label = named(QLabel(), "expectedCash")
        self.counted_edit = named(QLineEdit(), "countedCash")
        self.difference_label = named(QLabel(), "differenceLabel")
        self.explanation_edit = named(QPlainTextEdit(), "closeExplanation")
        self.explanation_edit.setTabChangesFocus(True)
        self.explanation_edit.setMaximumHeight(70)
        self.approval = SupervisorApprovalBox()
        self.error_label = error_label()
        self.result_label = named(QLabel(), "closeResult")
        self.result_label.setWordWrap(True)
        self.close_button = named(QPushButton(), "closeDayButton")
        self.print_button = named(QPushButton(), "printDayReport")
        self.captions = {name: QLabel() for name in ("expected", "counted", "difference", "explanation")}
        self.captions["counted"].setBuddy(self.counted_edit)
        self.captions["explanation"].setBuddy(self.explanation_edit)
        form = QFormLayout()
        form.addRow(self.captions["expected"], self.expected_label)
        form.addRow(self.captions["counted"], self.counted_edit)
        form.addRow(self.captions["difference"], self.difference_label)
        form.addRow(self.captions["explanation"], self.explanation_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (self.pending_label, self.day_label, self.totals_table):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.approval)
        layout.addWidget(self.error_label)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.counted_edit.textChanged.connect(self._show_difference)
        self.close_button.clicked.connect(self.close_day)
        self.expected_fen = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.captions["expected"].setText(_("Cash expected in the till"))
        self.captions["counted"].setText(_("Cash &counted"))
        self.captions["difference"].setText(_("Difference"))
        self.captions["explanation"].setText(_("E&xplanation of a difference"))
        self.close_button.setText(_("Close the &day"))
        self.print_button.setText(_("Print the closing &report"))
        self.approval.retranslate()

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        """The day to close: an earlier open day first, else today."""
        try:
            waiting = dayclose.day_waiting_for_close(self._db, self._ctx)
            self.day = waiting or self._ctx.local_today()
            totals = dayclose.day_totals(self._db, self._ctx, day=self.day)
            record = dayclose.day_close_record(self._db, self._ctx, day=self.day)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.pending_label.setVisible(waiting is not None)
        if waiting is not None:
            self.pending_label.setText(
                _(
                    "The till of {day} was not closed. Close that day first: no payment can be taken "
                    "until it is closed."
                ).format(day=on_screen(waiting))
            )
        self.day_label.setText(_("Day: {day}").format(day=on_screen(self.day)))
        self.totals_model.set_rows(till_rows(totals))
        self.totals_table.resizeColumnsToContents()
        self.expected_fen = totals.expected_cash_fen
        self.expected_label.setText(yuan_text(totals.expected_cash_fen))
        closed = record is not None
        for widget in (self.counted_edit, self.explanation_edit, self.approval, self.close_button):
            widget.setEnabled(not closed)
        if record is not None:
            self.result_label.setText(
                _("Closed at {time}, confirmed by {supervisor}. Counted {counted}, difference {difference}.").format(
                    time=on_screen(record.closed_at, self._ctx.timezone),
                    supervisor=record.supervisor_name,
                    counted=yuan_text(record.counted_cash_fen),
                    difference=difference_words(record.difference_fen),
                )
            )
        else:
            self.result_label.clear()
        self._show_difference()

    def _counted(self) -> int:
        text = self.counted_edit.text().strip()
        if not text:
            raise ValidationError(_("Please enter the cash counted in the till."), field="counted_cash")
        return parse_yuan(text)

    def _show_difference(self) -> None:
        if not self.counted_edit.text().strip():
            self.difference_label.setText("")
            return
        try:
            self.difference_label.setText(difference_words(self._counted() - self.expected_fen))
        except ValidationError as error:
            self.difference_label.setText(error.message)

    def focus_count(self) -> None:
        self.counted_edit.setFocus()

    def close_day(self) -> None:
        try:
            dayclose.close_day(
                self._db,
                self._ctx,
                day=self.day,
                counted_cash_fen=self._counted(),
                explanation=self.explanation_edit.toPlainText(),
                supervisor=self.approval.credentials(),
            )
        except WindowdeskError as error:
            self.error_label.setText(error.message)
            self.approval.password_edit.clear()
            return
        closed = self.day
        self.error_label.clear()
        self.approval.clear()
        self.counted_edit.clear()
        self.explanation_edit.clear()
        self.refresh()
        self.dayClosed.emit(closed)
