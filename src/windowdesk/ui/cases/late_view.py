"""电子监察: open cases near or past their promised date, oldest first."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.case_state import CaseStatus, status_label
from windowdesk.domain.permissions import Permission
from windowdesk.domain.time_limits import Light
from windowdesk.i18n import _, format_date
from windowdesk.services import cases, worklist
from windowdesk.services.authorization import may
from windowdesk.services.context import CounterContext
from windowdesk.ui.errors import show_error
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

COLOURS = {Light.YELLOW: QColor("#fff4cc"), Light.RED: QColor("#fde2e1")}


class LateCasesModel(QAbstractTableModel):
    """The late cases as a table whose cells are worded only when shown: a center can
    have thousands, and formatting every date up front made each refresh slow."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cases: list[cases.CaseClock] = []
        self._brushes = {light: QBrush(colour) for light, colour in COLOURS.items()}
        self.headings: list[str] = []

    def case(self, row: int) -> cases.CaseClock:
        return self._cases[row]

    def set_cases(self, found: list[cases.CaseClock]) -> None:
        self.beginResetModel()
        self._cases = found
        self.endResetModel()

    def set_headings(self, headings: list[str]) -> None:
        self.headings = headings
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(headings) - 1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._cases)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else 6

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt's name
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headings[section] if section < len(self.headings) else None
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        case = self._cases[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes.get(case.state.light)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return case.case_number
        if column == 1:
            return case.item_name
        if column == 2:
            return status_label(CaseStatus(case.status))
        if column == 3:
            return format_date(case.state.promised_due, "medium")
        return str(case.state.promised_left if column == 4 else case.state.legal_left)


class LateCasesView(QWidget):
    def __init__(self, db, ctx: CounterContext, shipped_calendar, parent=None) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar = db, ctx, shipped_calendar
        self.summary = QLabel(objectName="lateSummary")
        self.whole_center = QCheckBox(objectName="wholeCenter")
        self.model = LateCasesModel(self)
        self.table = QTableView(objectName="lateTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(self.open_row)  # Enter or a double click: the case, to act on it
        self.last_dialog: RecordDetailDialog | None = None
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.whole_center)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.whole_center.toggled.connect(lambda _on: self.refresh())
        self.set_context(ctx)

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx
        allowed = may(self._db, ctx, Permission.MANAGE_OPERATORS)
        self.whole_center.setVisible(allowed)
        if not allowed:
            self.whole_center.setChecked(False)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.whole_center.setText(_("Whole center"))
        self.model.set_headings(
            [_("Case number"), _("Item"), _("Status"), _("Promised date"), _("Working days left"), _("Legal days left")]
        )

    def refresh(self) -> None:
        try:
            found = cases.late_cases(self._db, self._ctx, shipped_calendar=self._calendar,
                                     whole_center=self.whole_center.isChecked())
        except Exception as error:
            show_error(self, error)
            return
        self.model.set_cases(found)
        red = sum(1 for c in found if c.state.light is Light.RED)
        self.summary.setText(_("{red} overdue (red), {yellow} due soon (yellow).").format(
            red=red, yellow=len(found) - red))

    def open_row(self, index) -> None:
        if not index.isValid():
            return
        chosen = self.model.case(index.row())
        try:
            detail = worklist.get_record_detail(self._db, self._ctx, kind="case", record_id=chosen.case_id)
        except Exception as error:
            show_error(self, error)
            return
        self.last_dialog = RecordDetailDialog(detail, self._ctx.timezone, self, db=self._db, ctx=self._ctx)
        self.last_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog.finished.connect(lambda _result: self.refresh())  # a step taken there shows here
        self.last_dialog.open()
