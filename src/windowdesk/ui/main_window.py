"""The main window: intake first, today's work beside it, the counter's state below."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QTabWidget

from windowdesk.i18n import _
from windowdesk.services import catalog, workstation
from windowdesk.services.context import CounterContext
from windowdesk.ui.first_run import FirstRunDialog
from windowdesk.ui.intake.view import IntakeView
from windowdesk.ui.worklist.view import TodayView


class MainWindow(QMainWindow):
    def __init__(self, db, ctx: CounterContext, shipped_calendar) -> None:
        super().__init__()
        self.ctx = ctx
        self.search = catalog.CatalogSearch(db)
        self.intake = IntakeView(db, ctx, self.search, shipped_calendar)
        self.today = TodayView(db, ctx)
        self.tabs = QTabWidget(objectName="mainTabs")
        self.tabs.addTab(self.intake, "")
        self.tabs.addTab(self.today, "")
        self.setCentralWidget(self.tabs)
        self.center_label = QLabel(objectName="statusCenter")
        self.window_label = QLabel(objectName="statusWindow")
        self.operator_label = QLabel(objectName="statusOperator")
        self.network_label = QLabel(objectName="statusNetwork")
        for label in (self.center_label, self.window_label, self.operator_label):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.network_label)
        self.intake.recordSaved.connect(lambda _result: self.today.refresh())
        self.tabs.currentChanged.connect(self._tab_changed)
        for keys, index in (("Ctrl+1", 0), ("Ctrl+2", 1)):
            QShortcut(QKeySequence(keys), self).activated.connect(
                lambda i=index: self.tabs.setCurrentIndex(i)
            )
        QShortcut(QKeySequence("F5"), self).activated.connect(self.today.refresh)
        self.retranslate()
        self.resize(1280, 800)

    def retranslate(self) -> None:
        self.setWindowTitle(_("windowdesk \u2014 {center}, window {window}").format(
            center=self.ctx.center_name, window=self.ctx.window_code))
        self.tabs.setTabText(0, _("&Intake (Ctrl+1)"))
        self.tabs.setTabText(1, _("&Today's work (Ctrl+2)"))
        self.center_label.setText(_("Center: {name}").format(name=self.ctx.center_name))
        self.window_label.setText(_("Window: {code} {name}").format(code=self.ctx.window_code, name=self.ctx.window_name))
        self.operator_label.setText(_("Operator: {name}").format(name=self.ctx.operator_name))
        # No hub connection exists yet in this version: the counter works offline.
        self.network_label.setText(_("Offline"))
        self.intake.retranslate()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.today:
            self.today.refresh()
            self.today.table.setFocus()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.intake.focus_item_search()


def _render(widget, target: Path) -> bool:
    widget.show()
    QApplication.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    return widget.grab().save(str(target))


def launch(app: QApplication, *, db, shipped_calendar, smoke_test: Path | None = None) -> int:
    ctx = workstation.current_context(db)
    if ctx is None:
        dialog = FirstRunDialog(db)
        if smoke_test is not None:
            return 0 if _render(dialog, smoke_test) else 1
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.context is None:
            return 0
        ctx = dialog.context
    window = MainWindow(db, ctx, shipped_calendar)
    if smoke_test is not None:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, False)
        return 0 if _render(window, smoke_test) else 1
    window.show()
    return app.exec()
