"""绩效考核: the center's performance for a chosen period, as a table and a chart, saved
as CSV or as a PDF to print. The figures come from services.reports (local data: works
offline); the report is built on the database lane, never on the UI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.assessment import GROUPINGS, Report
from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import QT_DATE_FORMAT
from windowdesk.services import reports
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named
from windowdesk.ui.qt_dates import python_date
from windowdesk.ui.reports.chart import ReportChart

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from windowdesk.ui.workers import Operation, Workers


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class PerformanceReportView(QWidget):
    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        shipped_calendar: WorkingCalendar,
        *,
        workers: Workers | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar, self._workers = db, ctx, shipped_calendar, workers
        self.report: Report | None = None
        self.running: Operation | None = None
        today = ctx.local_today()
        self.start_edit = named(QDateEdit(_qdate(today.replace(day=1))), "reportFrom")
        self.end_edit = named(QDateEdit(_qdate(today)), "reportTo")
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(QT_DATE_FORMAT)
        self.by_box = named(QComboBox(), "reportBy")
        self.run_button = named(QPushButton(), "runReport")
        self.csv_button = named(QPushButton(), "exportCsv")
        self.pdf_button = named(QPushButton(), "exportPdf")
        self.summary = named(QLabel(), "reportSummary")
        self.summary.setWordWrap(True)
        self.from_label, self.to_label, self.by_label = QLabel(), QLabel(), QLabel()
        self.table = named(QTableWidget(0, 0), "reportTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart = ReportChart(self)
        bar = QHBoxLayout()
        for widget in (
            self.from_label,
            self.start_edit,
            self.to_label,
            self.end_edit,
            self.by_label,
            self.by_box,
            self.run_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.csv_button)
        bar.addWidget(self.pdf_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.run_button.clicked.connect(self.run)
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.retranslate()
        self._exports_enabled(False)

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx

    def retranslate(self) -> None:
        self.from_label.setText(_("From"))
        self.to_label.setText(_("To"))
        self.by_label.setText(_("By"))
        current = self.by_box.currentData()
        self.by_box.clear()
        for by in GROUPINGS:
            self.by_box.addItem(reports.grouping_label(by), by)
        if current:
            self.by_box.setCurrentIndex(GROUPINGS.index(current))
        self.run_button.setText(_("Show"))
        self.csv_button.setText(_("Save as CSV…"))
        self.pdf_button.setText(_("Save as PDF to print…"))

    def _exports_enabled(self, on: bool) -> None:
        self.csv_button.setEnabled(on)
        self.pdf_button.setEnabled(on)

    def run(self) -> None:
        start, end = python_date(self.start_edit.date()), python_date(self.end_edit.date())
        by = self.by_box.currentData()
        db, ctx, calendar = self._db, self._ctx, self._calendar

        def work(_cancel: threading.Event | None = None, _progress: Callable[[Any], None] | None = None) -> Report:
            return reports.performance_report(db, ctx, start=start, end=end, by=by, shipped_calendar=calendar)

        self.run_button.setEnabled(False)
        self.summary.setText(_("Counting…"))
        if self._workers is None:
            try:
                self.show_report(work())
            except Exception as error:  # noqa: BLE001 - shown, never swallowed
                self._failed(error)
            return
        self.running = self._workers.start(work, on_success=self.show_report, on_failure=self._failed, lane="database")

    def _failed(self, error: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.summary.setText("")
        show_error(self, error)

    def show_report(self, report: Report) -> None:
        self.report = report
        self.run_button.setEnabled(True)
        headings, rows = reports.report_table(report)
        self.table.clear()
        self.table.setColumnCount(len(headings))
        self.table.setHorizontalHeaderLabels(headings)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        total = report.total
        self.summary.setText(
            _(
                "{accepted} accepted, {completed} completed ({on_time} on time), {overdue} overdue; "
                "satisfaction {rate}; {complaints} complaints, {resolved} resolved."
            ).format(
                accepted=total.accepted,
                completed=total.completed,
                on_time=total.on_time,
                overdue=total.overdue,
                rate=reports.format_figure("satisfaction_rate", total.satisfaction_rate),
                complaints=total.complaints,
                resolved=total.complaints_resolved,
            )
        )
        self.chart.show_bars(
            [row.label for row in report.rows],
            [
                (_("Accepted"), [row.figures.accepted for row in report.rows]),
                (_("Completed"), [row.figures.completed for row in report.rows]),
                (_("Overdue"), [row.figures.overdue for row in report.rows]),
            ],
        )
        self._exports_enabled(True)

    @staticmethod
    def _file_name(report: Report, suffix: str) -> str:
        return f"performance-{report.by}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{suffix}"

    def export_csv(self, path: str | None = None) -> Path | None:
        if self.report is None:
            return None
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save as CSV"), self._file_name(self.report, "csv"), "CSV (*.csv)"
            )
        if not path:
            return None
        try:
            Path(path).write_text(reports.report_csv(self.report), encoding="utf-8", newline="")
        except OSError as error:
            show_error(self, WindowdeskError(_("The file could not be saved"), str(error.strerror or error)))
            return None
        return Path(path)

    def export_pdf(self, path: str | None = None) -> Path | None:
        if self.report is None:
            return None
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save as PDF"), self._file_name(self.report, "pdf"), "PDF (*.pdf)"
            )
        if not path:
            return None
        from windowdesk.printing.performance_report import render_performance_report

        headings, rows = reports.report_table(self.report)
        try:
            pdf = render_performance_report(
                issuer=reports.report_issuer(self._db, self._ctx),
                start=self.report.start,
                end=self.report.end,
                grouping=reports.grouping_label(self.report.by),
                headings=headings,
                rows=rows,
            )
            Path(path).write_bytes(pdf)
        except OSError as error:
            show_error(self, WindowdeskError(_("The file could not be saved"), str(error.strerror or error)))
            return None
        return Path(path)
