"""电子监察: open cases near or past their promised date, oldest first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.permissions import Permission
from windowdesk.domain.time_limits import Light
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import cases, worklist
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.cases.to_follow_panel import ToFollowPanel
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from PySide6.QtCore import QObject, QPersistentModelIndex
    from PySide6.QtGui import QShowEvent

    from windowdesk.services.authorization import OperatorRights
    from windowdesk.ui.workers import Operation, Workers

COLOURS = {Light.YELLOW: QColor("#fff4cc"), Light.RED: QColor("#fde2e1")}
COLUMNS = 8
ITEM_COLUMN = 3  # the one column that takes the room left; the others fit their words
# Rows measured to fit a column: the watch can list thousands, and measuring each would
# word each (the model words a row only when it is shown).
FIT_SAMPLE_ROWS = 200
# Rows whose applicants are read at once, the first time one of them is shown: one
# statement per screenful or so, and never the center's thousands in one go.
NAMED_BLOCK_ROWS = 100


class LateCasesModel(QAbstractTableModel):
    """The late cases as a table whose cells are worded only when shown: a center can
    have thousands, and formatting every date up front made each refresh slow. The
    applicants are read the same way, a block of rows at a time through ``name_cases``
    (the cases as given, named): reading them for every late case of a large center held
    tens of megabytes of the database's pages for names nobody scrolled to."""

    def __init__(
        self,
        name_cases: Callable[[list[cases.CaseClock]], list[cases.CaseClock]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._name_cases = name_cases
        self._cases: list[cases.CaseClock] = []
        self._words: dict[int, list[str]] = {}  # rows worded so far (a row is asked for cell by cell)
        self._named_blocks: set[int] = set()  # blocks of NAMED_BLOCK_ROWS rows whose applicants were read
        self._brushes = {light: QBrush(colour) for light, colour in COLOURS.items()}
        self.headings: list[str] = []

    def case(self, row: int) -> cases.CaseClock:
        return self._cases[row]

    def set_cases(self, found: list[cases.CaseClock]) -> None:
        self.beginResetModel()
        self._cases, self._words, self._named_blocks = list(found), {}, set()
        self.endResetModel()

    def set_headings(self, headings: list[str]) -> None:
        self.headings = headings
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(headings) - 1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._cases)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802 - Qt's name
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headings[section] if section < len(self.headings) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case = self._cases[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes.get(case.state.light)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        words = self._words.get(index.row())
        if words is None:
            words = self._words[index.row()] = cases.late_list_row(self._named(index.row()))
        return words[index.column()]

    def _named(self, row: int) -> cases.CaseClock:
        block = row // NAMED_BLOCK_ROWS
        if block not in self._named_blocks:
            self._named_blocks.add(block)  # read once, even if the reading failed (shown to the operator)
            start = block * NAMED_BLOCK_ROWS
            self._cases[start : start + NAMED_BLOCK_ROWS] = self._name_cases(
                self._cases[start : start + NAMED_BLOCK_ROWS]
            )
        return self._cases[row]


class LateCasesView(QWidget):
    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        shipped_calendar: WorkingCalendar,
        rights: OperatorRights,
        parent: QWidget | None = None,
        *,
        workers: Workers,
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx, self._calendar, self._workers = db, ctx, shipped_calendar, workers
        self.summary = named(QLabel(), "lateSummary")
        self.whole_center = named(QCheckBox(), "wholeCenter")
        self.pdf_button = named(QPushButton(), "latePdf")
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.saving: Operation | None = None  # the running "save as PDF", if any
        self.found: list[cases.CaseClock] = []
        self._found_whole_center = False  # the scope of ``found``, whose rows are named as shown
        self.model = LateCasesModel(self._name_cases, self)
        self.table = named(QTableView(), "lateTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ITEM_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.activated.connect(self.open_row)  # Enter or a double click: the case, to act on it
        self.last_dialog: RecordDetailDialog | None = None
        self.to_follow = ToFollowPanel(db, ctx)  # 容缺受理
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.whole_center)
        top.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.to_follow)
        self.whole_center.toggled.connect(lambda _on: self.refresh())
        self.set_context(ctx, rights)

    def set_context(self, ctx: CounterContext, rights: OperatorRights) -> None:
        self._ctx = ctx
        self.to_follow.set_context(ctx)
        allowed = rights.allows(Permission.MANAGE_OPERATORS)
        self.whole_center.setVisible(allowed)
        if not allowed:
            self.whole_center.setChecked(False)
        self.retranslate()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not event.spontaneous():  # brought forward, not the window restored from the task bar
            self._read()

    def retranslate(self) -> None:
        self.whole_center.setText(_("Whole center"))
        self.pdf_button.setText(_("Save as PDF…"))
        self.model.set_headings(cases.late_list_headings())
        self.to_follow.retranslate()

    def refresh(self) -> None:
        """Read the list again if it is on screen; hidden, it is read when next shown."""
        if self.isVisible():
            self._read()

    def _read(self) -> None:
        try:
            found = cases.late_cases(
                self._db, self._ctx, shipped_calendar=self._calendar, whole_center=self.whole_center.isChecked()
            )
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.found, self._found_whole_center = found, self.whole_center.isChecked()
        self.model.set_cases(found)
        self.to_follow.refresh()
        red = sum(1 for c in found if c.state.light is Light.RED)
        self.summary.setText(
            _("{red} overdue (red), {yellow} due soon (yellow).").format(red=red, yellow=len(found) - red)
        )

    def _name_cases(self, shown: list[cases.CaseClock]) -> list[cases.CaseClock]:
        """The applicants of rows about to be shown; asked for while the table paints, so a
        failure is shown once the painting is done, and the rows stay without names."""
        try:
            return cases.with_applicants(self._db, self._ctx, shown, whole_center=self._found_whole_center)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            QTimer.singleShot(0, lambda failure=error: show_error(self, failure))
            return shown

    def open_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        chosen = self.model.case(index.row())
        try:
            detail = worklist.get_record_detail(self._db, self._ctx, kind="case", record_id=chosen.case_id)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.last_dialog = RecordDetailDialog(detail, self._ctx.timezone, self, db=self._db, ctx=self._ctx)
        self.last_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog.finished.connect(lambda _result: self.refresh())  # a step taken there shows here
        self.last_dialog.open()

    def save_pdf(self, path: str | None = None) -> None:
        """The list as shown, as a PDF to print for the review meeting. Thousands of rows
        make a hundred pages: written off the screen's thread."""
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save as PDF"), f"late-cases-{self._ctx.local_today():%Y%m%d}.pdf", "PDF (*.pdf)"
            )
        if not path:
            return
        found, whole_center = list(self.found), self._found_whole_center
        db, ctx = self._db, self._ctx

        def work(_cancel: threading.Event, _progress: Callable[[Any], None]) -> Path:
            Path(path).write_bytes(cases.late_list_pdf(db, ctx, found, whole_center=whole_center))
            return Path(path)

        def failed(error: BaseException) -> None:
            self.pdf_button.setEnabled(True)
            if isinstance(error, OSError):
                error = WindowdeskError(_("The file could not be saved"), str(error.strerror or error))
            show_error(self, error)

        def saved(written: Path) -> None:
            self.pdf_button.setEnabled(True)
            self.summary.setText(_("Saved to {path}.").format(path=written))

        self.pdf_button.setEnabled(False)
        self.saving = self._workers.start(work, on_success=saved, on_failure=failed)
