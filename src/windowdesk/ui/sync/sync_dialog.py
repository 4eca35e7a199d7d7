"""The sync window: progress, what was sent and received, and what the hub refused; a
supervisor marks a refused change resolved once it has been dealt with."""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import refusals, worklist
from windowdesk.services.context import CounterContext, Database
from windowdesk.sync.change_words import change_words
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named
from windowdesk.ui.sync.resolve_dialog import ResolveRefusalDialog
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog
from windowdesk.ui.wrapped_text import WrappedTextDelegate

if TYPE_CHECKING:
    from windowdesk.services.sync import SyncProgress, SyncReport
    from windowdesk.ui.sync.controller import SyncController

RESOLUTION_COLUMN = 4
# The records a window can open in its details dialog (services/worklist.py).
RECORD_KINDS = frozenset({worklist.CASE, worklist.NOTIFICATION, worklist.REFUSAL})


class SyncDialog(QDialog):
    def __init__(
        self,
        controller: SyncController,
        context: Callable[[], CounterContext],
        db: Database,
        parent: QWidget | None = None,
    ) -> None:
        """``context`` gives the operator at the window now (it changes when another logs in)."""
        super().__init__(parent)
        self._controller, self._context, self._db = controller, context, db
        self._refused: list[refusals.RefusedChange] = []
        self.resolve_dialog: ResolveRefusalDialog | None = None
        self.record_dialog: RecordDetailDialog | None = None
        self.setWindowTitle(_("Sync with the hub"))
        self.status_label = named(QLabel(), "syncStatus")
        self.progress = named(QProgressBar(), "syncProgress")
        self.log = named(QTextBrowser(), "syncLog")
        self.rejected_table = named(QTableWidget(0, 5), "rejectedTable")
        self.rejected_table.setHorizontalHeaderLabels(
            [_("Time"), _("Change"), _("Record"), _("Hub's reason"), _("Resolution")]
        )
        header = self.rejected_table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(RESOLUTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        # The hub's reasons are sentences: wrapped, each row as tall as its reason needs at
        # the column's width (refused changes are few; measuring them costs nothing).
        self.rejected_table.setWordWrap(True)
        self.rejected_table.setItemDelegate(WrappedTextDelegate(self.rejected_table))
        self.rejected_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rejected_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rejected_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.show_resolved = named(QCheckBox(_("Show resol&ved ones too")), "showResolved")
        self.resolve_button = named(QPushButton(_("&Mark as resolved\u2026")), "resolveRefused")
        self.open_record_button = named(QPushButton(_("&Open the record\u2026")), "openRefusedRecord")
        resolve_hint = named(
            QLabel(
                _(
                    "Once a refused change has been dealt with (done again the right way, corrected, or taken "
                    "up with the hub's administrators), a supervisor marks it resolved."
                )
            ),
            "resolveHint",
        )
        resolve_hint.setWordWrap(True)
        self.sync_button = named(QPushButton(_("Sync &now")), "syncNow")
        self.cancel_button = named(QPushButton(_("&Stop")), "syncStop")
        close = QPushButton(_("Close"))
        refused_heading = QHBoxLayout()
        refused_heading.addWidget(QLabel(_("Refused by the hub (kept here for a supervisor)")))
        refused_heading.addStretch(1)
        refused_heading.addWidget(self.show_resolved)
        refused_actions = QHBoxLayout()
        refused_actions.addWidget(resolve_hint, 1)
        refused_actions.addWidget(self.open_record_button)
        refused_actions.addWidget(self.resolve_button)
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
        layout.addLayout(refused_heading)
        layout.addWidget(self.rejected_table, 1)
        layout.addLayout(refused_actions)
        layout.addLayout(buttons)
        self.sync_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(controller.cancel)
        close.clicked.connect(self.accept)
        self.show_resolved.toggled.connect(self.refresh)
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.open_record_button.clicked.connect(self.open_selected_record)
        self.rejected_table.itemSelectionChanged.connect(self._selection_changed)
        controller.progressed.connect(self._show_progress)
        controller.finished.connect(self._show_report)
        controller.statusChanged.connect(self.refresh)
        self.resize(820, 600)
        self.refresh()
        if controller.last_report is not None:
            self._show_report(controller.last_report)

    def _start(self) -> None:
        if not self._controller.sync_now():
            self.log.append(escape(_("This workstation is not enrolled with a hub yet (Sync \u2192 Enroll).")))

    def refresh(self) -> None:
        zone = self._context().timezone
        status = self._controller.status
        running = self._controller.running is not None
        last = on_screen(status.last_success, zone) if status.last_success else _("never")
        text = _("{online} \u00b7 {pending} unsent \u00b7 last successful sync: {last}").format(
            online=_("Online") if self._controller.online else _("Offline"),
            pending=status.pending,
            last=last,
        )
        pages = self._controller.pages_waiting()
        if pages is not None:
            text += " \u00b7 " + _("pages waiting: {count} ({size} MB)").format(
                count=pages[0], size=f"{pages[1] / 1_000_000:.1f}"
            )
        self.status_label.setText(text)
        self.sync_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self._show_refused(zone)

    def _show_refused(self, zone: str) -> None:
        chosen = self._selected()
        showing_resolved = self.show_resolved.isChecked()
        self._refused = refusals.refused_changes(self._db, include_resolved=showing_resolved)
        table = self.rejected_table
        table.setColumnHidden(RESOLUTION_COLUMN, not showing_resolved)
        # A row keeps its selection by its change, never by its place: after a refresh the
        # same place may hold another change.
        table.clearSelection()
        table.setRowCount(len(self._refused))
        faded = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for row, refused in enumerate(self._refused):
            resolution = refused.resolution
            cells = [
                on_screen(refused.created_at, zone),
                change_words(refused.kind),
                refused.record,
                refused.reason,
                ""
                if resolution is None
                else _("{time}, {supervisor}: {note}").format(
                    time=on_screen(resolution.at, zone), supervisor=resolution.supervisor, note=resolution.note
                ),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if resolution is not None and col < RESOLUTION_COLUMN:
                    item.setForeground(faded)  # dealt with: there for the record
                table.setItem(row, col, item)
            if chosen is not None and refused.event_id == chosen.event_id:
                table.selectRow(row)
        for column in range(3 if self._refused else 0):  # the reason's column stretches over the rest
            table.resizeColumnToContents(column)
        # Again once the stretched columns have their widths (a column just shown has none yet).
        QTimer.singleShot(0, table, table.resizeRowsToContents)  # dropped if the table is gone by then
        self._selection_changed()

    def _selected(self) -> refusals.RefusedChange | None:
        rows = self.rejected_table.selectionModel().selectedRows()
        return self._refused[rows[0].row()] if rows and rows[0].row() < len(self._refused) else None

    def _selection_changed(self) -> None:
        chosen = self._selected()
        self.resolve_button.setEnabled(chosen is not None and chosen.resolution is None)
        self.open_record_button.setEnabled(chosen is not None and chosen.entity in RECORD_KINDS)

    def open_selected_record(self) -> None:
        """The refused record's details and the steps it allows (withdraw a case accepted
        under the wrong item, reprint), to deal with the refusal before marking it resolved."""
        chosen = self._selected()
        if chosen is None or chosen.entity not in RECORD_KINDS:
            return
        ctx = self._context()
        try:
            detail = worklist.get_record_detail(self._db, ctx, kind=chosen.entity, record_id=chosen.entity_id)
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.record_dialog = RecordDetailDialog(detail, ctx.timezone, self, db=self._db, ctx=ctx)
        self.record_dialog.finished.connect(lambda _result: self._controller.refresh_status())
        self.record_dialog.open()

    def resolve_selected(self) -> None:
        chosen = self._selected()
        if chosen is None or chosen.resolution is not None:
            return
        same_record = [
            c
            for c in self._refused
            if c.entity_id == chosen.entity_id and c.resolution is None and c.event_id != chosen.event_id
        ]
        self.resolve_dialog = ResolveRefusalDialog(self._db, self._context(), chosen, self, same_record=same_record)
        self.resolve_dialog.accepted.connect(self._controller.refresh_status)  # the dialog and status bar
        self.resolve_dialog.open()

    def _show_progress(self, progress: SyncProgress) -> None:
        if progress.phase == "push":
            self.progress.setMaximum(max(progress.to_push, 1))
            self.progress.setValue(progress.pushed)
            if progress.turn_in is not None:
                self.progress.setFormat(
                    _(
                        "Sent %v of %m. The hub is busy with other windows; this window's turn comes in {seconds} s"
                    ).format(seconds=max(1, math.ceil(progress.turn_in)))
                )
            else:
                self.progress.setFormat(_("Sending %v of %m"))
        elif progress.phase == "pages":
            # In KB: a day's pages may pass the largest number a progress bar holds in bytes.
            self.progress.setMaximum(max(progress.page_bytes_total // 1000, 1))
            self.progress.setValue(progress.page_bytes_sent // 1000)
            self.progress.setFormat(
                _("Sending pages: {sent} of {total} MB").format(
                    sent=f"{progress.page_bytes_sent / 1_000_000:.1f}",
                    total=f"{progress.page_bytes_total / 1_000_000:.1f}",
                )
            )
        elif progress.phase == "pull":
            self.progress.setMaximum(0)  # unknown length: busy indicator
            self.progress.setFormat(_("Receiving\u2026 {count}").format(count=progress.pulled))
        else:
            self.progress.setMaximum(1)
            self.progress.setValue(1)
            self.progress.setFormat(_("Done"))

    def _show_report(self, report: SyncReport) -> None:
        lines = [
            escape(
                _(
                    "Sent: {applied} applied, {duplicates} already on the hub, {rejected} refused. "
                    "Received: {pulled} changes."
                ).format(
                    applied=report.applied,
                    duplicates=report.duplicates,
                    rejected=len(report.rejected),
                    pulled=report.pulled,
                )
            )
        ]
        if report.sent_again:
            lines.append(
                escape(
                    _(
                        "The hub was restored from a backup: {count} changes it had already confirmed were sent again."
                    ).format(count=report.sent_again)
                )
            )
        if report.pages_confirmed or report.pages_refused:
            lines.append(
                escape(
                    _(
                        "Pages: {confirmed} now on the hub, {refused} refused by it (kept here, tried again "
                        "at the next sync)."
                    ).format(confirmed=report.pages_confirmed, refused=len(report.pages_refused))
                )
            )
            lines += [escape(reason) for _sha256, reason in report.pages_refused[:3]]
        if report.error is not None:
            lines.append(
                _("{title}: {message}").format(
                    title=f"<b>{escape(report.error.title)}</b>", message=escape(report.error.message)
                )
            )
        self.log.append("<br>".join(lines))
        self.refresh()
