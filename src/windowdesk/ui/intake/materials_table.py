"""The item's material checklist: each one received, missing, or needing correction."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHeaderView, QLineEdit, QTableWidget, QTableWidgetItem, QWidget

from windowdesk.i18n import _
from windowdesk.services.catalog import MaterialLine
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck
from windowdesk.ui.formatting import yes_no

NOT_MARKED = None


class MaterialsTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("materialsTable")
        self._materials: list[MaterialLine] = []
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        self.setTabKeyNavigation(False)  # Tab walks the status boxes and notes instead
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_("Material"), _("Required"), _("Status"), _("Note")])

    def set_materials(self, materials: tuple[MaterialLine, ...]) -> None:
        self._materials = list(materials)
        self.setRowCount(len(materials))
        for row, mat in enumerate(materials):
            name = QTableWidgetItem(mat.name)
            name.setToolTip(mat.requirement)
            self.setItem(row, 0, name)
            self.setItem(row, 1, QTableWidgetItem(yes_no(mat.required)))
            status = QComboBox(objectName=f"status_{mat.code}")
            status.addItem(_("\u2014 not marked \u2014"), NOT_MARKED)
            status.addItem(_("Received"), RECEIVED)
            status.addItem(_("Missing"), MISSING)
            status.addItem(_("Needs correction"), CORRECTION)
            self.setCellWidget(row, 2, status)
            note = QLineEdit(objectName=f"note_{mat.code}")
            note.setPlaceholderText(_("What must be corrected"))
            self.setCellWidget(row, 3, note)
        self.resizeRowsToContents()

    def status_box(self, row: int) -> QComboBox:
        return self.cellWidget(row, 2)

    def note_edit(self, row: int) -> QLineEdit:
        return self.cellWidget(row, 3)

    def mark(self, row: int, status: str, note: str = "") -> None:
        box = self.status_box(row)
        box.setCurrentIndex(box.findData(status))
        self.note_edit(row).setText(note)

    def mark_all_received(self) -> None:
        for row in range(self.rowCount()):
            box = self.status_box(row)
            if box.currentData() is NOT_MARKED:
                box.setCurrentIndex(box.findData(RECEIVED))

    def checks(self) -> list[MaterialCheck]:
        """The marked rows; unmarked ones are left out so the service names them."""
        result = []
        for row, mat in enumerate(self._materials):
            status = self.status_box(row).currentData()
            if status is not NOT_MARKED:
                result.append(MaterialCheck(mat.code, status, self.note_edit(row).text()))
        return result

    def clear_materials(self) -> None:
        self._materials = []
        self.setRowCount(0)
