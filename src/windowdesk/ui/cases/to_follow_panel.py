"""容缺受理 on the case watch: the materials the center's cases wait for, each with its
due date, those past it in red; recording an arrival, and applying the catalog's rule in
one step to a case whose date has passed (a refusal's notice opens to print at once).

Hidden while nothing is awaited, so the watch keeps its room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import deferrals, documents
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog

OVERDUE = QColor("#fde2e1")


class ToFollowPanel(QGroupBox):
    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toFollowPanel")
        self._db, self._ctx = db, ctx
        self.rows: list[deferrals.MaterialToFollow] = []
        self.table = named(QTableWidget(0, 5), "toFollowTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMaximumHeight(140)
        self.arrived_button = named(QPushButton(), "materialArrived")
        self.rule_button = named(QPushButton(), "applyDeferralRule")
        self.arrived_button.clicked.connect(self.record_arrival)
        self.rule_button.clicked.connect(self.apply_rule)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.print_dialog: PrintPreviewDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.arrived_button)
        buttons.addWidget(self.rule_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Materials to follow (容缺受理)"))
        self.table.setHorizontalHeaderLabels(
            [_("Case number"), _("Item"), _("Material to follow"), _("Bring by"), _("State")]
        )
        self.arrived_button.setText(_("Material brought"))
        self.rule_button.setText(_("Apply the catalog's rule"))

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx

    def refresh(self) -> None:
        try:
            self.rows = deferrals.materials_to_follow(self._db, self._ctx)
        except WindowdeskError:
            self.rows = []  # an operator who may not decide intake does not see them
        self.table.setRowCount(len(self.rows))
        for row, entry in enumerate(self.rows):
            state = _("overdue: apply the rule") if entry.overdue else _("waiting")
            for column, text in enumerate(
                (entry.case_number, entry.item_name, entry.name, on_screen(entry.due_date), state)
            ):
                cell = QTableWidgetItem(text)
                if entry.overdue:
                    cell.setBackground(QBrush(OVERDUE))
                self.table.setItem(row, column, cell)
        self.setVisible(bool(self.rows))
        self._update_buttons()

    def _chosen(self) -> deferrals.MaterialToFollow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _update_buttons(self) -> None:
        chosen = self._chosen()
        self.arrived_button.setEnabled(chosen is not None)
        self.rule_button.setEnabled(chosen is not None and chosen.overdue)

    def record_arrival(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        try:
            deferrals.record_arrival(self._db, self._ctx, case_id=chosen.case_id, material_code=chosen.material_code)
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.refresh()

    def apply_rule(self) -> None:
        from windowdesk.ui.printing.actions import open_print_preview

        chosen = self._chosen()
        if chosen is None:
            return
        try:
            deferrals.apply_deferral_rule(self._db, self._ctx, case_id=chosen.case_id)
            notice = (
                documents.deferral_refusal_notice_data(self._db, self._ctx, chosen.case_id)
                if chosen.rule is deferrals.REFUSE
                else None
            )
        except WindowdeskError as error:
            show_error(self, error)
            return
        self.refresh()
        if notice is not None:
            self.print_dialog = open_print_preview(self, self._db, self._ctx, notice)
