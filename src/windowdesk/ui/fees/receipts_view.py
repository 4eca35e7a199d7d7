"""Today's money at this window: the cases whose fee is still due, and the receipts issued.

Enter on a case collects its fee; on a receipt, Delete asks to void it and Ctrl+P
reprints it. The view only shows and asks: ``FeesView`` opens the dialogs and prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.fees import yuan_text
from windowdesk.i18n import _
from windowdesk.services import fees, receipts
from windowdesk.services.context import CounterContext, Database
from windowdesk.services.receipts import ReceiptEntry
from windowdesk.ui.errors import show_error
from windowdesk.ui.fees.table_models import RowsTableModel, fees_due_model, receipts_model
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from PySide6.QtCore import QAbstractItemModel


def _table(name: str, model: QAbstractItemModel, stretch: int) -> QTableView:
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table


class ReceiptsView(QWidget):
    collectRequested = Signal(str)  # case id
    voidRequested = Signal(object)  # ReceiptEntry
    reprintRequested = Signal(object)  # ReceiptEntry

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.due_caption = named(QLabel(), "feesDueCaption")
        self.due_model = fees_due_model(self)
        self.due_table = _table("feesDue", self.due_model, 1)
        self.collect_button = named(QPushButton(), "collectFeeButton")
        self.receipts_caption = named(QLabel(), "receiptsCaption")
        self.receipts_model = receipts_model(ctx.timezone, self)
        self.receipts_table = _table("receiptsTable", self.receipts_model, 4)
        self.void_button = named(QPushButton(), "voidButton")
        self.reprint_button = named(QPushButton(), "reprintReceipt")
        due_buttons = QHBoxLayout()
        due_buttons.addWidget(self.collect_button)
        due_buttons.addStretch(1)
        receipt_buttons = QHBoxLayout()
        receipt_buttons.addWidget(self.void_button)
        receipt_buttons.addWidget(self.reprint_button)
        receipt_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.due_caption)
        layout.addWidget(self.due_table, 1)
        layout.addLayout(due_buttons)
        layout.addWidget(self.receipts_caption)
        layout.addWidget(self.receipts_table, 2)
        layout.addLayout(receipt_buttons)
        self.due_table.activated.connect(lambda _index: self.request_collect())
        self.collect_button.clicked.connect(self.request_collect)
        self.void_button.clicked.connect(self.request_void)
        self.reprint_button.clicked.connect(self.request_reprint)
        for keys, table, slot in (
            ("Delete", self.receipts_table, self.request_void),
            ("Ctrl+P", self.receipts_table, self.request_reprint),
        ):
            shortcut = QShortcut(QKeySequence(keys), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self.retranslate()

    def retranslate(self) -> None:
        self.collect_button.setText(_("Co&llect the fee\u2026 (Enter)"))
        self.void_button.setText(_("&Void\u2026 (Del)"))
        self.reprint_button.setText(_("Re&print (Ctrl+P)"))

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        try:
            due = fees.fees_due(self._db, self._ctx)
            issued = receipts.receipts_of_day(self._db, self._ctx)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.due_model.set_rows(due)
        self.receipts_model.set_rows(issued)
        self.due_table.resizeColumnsToContents()
        self.receipts_table.resizeColumnsToContents()
        self.due_caption.setText(_("Fees still to collect today: {count}").format(count=len(due)))
        valid = [entry for entry in issued if not entry.voided]
        self.receipts_caption.setText(
            _("Receipts issued today: {count}, {amount} not voided").format(
                count=len(issued), amount=yuan_text(sum(entry.amount_fen for entry in valid))
            )
        )
        self.collect_button.setEnabled(bool(due))
        self.void_button.setEnabled(bool(issued))
        self.reprint_button.setEnabled(bool(issued))

    def _selected(self, table: QTableView, model: RowsTableModel) -> Any:
        rows = table.selectionModel().selectedRows()
        if rows:
            return model.row(rows[0].row())
        current = table.currentIndex()
        if current.isValid():
            return model.row(current.row())
        return model.row(0) if model.rowCount() == 1 else None

    def select_receipt(self, number: str) -> None:
        for row in range(self.receipts_model.rowCount()):
            if self.receipts_model.row(row).number == number:
                self.receipts_table.selectRow(row)
                return

    def request_collect(self) -> None:
        chosen = self._selected(self.due_table, self.due_model)
        if chosen is not None:
            self.collectRequested.emit(chosen.case_id)

    def request_void(self) -> None:
        chosen: ReceiptEntry | None = self._selected(self.receipts_table, self.receipts_model)
        if chosen is not None:
            self.voidRequested.emit(chosen)

    def request_reprint(self) -> None:
        chosen = self._selected(self.receipts_table, self.receipts_model)
        if chosen is not None:
            self.reprintRequested.emit(chosen)
