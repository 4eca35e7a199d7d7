"""表格下载 at the window (issue 30): the chosen item's forms, printed blank for the
applicant from the window's own copy of the catalog (services/form_files), so it works
offline. The same files the public guide page offers for download.

A PDF goes straight to the default printer (a blank form holds no personal data, so it
needs no preview and no audit entry); a Word form is not printed here: the clerk is told
to print it from the guide page.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from windowdesk.domain.catalog_forms import MEDIA_TYPES
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import form_files
from windowdesk.services.context import Database
from windowdesk.ui.printing.jobs import run_in_background
from windowdesk.ui.printing.printer import default_printer, print_pdf


class ItemFormsButton(QPushButton):
    """ "Print a form ▾": one entry per form of the chosen item. ``told(text, ok)`` carries
    the outcome for the screen's result line."""

    told = Signal(str, bool)

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, printer_for: Callable[[], QPrinter] = default_printer
    ) -> None:
        super().__init__(parent)
        self.setObjectName("itemForms")
        self._db = db
        self._printer_for = printer_for
        self._printer: QPrinter | None = None
        self._item_code = ""
        self.forms_menu = QMenu(self)
        self.setMenu(self.forms_menu)
        self.setEnabled(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("Print a form"))

    def show_item(self, item_code: str | None) -> None:
        """The forms of ``item_code`` (None: no item chosen, nothing offered)."""
        self.forms_menu.clear()
        self._item_code = item_code or ""
        lines = form_files.item_forms(self._db, item_code=item_code) if item_code else []
        for line in lines:
            text = line.title if line.here else _("{title} (comes with the next sync)").format(title=line.title)
            action = self.forms_menu.addAction(text)
            action.setObjectName(f"form-{line.code}")
            action.setEnabled(line.here)
            action.triggered.connect(lambda _checked=False, code=line.code: self.print_form(code))
        self.setEnabled(bool(lines))

    def print_form(self, form_code: str) -> None:
        try:
            media_type, content = form_files.form_file(self._db, item_code=self._item_code, form_code=form_code)
            if media_type != MEDIA_TYPES["pdf"]:
                self.told.emit(
                    _("This form is a Word document: print it from the item's page on the public site."), False
                )
                return
            printer = self._printer_for()
        except WindowdeskError as error:
            self.told.emit(error.message, False)
            return
        self._printer = printer  # kept alive, untouched by the GUI, until the job ends
        run_in_background(lambda: print_pdf(content, printer), self._printed, self._failed)

    def _printed(self, pages: int) -> None:
        self._printer = None
        self.told.emit(_("The form is printed ({pages} page(s)).").format(pages=pages), True)

    def _failed(self, error: BaseException) -> None:
        self._printer = None
        self.told.emit(
            error.message if isinstance(error, WindowdeskError) else _("The form could not be printed."), False
        )
