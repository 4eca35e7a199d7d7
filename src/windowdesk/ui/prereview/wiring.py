"""网上预审 in the main window: an "Online" menu whose action (Ctrl+Shift+O, from any
screen) opens the pre-review of the online applications; reopened after a sync that
brought new ones. Kept apart so the main window only creates it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from windowdesk.i18n import _
from windowdesk.services import online_visit
from windowdesk.sync.protocol import CHANGE_APPLICATION
from windowdesk.ui.prereview.dialog import PreReviewDialog
from windowdesk.ui.prereview.visit import VisitLookupDialog

if TYPE_CHECKING:
    from windowdesk.ui.main_window import MainWindow


class PreReviewWiring:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: PreReviewDialog | None = None
        self.menu = window.menuBar().addMenu("")
        self.open_action = self.menu.addAction("")
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_action.triggered.connect(self.open)
        self.visit_action = self.menu.addAction("")
        self.visit_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.visit_action.triggered.connect(self.open_visit)
        self.visit_dialog: VisitLookupDialog | None = None
        window.addActions([self.open_action, self.visit_action])
        window.sync.dataChanged.connect(self._hub_data_changed)

    def retranslate(self) -> None:
        self.menu.setTitle(_("O&nline"))
        self.open_action.setText(_("&Pre-review online applications… (Ctrl+Shift+O)"))
        self.visit_action.setText(_("Finish an online application at the &visit… (Ctrl+Shift+V)"))
        if self.dialog is not None:
            self.dialog.retranslate()

    def open(self) -> PreReviewDialog:
        if self.dialog is None or self.dialog.ctx != self.window.ctx:
            self.close()
            self.dialog = PreReviewDialog(self.window.db, self.window.ctx, self.window)
        else:
            self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def open_visit(self) -> VisitLookupDialog:
        """The number or ID number, then the intake pre-filled."""
        self.visit_dialog = VisitLookupDialog(self.window.db, self.window.ctx, self._opened, self.window)
        self.visit_dialog.open()
        return self.visit_dialog

    def _opened(self, form: online_visit.VisitForm) -> None:
        self.window.tabs.setCurrentWidget(self.window.intake)
        self.window.intake.open_online(form)

    def close(self) -> None:
        """At the lock: what the residents typed is not left on the screen."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _hub_data_changed(self, kinds: set) -> None:
        if CHANGE_APPLICATION in kinds and self.dialog is not None and self.dialog.isVisible():
            self.dialog.refresh()
