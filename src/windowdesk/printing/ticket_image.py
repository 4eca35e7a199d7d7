"""The queue ticket as one black-and-white image, 576 dots wide: what an 80 mm thermal
printer prints at 203 dpi (72 mm of print width).

Why an image rather than the printer's own Chinese text (GB18030 in Chinese mode): the
printers halls buy differ in whether they carry a Chinese font, which code page and
which command switch it on, and how big they can print; a raster image (ESC/POS
``GS v 0``) prints the same ticket on all of them, in the project's own font (Droid Sans
Fallback, the one the PDFs use), with the number as large as wanted and the QR code
beside the text. It costs ~40 KB per ticket, a tenth of a second on the hall's network.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import qrcode
from PIL import Image, ImageDraw, ImageFont

from windowdesk.i18n import _
from windowdesk.paths import resources_dir

WIDTH_DOTS = 576
MARGIN = 16
FONT_FILE = "fonts/DroidSansFallbackFull.ttf"


@dataclass(frozen=True)
class KioskTicket:
    center_name: str
    business_name: str
    number: str
    waiting_ahead: int
    issued_at: dt.datetime
    follow_url: str
    priority: bool = False
    zone: str = "Asia/Shanghai"


def _font(size: int, latin: bool = False) -> ImageFont.FreeTypeFont:
    """Droid Sans Fallback has the Chinese glyphs only; Latin letters and digits come from
    Bitstream Vera Bold, which reportlab (already a dependency) ships."""
    if latin:
        import reportlab

        return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"), size)
    return ImageFont.truetype(str(resources_dir() / FONT_FILE), size)


def _runs(text: str, size: int) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """The text cut where it changes between ASCII and Chinese, each part with its font."""
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for char in text:
        latin = char.isascii()
        if runs and runs[-1][1] is _font_cache(size, latin):
            runs[-1] = (runs[-1][0] + char, runs[-1][1])
        else:
            runs.append((char, _font_cache(size, latin)))
    return runs


@functools.lru_cache(maxsize=32)
def _font_cache(size: int, latin: bool) -> ImageFont.FreeTypeFont:
    return _font(size, latin)


def _draw_centered(draw: ImageDraw.ImageDraw, text: str, size: int, y: int) -> None:
    runs = _runs(text, size)
    width = sum(draw.textlength(part, font=font) for part, font in runs)
    x = (WIDTH_DOTS - width) / 2
    for part, font in runs:
        draw.text((x, y), part, font=font, fill=0)
        x += draw.textlength(part, font=font)


def render_ticket_image(ticket: KioskTicket) -> Image.Image:
    """Mode "1" (1 bit per dot), WIDTH_DOTS wide, as tall as the ticket needs."""
    lines: list[tuple[str, int]] = [
        (ticket.center_name, 30),
        (ticket.business_name + (_(" (priority)") if ticket.priority else ""), 36),
        (ticket.number, 150),
        (_("{count} waiting ahead of you").format(count=ticket.waiting_ahead), 32),
        (ticket.issued_at.astimezone(ZoneInfo(ticket.zone)).strftime("%Y-%m-%d %H:%M"), 26),
    ]
    qr = qrcode.QRCode(border=1, box_size=6)
    qr.add_data(ticket.follow_url)
    qr_image = qr.make_image(fill_color="black", back_color="white").get_image().convert("1")
    footer = _("Scan to follow your place in line.")
    # Whole dots: the QR code is pasted at the height they add up to.
    heights = [int(max(font.getbbox(part)[3] for part, font in _runs(text or " ", size))) + 12 for text, size in lines]
    height = MARGIN * 2 + sum(heights) + qr_image.height + 60
    image = Image.new("1", (WIDTH_DOTS, height), 1)
    draw = ImageDraw.Draw(image)
    y = MARGIN
    for (text, size), line_height in zip(lines, heights, strict=True):
        _draw_centered(draw, text, size, y)
        y += line_height
    image.paste(qr_image, ((WIDTH_DOTS - qr_image.width) // 2, y))
    y += qr_image.height + 8
    _draw_centered(draw, footer, 22, y)
    return image


# The roll's width at the thermal printer's 203 dpi: 80 mm is 639.4 dots.
ROLL_DOTS = 640
DPI = 203


def ticket_pdf(image: Image.Image) -> bytes:
    """The ticket image as a one-page PDF on the 80 mm roll (the image centred, 4 mm each
    side), for a kiosk whose printer is an OS print queue (CUPS) rather than ESC/POS: the
    same ticket, dot for dot, through the print path the windows use."""
    import io

    page = Image.new("1", (ROLL_DOTS, image.height), 1)
    page.paste(image, ((ROLL_DOTS - image.width) // 2, 0))
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=float(DPI))
    return out.getvalue()
