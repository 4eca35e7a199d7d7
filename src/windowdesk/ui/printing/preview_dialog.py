"""Print preview: the document's pages as they will come out, then print or save.

Rendering (reportlab, then PDFium) and printing run on the print lane; the dialog stays
responsive and shows progress in its status line. A failed print is shown plainly and
changes nothing: the record was committed before anything was printed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.printing.data import DocumentData
from windowdesk.printing.paper import GEOMETRY, DocumentKind, PaperFormat, kind_label, paper_label
from windowdesk.ui.object_names import named
from windowdesk.ui.printing.jobs import run_in_background
from windowdesk.ui.printing.pdf_pages import POINTS_PER_INCH, render_pages
from windowdesk.ui.printing.printer import PrinterError, default_printer, print_pdf
from windowdesk.ui.printing.settings import PaperSettings

log = logging.getLogger("windowdesk.ui.printing")
PREVIEW_DPI = 110
PAGE_GAP = 12  # pixels of grey around each previewed page
PRINTER = "printer"
PDF_FILE = "pdf"


@dataclass(frozen=True)
class PrintRequest:
    """A document to print: its data, and whether this copy is a reprint."""

    data: DocumentData
    reprint: bool = False

    @property
    def kind(self) -> DocumentKind:
        return self.data.KIND

    @property
    def number(self) -> str:
        return self.data.number


def _render(request: PrintRequest, paper: PaperFormat, dpi: float) -> tuple[bytes, list]:
    """Worker: the PDF and its page images."""
    from windowdesk.printing.render import render_document

    pdf = render_document(request.data, paper=paper, reprint=request.reprint)
    return pdf, render_pages(pdf, dpi)


class PrintPreviewDialog(QDialog):
    """``printed(output)`` after a copy went to the printer ("printer") or to a file ("pdf")."""

    printed = Signal(str)
    printFailed = Signal(str, str)
    pagesShown = Signal(int)

    def __init__(
        self,
        request: PrintRequest,
        *,
        on_output: Callable[[str], None] | None = None,
        settings: PaperSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.request = request
        self._on_output = on_output
        self._settings = settings or PaperSettings()
        self.pdf: bytes | None = None
        self.page_labels: list[QLabel] = []
        self.message_box: QMessageBox | None = None
        self._printer: QPrinter | None = None  # the printer of the job under way
        self.paper_combo = named(QComboBox(), "paperCombo")
        for paper in PaperFormat:
            self.paper_combo.addItem(paper_label(paper), paper.value)
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(self._settings.paper_for(request.kind).value))
        self.pages = named(QWidget(), "previewPages")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.pages_layout.setSpacing(PAGE_GAP)
        self.scroll_area = named(QScrollArea(), "previewScroll")
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setStyleSheet("QScrollArea > QWidget > QWidget#previewPages { background: #808080; }")
        self.status_label = named(QLabel(), "printStatus")
        self.status_label.setWordWrap(True)
        self.print_button = named(QPushButton(), "printChooseButton")
        self.default_button = named(QPushButton(), "printDefaultButton")
        self.save_button = named(QPushButton(), "savePdfButton")
        self.close_button = named(QPushButton(), "closePreviewButton")
        self._build_layout()
        self.paper_combo.currentIndexChanged.connect(self._paper_changed)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.default_button.clicked.connect(self.print_to_default)
        self.save_button.clicked.connect(self.save_pdf_dialog)
        self.close_button.clicked.connect(self.reject)
        # Enter prints on the default printer, and the dialog closes once the copy is out:
        # two keys from Ctrl+P to paper.
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
        self.default_button.setDefault(True)
        self._close_when_printed = False
        QShortcut(QKeySequence.StandardKey.Print, self).activated.connect(self.print_with_dialog)
        self.retranslate()
        self.resize(760, 640)  # fits a 1280×720 screen with its taskbar; the pages scroll
        self.rerender()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        self.paper_caption = QLabel()
        self.paper_caption.setBuddy(self.paper_combo)
        top.addWidget(self.paper_caption)
        top.addWidget(self.paper_combo)
        top.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.default_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        title = kind_label(self.request.kind) + f" {self.request.number}"
        if self.request.reprint:
            title = _("{title} (reprint)").format(title=title)
        self.setWindowTitle(title)
        self.paper_caption.setText(_("Pape&r:"))
        self.print_button.setText(_("&Print\u2026"))
        self.default_button.setText(_("Print to &default printer"))
        self.save_button.setText(_("&Save as PDF\u2026"))
        self.close_button.setText(_("Close"))

    # --- rendering ----------------------------------------------------------------

    @property
    def paper(self) -> PaperFormat:
        return PaperFormat(self.paper_combo.currentData())

    def _paper_changed(self) -> None:
        self._settings.set_paper_for(self.request.kind, self.paper)
        self.rerender()

    def _preview_dpi(self) -> float:
        """Sharp on this screen, and a sheet no wider than the scroll area (no sideways scrolling)."""
        paper_inches = GEOMETRY[self.paper].width / POINTS_PER_INCH
        # Before the dialog is first shown its layout has not run: estimate from its width.
        visible = self.scroll_area.viewport().width() if self.isVisible() else self.width() - 4 * PAGE_GAP
        room = max(visible - 2 * PAGE_GAP - self.scroll_area.verticalScrollBar().sizeHint().width(), 200)
        return min(PREVIEW_DPI, room / paper_inches) * self.devicePixelRatioF()

    def rerender(self) -> None:
        self._set_busy(True, _("Preparing the document\u2026"))
        request, paper, dpi = self.request, self.paper, self._preview_dpi()
        run_in_background(lambda: _render(request, paper, dpi), self._rendered, self._render_failed)

    def _rendered(self, result: tuple[bytes, list]) -> None:
        self.pdf, images = result
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        ratio = self.devicePixelRatioF()
        for image in images:
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self.scroll_area.verticalScrollBar().setValue(0)
        self._set_busy(False, _("{pages} page(s) on {paper}.").format(pages=len(images), paper=paper_label(self.paper)))
        self.pagesShown.emit(len(images))

    def _render_failed(self, error: BaseException) -> None:
        self.pdf = None  # whatever was shown before is not this paper's document
        self._set_busy(False, "")
        self._show_failure(error, _("The document could not be prepared"))

    # --- output -----------------------------------------------------------------------

    def print_with_dialog(self) -> None:
        if self.pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to_default(self) -> None:
        if self.pdf is None:
            return
        try:
            printer = default_printer()
        except PrinterError as error:
            self._show_failure(error)
            return
        self._close_when_printed = True
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Send the document to ``printer`` in the background; ``printed`` or ``printFailed`` follows."""
        if self.pdf is None:
            return
        self._set_busy(
            True,
            _("Printing on \u201c{name}\u201d\u2026").format(name=printer.printerName() or printer.outputFileName()),
        )
        pdf = self.pdf
        printer.setDocName(f"{self.request.kind.value}-{self.request.number}")
        self._printer = printer  # kept alive, and left alone, until the job ends
        run_in_background(lambda: print_pdf(pdf, printer), self._print_done, self._print_failed)

    def _print_done(self, pages: int) -> None:
        self._printer = None
        self._set_busy(False, _("Sent {pages} page(s) to the printer.").format(pages=pages))
        self._output_done(PRINTER)
        if self._close_when_printed and self.message_box is None:
            self.accept()

    def _print_failed(self, error: BaseException) -> None:
        self._printer = None
        self._close_when_printed = False
        self._set_busy(False, _("Not printed."))
        self._show_failure(error)

    def save_pdf_dialog(self) -> None:
        if self.pdf is None:
            return
        suggested = f"{self.request.kind.value}-{self.request.number}.pdf"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), str(Path.home() / suggested), _("PDF files (*.pdf)")
        )
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> bool:
        """Write the document to ``path``; True when written."""
        if self.pdf is None:
            return False
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as error:
            self._show_failure(
                WindowdeskError(_("Not saved"), _("{path}: {detail}").format(path=path, detail=error.strerror or error))
            )
            return False
        self.status_label.setText(_("Saved as {path}.").format(path=path))
        self._output_done(PDF_FILE)
        return True

    def _output_done(self, output: str) -> None:
        """Audit the copy; if that fails the paper is out anyway, so say so and carry on."""
        if self._on_output is not None:
            try:
                self._on_output(output)
            except WindowdeskError as error:
                self._show_failure(
                    WindowdeskError(
                        _("Printed, but not recorded"),
                        _("The copy was made, but the audit log could not record it: {message}").format(
                            message=error.message
                        ),
                    )
                )
        self.printed.emit(output)

    # --- state and messages -----------------------------------------------------------

    def _set_busy(self, busy: bool, status: str) -> None:
        ready = not busy and self.pdf is not None
        for button in (self.print_button, self.default_button, self.save_button):
            button.setEnabled(ready)
        if ready and not self.default_button.hasFocus() and self.isActiveWindow():
            self.default_button.setFocus()
        self.paper_combo.setEnabled(not busy)
        self.status_label.setText(status)

    def tell_failure(self, error: BaseException) -> None:
        """Why a copy sent without this preview did not come out."""
        self._show_failure(error)

    def _show_failure(self, error: BaseException, title: str | None = None) -> None:
        if isinstance(error, WindowdeskError):
            title, message = error.title, error.message
        else:
            # Unexpected: the type goes to the log (messages may quote personal data).
            log.error("printing failed: %s", type(error).__name__)
            title = title or _("Not printed")
            message = _(
                "Something went wrong while preparing or printing the document. Please "
                "try again; the record itself is saved."
            )
        self.printFailed.emit(title, message)
        # Window-modal but not blocking: the operator can read it and carry on.
        self.message_box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        self.message_box.open()
