"""The fonts every PDF is set in (the windows' printed documents, the hub's reports),
registered with reportlab once per process.

The bundled CJK font (Droid Sans Fallback, Apache-2.0, in ``resources/fonts``) has no
Latin letters, digits or ASCII punctuation at all: it was made to stand behind another
font. Its partner here is Bitstream Vera Sans, which ships inside reportlab itself, so
both are present on any machine that can print. Text is split into runs by which font
has the glyph; both fonts are TrueType and reportlab embeds a subset of each in every
PDF, so a document prints the same on a machine without any Chinese font.

There is no bold: the CJK font has none, so a bold Latin face would only make digits
and Latin letters heavier than the Chinese beside them (and cost a third embedded font
in every PDF). Emphasis is by size and rules.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from windowdesk.paths import resources_dir

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

CJK = "WindowdeskCJK"
LATIN = "WindowdeskLatin"

CJK_FILE = Path("fonts") / "DroidSansFallbackFull.ttf"
LATIN_FILE = Path(reportlab.__file__).resolve().parent / "fonts" / "Vera.ttf"

_lock = threading.Lock()
_registrations = 0
_latin_chars: frozenset[int] = frozenset()
_cjk_chars: frozenset[int] = frozenset()


def ensure_fonts() -> None:
    """Register the fonts unless this process already did; cheap after the first call.

    Parsing the 4 MB CJK file takes a tenth of a second, so it must never happen per
    document (bench/print.py counts the registrations).
    """
    global _registrations, _latin_chars, _cjk_chars
    if _registrations:
        return
    with _lock:
        if _registrations:
            return
        # Binary streams instead of ASCII85-armoured ones: smaller and faster to write,
        # and every printer driver and viewer of this century reads them. This is the
        # process's one reportlab set-up (``printing`` at the window, the report PDFs at the hub).
        rl_config.useA85 = 0
        cjk = TTFont(CJK, str(resources_dir() / CJK_FILE))
        latin = TTFont(LATIN, str(LATIN_FILE))
        pdfmetrics.registerFont(cjk)
        pdfmetrics.registerFont(latin)
        # Paragraph markup may still say <b>: map it to the same faces.
        for name in (CJK, LATIN):
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _latin_chars = frozenset(latin.face.charToGlyph)
        _cjk_chars = frozenset(cjk.face.charToGlyph)
        _registrations += 1


def registration_count() -> int:
    """How many times this process registered the fonts: 1 once anything was printed."""
    return _registrations


def _font_of(code: int) -> str | None:
    """The font for one character; None for a space, which either font can set."""
    if code == 0x20:
        return None
    if code in _latin_chars:
        return LATIN
    if code in _cjk_chars:
        return CJK
    return LATIN  # neither has it: the Latin font's missing-glyph box is the narrower


@lru_cache(maxsize=4096)
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` as (font name, piece) runs, each piece drawable in its font."""
    ensure_fonts()
    out: list[list[str]] = []
    for ch in text:
        font = _font_of(ord(ch))
        if out and (font is None or font == out[-1][0]):
            out[-1][1] += ch
        else:
            out.append([font or LATIN, ch])
    return tuple((font, piece) for font, piece in out)


def markup(text: str) -> str:
    """Paragraph markup for plain text: XML-escaped, CJK runs switched to the CJK font.

    Paragraph styles use the Latin font as their base, so only CJK runs need a tag.
    """
    parts = []
    for font, piece in runs(str(text)):
        piece = escape(piece).replace("\n", "<br/>")
        parts.append(f'<font face="{CJK}">{piece}</font>' if font == CJK else piece)
    return "".join(parts)


def string_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in runs(text))


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, *, anchor: str = "left") -> float:
    """Draw mixed Chinese/Latin text on a canvas; returns its width.

    ``anchor`` is left, center or right of ``x``.
    """
    width = string_width(text, size)
    if anchor == "center":
        x -= width / 2
    elif anchor == "right":
        x -= width
    for font, piece in runs(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)
    return width
