"""What a resident uploads with an online application, made safe before anything is kept.

A file is taken only if it is what it says: a JPEG, PNG or WebP photo (opened by Pillow
with those formats only: no other decoder, none that runs a program, e.g. EPS's
Ghostscript, ever sees it) or a PDF (its magic, then parsed by pdfium). Nothing of the
file itself is kept: each picture is decoded and stored again as the window's page
(windowdesk.imaging.page_image: a grey 300 dpi JPEG, no metadata, no embedded profile),
and each PDF page is rendered to such a picture, so no script, attachment or exploit
a file may carry reaches the hub's store, a window or a department's browser.

Bounds: ``MAX_FILE_BYTES`` a file, ``MAX_FILES`` files and ``MAX_PAGES`` pages an
application, ``MAX_PIXELS`` a picture (a "decompression bomb" is refused before it is
decoded). One bad file refuses the whole submission: nothing is stored.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from windowdesk.i18n import N_
from windowdesk.imaging import page_image

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_FILES = 6
MAX_PAGES = 20
MAX_PIXELS = 50_000_000
# What a whole form may weigh: every file at its largest and the fields besides (the request
# gate holds a body in memory up to this: about 48 MB, so a phone's photos of 2-5 MB pass).
MAX_BODY_BYTES = MAX_FILES * MAX_FILE_BYTES + 256 * 1024
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PDF_MAGIC = b"%PDF-"

TOO_LARGE = N_("{name} is larger than {most} MB. Take a smaller photo or scan; nothing was sent.")
NOT_ALLOWED = N_("{name} is not a photo (JPEG, PNG, WebP) or a PDF. Nothing was sent.")
BROKEN_PDF = N_("{name} says it is a PDF, but it cannot be read as one. Nothing was sent.")
TOO_MANY_FILES = N_("At most {most} files can be sent with one application.")
TOO_MANY_PAGES = N_("At most {most} pages can be sent with one application.")
TOO_MANY_PIXELS = N_("{name} is a picture too large to read. Take a smaller photo; nothing was sent.")


class UploadRefused(Exception):
    """A file refused; ``message`` a msgid, ``values`` what it names."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


@dataclass(frozen=True)
class Upload:
    """One file as received: the material it is for, its name (for messages), its bytes."""

    material_code: str
    name: str
    data: bytes


@dataclass(frozen=True)
class Page:
    material_code: str
    data: bytes  # the stored form (grey JPEG)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _shown(name: str) -> str:
    return (name or "?")[-60:]


def _photo(upload: Upload) -> bytes:
    try:
        with Image.open(io.BytesIO(upload.data), formats=PHOTO_FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise UploadRefused(TOO_MANY_PIXELS, name=_shown(upload.name))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise UploadRefused(NOT_ALLOWED, name=_shown(upload.name)) from None
    try:
        return page_image.page_from_image_bytes(upload.data, name=_shown(upload.name))
    except Exception:  # noqa: BLE001 - any decoder failure is the same answer to the resident
        raise UploadRefused(NOT_ALLOWED, name=_shown(upload.name)) from None


def _pdf_pages(upload: Upload, room: int) -> list[bytes]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(upload.data)
    except pypdfium2.PdfiumError:
        raise UploadRefused(BROKEN_PDF, name=_shown(upload.name)) from None
    try:
        count = len(document)
    finally:
        document.close()
    if count == 0:
        raise UploadRefused(BROKEN_PDF, name=_shown(upload.name))
    if count > room:
        raise UploadRefused(TOO_MANY_PAGES, most=MAX_PAGES)
    try:
        return page_image.pages_from_pdf(upload.data, name=_shown(upload.name))
    except Exception:  # noqa: BLE001 - a PDF pdfium opens but cannot render is as broken
        raise UploadRefused(BROKEN_PDF, name=_shown(upload.name)) from None


def check_sizes(uploads: list[Upload]) -> None:
    """The cheap checks, before any file is decoded."""
    if len(uploads) > MAX_FILES:
        raise UploadRefused(TOO_MANY_FILES, most=MAX_FILES)
    for upload in uploads:
        if len(upload.data) > MAX_FILE_BYTES:
            raise UploadRefused(TOO_LARGE, name=_shown(upload.name), most=MAX_FILE_BYTES // (1024 * 1024))


def safe_pages(uploads: list[Upload], *, pages_already: int = 0) -> list[Page]:
    """Every upload made into stored pages, in order; UploadRefused at the first bad one."""
    check_sizes(uploads)
    pages: list[Page] = []
    for upload in uploads:
        room = MAX_PAGES - pages_already - len(pages)
        if upload.data.startswith(PDF_MAGIC):
            made = _pdf_pages(upload, room)
        else:
            made = [_photo(upload)]
        if len(made) > room:
            raise UploadRefused(TOO_MANY_PAGES, most=MAX_PAGES)
        pages.extend(Page(upload.material_code, data) for data in made)
    return pages
