"""电子监察: open cases near or past their promised date, oldest first."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.case_state import CaseStatus, status_label
from windowdesk.domain.permissions import Permission
from windowdesk.domain.time_limits import Light
from windowdesk.i18n import _, format_date
from windowdesk.services import cases
from windowdesk.services.authorization import may
from windowdesk.services.context import CounterContext
from windowdesk.ui.errors import show_error

COLOURS = {Light.YELLOW: QColor("#fff4cc"), Light.RED: QColor("#fde2e1")}


class LateCasesView(QWidget):
    def __init__(self, db, ctx: CounterContext, shipped_calendar, parent=None) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar = db, ctx, shipped_calendar
        self.summary = QLabel(objectName="lateSummary")
        self.whole_center = QCheckBox(objectName="wholeCenter")
        self.table = QTableWidget(0, 6, objectName="lateTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
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
        self.table.setHorizontalHeaderLabels(
            [_("Case number"), _("Item"), _("Status"), _("Promised date"), _("Working days left"), _("Legal days left")]
        )

    def refresh(self) -> None:
        try:
            found = cases.late_cases(self._db, self._ctx, shipped_calendar=self._calendar,
                                     whole_center=self.whole_center.isChecked())
        except Exception as error:
            show_error(self, error)
            return
        self.table.setRowCount(len(found))
        for row, case in enumerate(found):
            values = (case.case_number, case.item_name, status_label(CaseStatus(case.status)),
                      format_date(case.state.promised_due, "medium"), str(case.state.promised_left),
                      str(case.state.legal_left))
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setBackground(QBrush(COLOURS[case.state.light]))
                self.table.setItem(row, col, cell)
        red = sum(1 for c in found if c.state.light is Light.RED)
        self.summary.setText(_("{red} overdue (red), {yellow} due soon (yellow).").format(
            red=red, yellow=len(found) - red))
