"""The sync window: progress, what was sent and received, and what the hub refused."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from windowdesk.i18n import _
from windowdesk.services import sync as sync_service
from windowdesk.ui.formatting import local_time
from windowdesk.ui.sync.change_words import change_words


class SyncDialog(QDialog):
    def __init__(self, controller, zone: str, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller, self._zone, self._db = controller, zone, db
        self.setWindowTitle(_("Sync with the hub"))
        self.status_label = QLabel(objectName="syncStatus")
        self.progress = QProgressBar(objectName="syncProgress")
        self.log = QTextBrowser(objectName="syncLog")
        self.rejected_table = QTableWidget(0, 4, objectName="rejectedTable")
        self.rejected_table.setHorizontalHeaderLabels([_("Time"), _("Change"), _("Record"), _("Hub's reason")])
        self.rejected_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # The hub's reasons are sentences: wrapped, each row as tall as its reason needs at
        # the column's width (refused changes are few; measuring them costs nothing).
        self.rejected_table.setWordWrap(True)
        self.rejected_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.sync_button = QPushButton(_("Sync &now"), objectName="syncNow")
        self.cancel_button = QPushButton(_("&Stop"), objectName="syncStop")
        close = QPushButton(_("Close"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress)
        layout.addWidget(QLabel(_("Last results")))
        layout.addWidget(self.log, 1)
        layout.addWidget(QLabel(_("Refused by the hub (kept here for a supervisor)")))
        layout.addWidget(self.rejected_table, 1)
        layout.addLayout(buttons)
        self.sync_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(controller.cancel)
        close.clicked.connect(self.accept)
        controller.progressed.connect(self._show_progress)
        controller.finished.connect(self._show_report)
        controller.statusChanged.connect(self.refresh)
        self.resize(720, 560)
        self.refresh()
        if controller.last_report is not None:
            self._show_report(controller.last_report)

    def _start(self) -> None:
        if not self._controller.sync_now():
            self.log.append(escape(_("This workstation is not enrolled with a hub yet (Sync \u2192 Enroll).")))

    def refresh(self) -> None:
        status = self._controller.status
        running = self._controller.running is not None
        last = local_time(status.last_success, self._zone) if status.last_success else _("never")
        self.status_label.setText(
            _("{online} \u00b7 {pending} unsent \u00b7 last successful sync: {last}").format(
                online=_("Online") if self._controller.online else _("Offline"),
                pending=status.pending, last=last,
            )
        )
        self.sync_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        rejected = sync_service.rejected_events(self._db)
        self.rejected_table.setRowCount(len(rejected))
        for row, event in enumerate(rejected):
            for col, text in enumerate(
                (local_time(event.created_at, self._zone), change_words(event.kind), event.record, event.reason)
            ):
                self.rejected_table.setItem(row, col, QTableWidgetItem(text))
        for column in range(3 if rejected else 0):  # the reason's column stretches over the rest
            self.rejected_table.resizeColumnToContents(column)

    def _show_progress(self, progress) -> None:
        if progress.phase == "push":
            self.progress.setMaximum(max(progress.to_push, 1))
            self.progress.setValue(progress.pushed)
            self.progress.setFormat(_("Sending %v of %m"))
        elif progress.phase == "pull":
            self.progress.setMaximum(0)  # unknown length: busy indicator
            self.progress.setFormat(_("Receiving\u2026 {count}").format(count=progress.pulled))
        else:
            self.progress.setMaximum(1)
            self.progress.setValue(1)
            self.progress.setFormat(_("Done"))

    def _show_report(self, report) -> None:
        lines = [escape(
            _("Sent: {applied} applied, {duplicates} already on the hub, {rejected} refused. "
              "Received: {pulled} changes.").format(
                applied=report.applied, duplicates=report.duplicates,
                rejected=len(report.rejected), pulled=report.pulled,
            )
        )]
        if report.sent_again:
            lines.append(escape(_("The hub was restored from a backup: {count} changes it had already confirmed "
                                  "were sent again.").format(count=report.sent_again)))
        if report.error is not None:
            lines.append(_("{title}: {message}").format(
                title=f"<b>{escape(report.error.title)}</b>", message=escape(report.error.message)
            ))
        self.log.append("<br>".join(lines))
        self.refresh()
