"""Today's work as a table model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services.worklist import WorkEntry, kind_label

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QPersistentModelIndex


class WorkTableModel(QAbstractTableModel):
    def __init__(self, zone: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._entries: list[WorkEntry] = []

    def set_entries(self, entries: list[WorkEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> WorkEntry:
        return self._entries[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (_("Time"), _("Decision"), _("Number"), _("Item"), _("Applicant"), _("Status"), _("Fee"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self._entries[index.row()]
        return (
            on_screen(e.at, self._zone, clock_only=True),
            kind_label(e.kind),
            e.number,
            e.item_name,
            f"{e.applicant_name} {e.applicant_number}",
            e.state,
            e.fee,
        )[index.column()]
