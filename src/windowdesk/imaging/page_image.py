"""The stored form of a scanned page, and what is done to its pixels (Pillow).

Every page is kept as one grey JPEG at 300 dpi whatever it came from (a scanner's PNM, a
camera's frame, an image file, one page of a PDF): one standard form every department's
browser shows, and a typical A4 page well under 300 KB at ``JPEG_QUALITY`` (measured in
bench/materials_window.py). A PDF is split into its pages, rendered at 300 dpi: each page
can then be ordered, turned, deleted and stamped on its own like a scanned one.

Turning a page changes only how it is shown (the page record's rotation); stamping it
draws the mark on the upright pixels and stores new bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from windowdesk.errors import ValidationError

STORED_MIME = "image/jpeg"
DPI = 300
# Measured on an A4 form scanned at 300 dpi grey with a scanner's paper grain (bench/
# materials_window.py prints it): 246 KB at 50 once the paper is made white, 268 KB at 60,
# 317 KB at 75; without the white paper 405 KB at 50. A page dense with small text all
# over stays larger (about 700 KB at 50): JPEG pays for every stroke's edge.
JPEG_QUALITY = 50
# A page whose middle grey is at least this light is paper: its paper is made white.
PAPER_MEDIAN = 160
ROTATIONS = (0, 90, 180, 270)
# The longest side of a page kept: a camera frame of 40+ megapixels is scaled to about
# A4 at 300 dpi (3508 px) and no more, which is what the page holds.
MAX_SIDE = 3508
PDF_MAGIC = b"%PDF"
STAMP_WORDS = "经与原件核对无误"


@dataclass(frozen=True)
class PageStamp:
    """What the "checked against the original" mark says."""

    operator_name: str
    day: dt.date


def _paper_made_white(grey: Image.Image) -> Image.Image:
    """A scanner's paper grain costs JPEG as much as the writing on it: the paper's greys
    (from a little below the page's median up) become white, the rest is stretched to
    keep its contrast. A photograph (a dark median) is left as it is."""
    histogram = grey.histogram()
    half, seen, median = grey.width * grey.height / 2, 0, 255
    for value in range(255, -1, -1):
        seen += histogram[value]
        if seen >= half:
            median = value
            break
    if median < PAPER_MEDIAN:
        return grey
    white = median - 12
    return grey.point([255 if value >= white else round(value * 255 / white) for value in range(256)])


def _encode(image: Image.Image) -> bytes:
    grey = image.convert("L")
    if max(grey.size) > MAX_SIDE:
        grey.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    grey = _paper_made_white(grey)
    out = io.BytesIO()
    grey.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, dpi=(DPI, DPI))
    return out.getvalue()


def _unreadable(name: str) -> ValidationError:
    from windowdesk.i18n import _

    return ValidationError(
        _("{name} is not an image or PDF file this program can read. Nothing was added.").format(name=name),
        title=_("Cannot read the file"),
    )


def page_from_image_bytes(data: bytes, *, name: str = "") -> bytes:
    """One stored page from an image (a scanner's PNM, a camera frame, a PNG or JPEG file)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # A phone or camera photo says how it was held: the page is stored upright.
            return _encode(ImageOps.exif_transpose(image))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _unreadable(name or "?") from exc


def pages_from_pdf(data: bytes, *, name: str = "") -> list[bytes]:
    """Each page of a PDF, rendered grey at 300 dpi."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise _unreadable(name or "?") from exc
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=DPI / 72, grayscale=True)
                pages.append(_encode(bitmap.to_pil()))
            finally:
                page.close()
        return pages
    finally:
        document.close()


def pages_from_file(path: Path) -> list[bytes]:
    """The stored pages of one image or PDF file."""
    from windowdesk.i18n import _

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValidationError(
            _("{name} could not be read ({detail}). Nothing was added.").format(
                name=Path(path).name, detail=exc.strerror or type(exc).__name__
            ),
            title=_("Cannot read the file"),
        ) from exc
    if data.startswith(PDF_MAGIC):
        return pages_from_pdf(data, name=Path(path).name)
    return [page_from_image_bytes(data, name=Path(path).name)]


def upright(content: bytes, rotation: int) -> Image.Image:
    """The stored page turned ``rotation`` degrees clockwise, as it is shown."""
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}")
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        # PIL turns counter-clockwise for a positive angle.
        return image.rotate(-rotation, expand=True) if rotation else image.copy()


def _runs(text: str) -> list[tuple[bool, str]]:
    """``text`` cut where it changes between Latin (True) and CJK: the CJK font has no Latin
    letters or digits, so each run is drawn in the font that has it."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        latin = ord(char) < 0x2000
        if runs and runs[-1][0] == latin:
            runs[-1] = (latin, runs[-1][1] + char)
        else:
            runs.append((latin, char))
    return runs


def chinese_date(day: dt.date) -> str:
    """二〇二六年十二月七日: the way a seal writes a date."""
    digits = "〇一二三四五六七八九"

    def number(value: int) -> str:
        tens, ones = divmod(value, 10)
        return ("" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")) + (
            digits[ones] if ones or not tens else ""
        )

    return "".join(digits[int(d)] for d in str(day.year)) + f"年{number(day.month)}月{number(day.day)}日"


def stamped(content: bytes, rotation: int, stamp: PageStamp, fonts: tuple[Path, Path]) -> bytes:
    """The page upright with the mark "经与原件核对无误", the operator and the date drawn in
    its lower right corner, as stored bytes (rotation 0 from then on). ``fonts``: the CJK
    font and the Latin one (an operator's name may be written in Latin letters)."""
    image = upright(content, rotation).convert("L")
    width, height = image.size
    # About 4.5 mm high letters on an A4 page at 300 dpi, in proportion on any other.
    size = max(14, round(min(width, height) / 46))
    cjk, latin = (ImageFont.truetype(str(path), size) for path in fonts)
    lines = [_runs(line) for line in (STAMP_WORDS, f"核对人：{stamp.operator_name}", chinese_date(stamp.day))]

    def line_width(runs: list[tuple[bool, str]]) -> float:
        return sum((latin if is_latin else cjk).getlength(text) for is_latin, text in runs)

    line_height = round(size * 1.35)
    pad = size // 2
    box_width = round(max(line_width(runs) for runs in lines)) + 2 * pad
    box_height = line_height * len(lines) + 2 * pad - (line_height - size)
    left, top = max(0, width - box_width - size), max(0, height - box_height - size)
    draw = ImageDraw.Draw(image)
    # White under the mark so it reads on a dark page too, in a frame like a seal's.
    draw.rectangle((left, top, left + box_width, top + box_height), fill=255, outline=0, width=max(2, size // 8))
    for index, runs in enumerate(lines):
        x: float = left + pad
        for is_latin, text in runs:
            font = latin if is_latin else cjk
            draw.text((x, top + pad + index * line_height), text, font=font, fill=0)
            x += font.getlength(text)
    return _encode(image)


def preview(content: bytes, rotation: int, longest_side: int) -> bytes:
    """A small upright JPEG of the page (a thumbnail or the large view)."""
    if rotation not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}")
    with Image.open(io.BytesIO(content)) as image:
        # A JPEG decodes straight at 1/2, 1/4 or 1/8 of its size: a thumbnail of an A4 page
        # costs a few milliseconds instead of decoding all its 8.7 million pixels.
        image.draft("L", (longest_side, longest_side))
        image.load()
        small = image.convert("L")
    small.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    if rotation:
        small = small.rotate(-rotation, expand=True)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=85)
    return out.getvalue()
