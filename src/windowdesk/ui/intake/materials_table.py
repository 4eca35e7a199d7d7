"""The item's material checklist: each one received, missing, or needing correction."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QLineEdit, QTableWidget, QTableWidgetItem, QWidget

from windowdesk.domain.material_status import MaterialStatus
from windowdesk.i18n import _
from windowdesk.services.catalog import MaterialLine
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck
from windowdesk.ui.formatting import yes_no
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QWheelEvent

NOT_MARKED = None
# One key marks a material: the digits a clerk's left hand rests near. Typed on a focused
# status box; the focus then moves on to the next material (or, to correct, to the note).
# By key code: QKeyEvent.key() gives an int.
STATUS_KEYS: dict[int, MaterialStatus | None] = {
    Qt.Key.Key_1: RECEIVED,
    Qt.Key.Key_2: MISSING,
    Qt.Key.Key_3: CORRECTION,
    Qt.Key.Key_0: NOT_MARKED,
}


class StatusBox(QComboBox):
    """A material's status. Up and Down move between materials instead of quietly changing
    the status; the wheel scrolls the table; 1/2/3/0 mark; Space or F4 open the list."""

    marked = Signal(object)  # the status a key chose
    moveRequested = Signal(int)  # -1 up, +1 down

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in STATUS_KEYS:
            self.setCurrentIndex(self.findData(STATUS_KEYS[key]))
            self.marked.emit(STATUS_KEYS[key])
            return
        if plain and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.moveRequested.emit(-1 if key == Qt.Key.Key_Up else 1)
            return
        if plain and key in (Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            event.ignore()  # not a silent change of the status either
            return
        if plain and event.text().isalnum():
            event.ignore()  # typing a letter must not pick a status by its first letter
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        event.ignore()  # scrolling over the table must not change a status


class MaterialsTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("materialsTable")
        self._materials: list[MaterialLine] = []
        # The cell widgets, by row: cellWidget() gives them back only as QWidget.
        self._status_boxes: list[StatusBox] = []
        self._note_edits: list[QLineEdit] = []
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        self.setTabKeyNavigation(False)  # Tab walks the status boxes and notes instead
        # The focus is always on a status box or a note, never on a bare cell.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_("Material"), _("Required"), _("Status"), _("Note")])

    def set_materials(self, materials: tuple[MaterialLine, ...]) -> None:
        self._materials = list(materials)
        self._status_boxes, self._note_edits = [], []
        self.setRowCount(len(materials))
        for row, mat in enumerate(materials):
            name = QTableWidgetItem(mat.name)
            name.setToolTip(mat.requirement)
            self.setItem(row, 0, name)
            self.setItem(row, 1, QTableWidgetItem(yes_no(mat.required)))
            status = named(StatusBox(), f"status_{mat.code}")
            status.addItem(_("\u2014 not marked \u2014"), NOT_MARKED)
            status.addItem(_("Received"), RECEIVED)
            status.addItem(_("Missing"), MISSING)
            status.addItem(_("Needs correction"), CORRECTION)
            self.setCellWidget(row, 2, status)
            note = named(QLineEdit(), f"note_{mat.code}")
            note.setPlaceholderText(_("What must be corrected"))
            self.setCellWidget(row, 3, note)
            self._status_boxes.append(status)
            self._note_edits.append(note)
            status.marked.connect(lambda value, r=row: self._marked(r, value))
            status.moveRequested.connect(lambda step, r=row: self.focus_status(r + step))
        # Tab: status, its note, the next status, ...
        widgets = [w for row in range(len(materials)) for w in (self.status_box(row), self.note_edit(row))]
        for first, second in pairwise(widgets):
            QWidget.setTabOrder(first, second)
        self.resizeRowsToContents()

    def focus_status(self, row: int) -> None:
        if 0 <= row < self.rowCount():
            self.status_box(row).setFocus(Qt.FocusReason.TabFocusReason)
            item = self.item(row, 0)
            if item is not None:  # every row has its name's item
                self.scrollToItem(item)

    def first_status(self) -> QWidget | None:
        return self.status_box(0) if self.rowCount() else None

    def _marked(self, row: int, status: str | None) -> None:
        if status == CORRECTION:
            self.note_edit(row).setFocus(Qt.FocusReason.TabFocusReason)
        elif status is not NOT_MARKED:
            self.focus_status(row + 1)

    def status_box(self, row: int) -> QComboBox:
        return self._status_boxes[row]

    def note_edit(self, row: int) -> QLineEdit:
        return self._note_edits[row]

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
        self._materials, self._status_boxes, self._note_edits = [], [], []
        self.setRowCount(0)
