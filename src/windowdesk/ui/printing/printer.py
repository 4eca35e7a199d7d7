"""Sending a PDF to a printer through Qt's print system, with words for what went wrong.

Each PDF page is rendered by PDFium at the printer's resolution (capped: a 1200 dpi
laser would otherwise need half a gigabyte per A4 page) and painted as one printer page.
Runs on the print lane; the QPrinter it is given is not touched by the GUI meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.ui.printing.pdf_pages import open_pdf

MAX_RASTER_DPI = 300


class PrinterError(WindowdeskError):
    """The printer could not take the document; the record itself is safe."""

    def __init__(self, message: str) -> None:
        super().__init__(
            _("Not printed"),
            message
            + " "
            + _(
                "Nothing is lost: the record is saved, and you can print it again "
                "later from Today's work (open the record, then Reprint)."
            ),
        )


def default_printer() -> QPrinter:
    """A printer for the system's default queue; PrinterError when there is none."""
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        raise PrinterError(
            _(
                "No default printer is set up on this computer. Use \u201cPrint\u2026\u201d "
                "to choose a printer, or save the document as PDF."
            )
        )
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def _missing(name: str) -> str:
    return _(
        "The printer \u201c{name}\u201d cannot be found. Check that it is connected and "
        "switched on, or choose another printer."
    ).format(name=name or "?")


def named_printer(name: str) -> QPrinter:
    """A printer for the queue ``name``; PrinterError when the system has no such queue.

    Checked here because QPrinter.setPrinterName quietly falls back to the default
    printer for an unknown name: the document would come out somewhere else.
    """
    if not name or QPrinterInfo.printerInfo(name).isNull():
        raise PrinterError(_missing(name))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(name)
    return printer


def printer_problem(printer: QPrinter) -> str | None:
    """Why ``printer`` cannot print right now, in plain words; None if it looks ready."""
    name = printer.printerName()
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
        info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo()
        if not name or info.isNull():
            return _missing(name)
        if info.state() == QPrinter.PrinterState.Error:
            return _(
                "The printer \u201c{name}\u201d reports a problem: it may be offline, out of "
                "paper or jammed. Check it, then print again."
            ).format(name=name)
    if not printer.isValid():
        return _(
            "The printer \u201c{name}\u201d cannot be used. Check that it is connected and "
            "switched on, or choose another printer."
        ).format(name=name or "?")
    return None


def _fit(image_width: int, image_height: int, target: QRectF) -> QRectF:
    """The largest rectangle of the image's proportions inside ``target``, top-left aligned."""
    scale = min(target.width() / image_width, target.height() / image_height)
    return QRectF(target.left(), target.top(), image_width * scale, image_height * scale)


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of ``pdf``; the number of pages sent. Raises PrinterError."""
    problem = printer_problem(printer)
    if problem:
        raise PrinterError(problem)
    name = printer.printerName() or printer.outputFileName()
    with open_pdf(pdf) as document:
        width, height = document.page_size(0)
        # The PDF is already laid out for its paper (A4, A5, 80 mm roll): ask for exactly
        # that paper and paint edge to edge; the PDF's own margins keep text printable.
        size = QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
        orientation = QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point))
        printer.setFullPage(True)
        if not printer.docName():  # the name the print queue shows for the job
            printer.setDocName("windowdesk")
        dpi = min(printer.resolution(), MAX_RASTER_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterError(
                _(
                    "The document could not be sent to the printer \u201c{name}\u201d. Check "
                    "that it is switched on, online and has paper, then print again."
                ).format(name=name)
            )
        pages = document.page_count
        try:
            for index in range(pages):
                if index and not printer.newPage():
                    raise PrinterError(
                        _("The printer \u201c{name}\u201d stopped taking pages. Check it, then print again.").format(
                            name=name
                        )
                    )
                image = document.render(index, dpi)
                painter.drawImage(_fit(image.width(), image.height(), QRectF(painter.viewport())), image)
        finally:
            painter.end()
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrinterError(
            _("The printer \u201c{name}\u201d reported an error while printing. Check it, then print again.").format(
                name=name
            )
        )
    return pages
