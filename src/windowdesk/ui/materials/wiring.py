"""F7 at the counter: the scanned pages of the case just accepted, while the applicant's
papers are still on the desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut

from windowdesk.i18n import _

if TYPE_CHECKING:
    from windowdesk.services.intake import IntakeResult
    from windowdesk.ui.main_window import MainWindow
    from windowdesk.ui.materials.pages_dialog import MaterialPagesDialog

KEY = "F7"


class LastCasePages:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.case_id: str | None = None
        self.dialog: MaterialPagesDialog | None = None
        window.intake.recordSaved.connect(self._saved)
        QShortcut(QKeySequence(KEY), window).activated.connect(self.open)

    def _saved(self, result: IntakeResult | None) -> None:
        if result is not None and result.kind == "case":
            self.case_id = result.id

    def open(self) -> None:
        from windowdesk.ui.materials.pages_dialog import MaterialPagesDialog

        window = self._window
        if self.case_id is None:
            window.statusBar().showMessage(
                _(
                    "No case has been accepted at this window since it opened: its pages are reached from "
                    "the case in today's work."
                ),
                15_000,
            )
            return
        self.dialog = MaterialPagesDialog(
            window.db, window.ctx, case_id=self.case_id, workers=window.workers, parent=window
        )
        self.dialog.show()
