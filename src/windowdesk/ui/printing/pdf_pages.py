"""PDF pages as QImages, via pypdfium2 (PySide6-Essentials has no QtPdf).

PDFium is not thread-safe: every use goes through one process-wide lock, held for as
long as a document is open, so the preview and a print job can never interleave.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

if TYPE_CHECKING:
    import pypdfium2 as pdfium

POINTS_PER_INCH = 72.0

_PDFIUM_LOCK = threading.Lock()


class OpenPdf:
    """A PDF open in PDFium; only valid inside ``open_pdf``."""

    def __init__(self, document: pdfium.PdfDocument) -> None:
        self._document = document

    @property
    def page_count(self) -> int:
        return len(self._document)

    def page_size(self, index: int) -> tuple[float, float]:
        """Width and height of a page in points."""
        page = self._document[index]
        try:
            return page.get_size()
        finally:
            page.close()

    def render(self, index: int, dpi: float) -> QImage:
        """One page at ``dpi``, as an image that owns its pixels (safe to pass between threads)."""
        page = self._document[index]
        try:
            # RGBX in memory order whatever the machine's byte order: QImage's RGBX8888.
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, prefer_bgrx=True, rev_byteorder=True)
            try:
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
                return image.copy()  # detach from PDFium's buffer before it is freed
            finally:
                bitmap.close()
        finally:
            page.close()


@contextmanager
def open_pdf(pdf: bytes) -> Iterator[OpenPdf]:
    import pypdfium2  # 0.2 s of a start for a window that has not yet shown a PDF

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            yield OpenPdf(document)
        finally:
            document.close()


def render_pages(pdf: bytes, dpi: float) -> list[QImage]:
    with open_pdf(pdf) as document:
        return [document.render(index, dpi) for index in range(document.page_count)]
