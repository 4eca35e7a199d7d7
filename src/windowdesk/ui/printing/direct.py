"""Printing a document without a key: straight to the default printer when the workstation
asks for it (Printing → Print at once), else the preview, where Enter prints.

A direct copy that fails opens the preview with the reason, so the clerk can choose
another printer or save a PDF; the record was committed before anything was printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.printing.data import DocumentData
from windowdesk.services import documents, preferences
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.printing.actions import open_print_preview
from windowdesk.ui.printing.jobs import run_in_background
from windowdesk.ui.printing.printer import PrinterError, default_printer, print_pdf
from windowdesk.ui.printing.settings import PaperSettings

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from windowdesk.printing.paper import PaperFormat
    from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog


def _render_and_print(data: DocumentData, paper: PaperFormat, reprint: bool, printer: QPrinter) -> int:
    """Worker: the PDF, then every page to ``printer``."""
    from windowdesk.printing.render import render_document

    return print_pdf(render_document(data, paper=paper, reprint=reprint), printer)


class DirectPrint(QObject):
    """One copy on the default printer. ``printed(number)`` or ``failed(message)`` follows;
    on failure the preview is opened instead."""

    printed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        db: Database,
        ctx: CounterContext,
        data: DocumentData,
        *,
        reprint: bool,
        settings: PaperSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent, self._db, self._ctx, self._data, self._reprint = parent, db, ctx, data, reprint
        self._settings = settings or PaperSettings()
        self.preview: PrintPreviewDialog | None = None
        self._printer: QPrinter | None = None  # the printer of the job under way

    def start(self) -> None:
        try:
            printer = default_printer()
        except PrinterError as error:
            self._failed(error)
            return
        self._printer = printer  # kept alive, untouched by the GUI, until the job ends
        data, reprint, paper = self._data, self._reprint, self._settings.paper_for(self._data.KIND)
        run_in_background(lambda: _render_and_print(data, paper, reprint, printer), self._done, self._failed)

    def _done(self, _pages: int) -> None:
        self._printer = None
        try:
            documents.record_print(
                self._db,
                self._ctx,
                document=self._data.KIND.value,
                number=self._data.number,
                reprint=self._reprint,
                output="printer",
            )
        except WindowdeskError as error:
            self.failed.emit(_("Printed, but not recorded: {message}").format(message=error.message))
            return
        self.printed.emit(self._data.number)

    def _failed(self, error: BaseException) -> None:
        self._printer = None
        message = error.message if isinstance(error, WindowdeskError) else _("The document could not be printed.")
        self.failed.emit(message)
        # The preview lets the clerk choose another printer or save the document.
        self.preview = open_print_preview(
            self._parent, self._db, self._ctx, self._data, reprint=self._reprint, settings=self._settings
        )
        self.preview.tell_failure(error)


def print_document(
    parent: QWidget, db: Database, ctx: CounterContext, data: DocumentData, *, reprint: bool
) -> DirectPrint | PrintPreviewDialog:
    """Print at once when this workstation asks for it, else open the preview. Returns the
    DirectPrint or the preview dialog."""
    if not reprint and preferences.prints_at_once(db):
        job = DirectPrint(parent, db, ctx, data, reprint=reprint)
        job.start()
        return job
    return open_print_preview(parent, db, ctx, data, reprint=reprint)
