"""Today's work at this window: what was accepted, notified and refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from windowdesk.i18n import _
from windowdesk.services import worklist
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog
from windowdesk.ui.worklist.table_model import WorkTableModel

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QShowEvent

    from windowdesk.ui.workers import Workers


class TodayView(QWidget):
    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.collect_fee: Callable[[str], None] | None = None  # set by the main window: opens the payment of a case
        self.workers: Workers | None = None  # set by the main window: its background lanes (ui/workers.py)
        self.summary_label = named(QLabel(), "daySummary")
        self.model = WorkTableModel(ctx.timezone, self)
        self.table = named(QTableView(), "todayTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(self.open_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        # Nothing read yet: the list is read when the tab comes into view (showEvent).

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not event.spontaneous():  # brought forward, not the window restored from the task bar
            self._read()

    def refresh(self) -> None:
        """Read the list again if it is on screen; hidden, it is read when next shown."""
        if self.isVisible():
            self._read()

    def _read(self) -> None:
        try:
            entries = worklist.list_day_work(self._db, self._ctx)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.model.set_entries(entries)
        self.table.resizeColumnsToContents()
        counts = worklist.summarize(entries)
        self.summary_label.setText(
            _(
                "Today at this window: {accepted} accepted, {notified} one-time notifications, "
                "{refused} refused. Press Enter on a row to open it."
            ).format(accepted=counts.accepted, notified=counts.notified, refused=counts.refused)
        )

    def open_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        entry = self.model.entry(index.row())
        try:
            detail = worklist.get_record_detail(self._db, self._ctx, kind=entry.kind, record_id=entry.id)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.last_dialog = RecordDetailDialog(
            detail,
            self._ctx.timezone,
            self,
            db=self._db,
            ctx=self._ctx,
            collect_fee=self.collect_fee,
            workers=self.workers,
        )
        self.last_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog.open()
