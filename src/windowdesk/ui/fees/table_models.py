"""Table models of the fees screens: fees still due, the day's receipts, the till totals.

One model class shows rows of plain records; what each table shows is a pair of small
functions (headers, cells), so the words are looked up again on every paint and follow
a change of language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from windowdesk.domain.fees import method_label, yuan_text
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services.dayclose import DayTotals
from windowdesk.services.fees import FeeDue
from windowdesk.services.receipts import ReceiptEntry

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QPersistentModelIndex

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RowsTableModel(QAbstractTableModel):
    def __init__(
        self,
        headers: Callable[[], tuple[str, ...]],
        cells: Callable[[Any], tuple[str, ...]],
        *,
        amount_columns: tuple[int, ...] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers, self._cells, self._amounts = headers, cells, amount_columns
        self._rows: list = []

    def set_rows(self, rows: Iterable) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802 - Qt API
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(self._rows[index.row()])[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._amounts:
            return RIGHT
        return None


def fees_due_model(parent: QObject | None = None) -> RowsTableModel:
    def cells(row: FeeDue) -> tuple[str, ...]:
        amount = yuan_text(row.amount_fen) if row.amount_fen is not None else _("to be computed")
        return (row.case_number, row.item_name, row.applicant_name, amount)

    return RowsTableModel(
        lambda: (_("Case number"), _("Item"), _("Applicant"), _("Fee")), cells, amount_columns=(3,), parent=parent
    )


def receipts_model(zone: str, parent: QObject | None = None) -> RowsTableModel:
    def cells(row: ReceiptEntry) -> tuple[str, ...]:
        status = _("Voided ({number})").format(number=row.void_number) if row.voided else _("Valid")
        return (
            row.number,
            on_screen(row.paid_at, zone, clock_only=True),
            row.payer_name,
            row.what,
            row.item,
            method_label(row.method),
            yuan_text(row.amount_fen),
            status,
        )

    return RowsTableModel(
        lambda: (
            _("Receipt number"),
            _("Time"),
            _("Payer"),
            _("For"),
            _("Item"),
            _("Payment method"),
            _("Amount"),
            _("Status"),
        ),
        cells,
        amount_columns=(6,),
        parent=parent,
    )


def till_totals_model(parent: QObject | None = None) -> RowsTableModel:
    """Rows are (label, receipts, fen): one per way of payment, then the voided receipts."""
    return RowsTableModel(
        lambda: (_("Payment method"), _("Receipts"), _("Amount")),
        lambda row: (row[0], str(row[1]), yuan_text(row[2])),
        amount_columns=(1, 2),
        parent=parent,
    )


def till_rows(totals: DayTotals) -> list[tuple[str, int, int]]:
    rows = [(method_label(t.method), t.receipts, t.amount_fen) for t in totals.by_method]
    rows.append((_("Voided (not counted)"), totals.voided_receipts, totals.voided_fen))
    return rows
