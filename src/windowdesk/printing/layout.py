"""The frame every document shares: running header, reprint stamp, footer, page numbers.

A sheet's footer names the window, the operator, the page of the whole and who printed
the copy when. A slip on the roll has none of that: what it needs is in its body, and
only a slip that runs onto a second roll page numbers its pages.

Page numbers read "第 n 页 / 共 m 页", so the total must be known when the first page is
drawn: the canvas keeps every finished page and draws the footers only when the
document is complete (the usual reportlab two-step, without rendering twice).

A roll (80 mm receipt paper) has no fixed length: the page is made exactly as long as
the content, up to ``ROLL_MAX_LENGTH``; a longer document continues on further roll
"pages" with the same header and page numbers, like a sheet document.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from windowdesk.i18n import _
from windowdesk.printing.blocks import Sheet, local_time, window_text
from windowdesk.printing.data import Issuer
from windowdesk.printing.fonts import LATIN, draw_text, ensure_fonts, string_width
from windowdesk.printing.paper import MM, ROLL_MAX_LENGTH

STAMP_RED = colors.HexColor("#c00000")
RULE_GREY = colors.HexColor("#888888")
# Room under the last flowable of a roll, so rounding never pushes it onto a new page.
_ROLL_SLACK = 6 * MM


@dataclass(frozen=True)
class DocumentHead:
    """What the header and footer of every page show."""

    title: str
    number_label: str
    number: str
    issuer: Issuer
    reprint: bool


def reprint_mark() -> str:
    return _("REPRINT")


def _stamp_size(sheet: Sheet) -> float:
    return sheet.geometry.body_size * (1.2 if sheet.is_roll else 1.5)


def _band_sizes(sheet: Sheet, reprint: bool) -> tuple[float, float]:
    """Heights of the header band (taller with the reprint stamp) and the footer band."""
    small = sheet.geometry.body_size * 0.8
    stamp = _stamp_size(sheet) * 1.6 if reprint else 0.0
    footer = small * 2.0 if sheet.is_roll else small * 3.6
    return small * 3.2 + stamp, footer


def _draw_header(head: DocumentHead, sheet: Sheet, canvas: Canvas, doc: BaseDocTemplate) -> None:
    """Center, number and (from page 2 on) the title at the top of every page."""
    geometry = sheet.geometry
    height = doc.pagesize[1]  # a roll's length is the document's own
    left, right = geometry.margin, geometry.width - geometry.margin
    small = geometry.body_size * 0.8
    top = height - geometry.margin - small
    header_height, _footer = _band_sizes(sheet, head.reprint)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    draw_text(canvas, left, top, head.issuer.center_name, small)
    draw_text(canvas, right, top, f"{head.number_label}: {head.number}", small, anchor="right")
    if canvas.getPageNumber() > 1:
        draw_text(canvas, left, top - small * 1.3, _("{title} (continued)").format(title=head.title), small)
    if head.reprint:
        _draw_stamp(canvas, sheet, right, top - small * 0.6)
    canvas.setStrokeColor(RULE_GREY)
    canvas.setLineWidth(0.5)
    rule = height - geometry.margin - header_height + small * 0.5
    canvas.line(left, rule, right, rule)
    canvas.restoreState()


def _draw_stamp(canvas: Canvas, sheet: Sheet, right: float, top: float) -> None:
    """The reprint mark: red, boxed, on every page, where no one can miss it."""
    size = _stamp_size(sheet)
    text = reprint_mark()
    width = string_width(text, size) + size * 0.8
    box_top = top - size * 0.3
    canvas.setStrokeColor(STAMP_RED)
    canvas.setFillColor(STAMP_RED)
    canvas.setLineWidth(1.2)
    canvas.rect(right - width, box_top - size * 1.3, width, size * 1.3, stroke=1, fill=0)
    draw_text(canvas, right - width / 2, box_top - size * 1.0, text, size, anchor="center")


def _draw_footer(head: DocumentHead, sheet: Sheet, canvas: Canvas, total_pages: int) -> None:
    if sheet.is_roll:
        _draw_roll_page_number(sheet, canvas, total_pages)
        return
    geometry = sheet.geometry
    left, right = geometry.margin, geometry.width - geometry.margin
    small = geometry.body_size * 0.75
    base = geometry.margin
    issuer = head.issuer
    canvas.saveState()
    canvas.setStrokeColor(RULE_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(left, base + small * 2.9, right, base + small * 2.9)
    canvas.setFillColor(colors.black)
    where = f"{window_text(issuer)} \u00b7 " + _("Operator {name}").format(name=issuer.operator_name)
    draw_text(canvas, left, base + small * 1.7, where, small)
    pages = _("Page {page} of {pages}").format(page=canvas.getPageNumber(), pages=total_pages)
    draw_text(canvas, right, base + small * 1.7, pages, small, anchor="right")
    printed = _("Printed {time} by {name}").format(
        time=local_time(issuer.printed_at, issuer.zone), name=issuer.printed_by
    )
    if head.reprint:
        canvas.setFillColor(STAMP_RED)
        printed = f"{reprint_mark()} \u00b7 {printed}"
    draw_text(canvas, left, base + small * 0.4, printed, small)
    canvas.restoreState()


def _draw_roll_page_number(sheet: Sheet, canvas: Canvas, total_pages: int) -> None:
    """A roll slip continued onto further pages says which one this is; one page says nothing."""
    if total_pages < 2:
        return
    geometry = sheet.geometry
    small = geometry.body_size * 0.75
    pages = _("Page {page} of {pages}").format(page=canvas.getPageNumber(), pages=total_pages)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    draw_text(canvas, geometry.width / 2, geometry.margin + small * 0.4, pages, small, anchor="center")
    canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Holds finished pages back until the total is known, then adds the footers."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._finished_pages: list[dict] = []
        self._footer = footer

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._finished_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._finished_pages)
        for state in self._finished_pages:
            self.__dict__.update(state)
            self._footer(self, total)
            super().showPage()
        super().save()


def _roll_length(story: list[Flowable], sheet: Sheet, bands: float) -> float:
    """The length of roll paper the story needs, measured before laying it out."""
    width = sheet.width
    needed = 2 * sheet.geometry.margin + bands + _ROLL_SLACK
    for flowable in story:
        _w, h = flowable.wrap(width, ROLL_MAX_LENGTH)
        needed += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return min(needed, ROLL_MAX_LENGTH)


def build_pdf(head: DocumentHead, story: list[Flowable], sheet: Sheet) -> bytes:
    """Lay the story out on the sheet's paper; the PDF as bytes."""
    ensure_fonts()
    geometry = sheet.geometry
    header_height, footer_height = _band_sizes(sheet, head.reprint)
    page_height = geometry.height or _roll_length(story, sheet, header_height + footer_height)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(geometry.width, page_height),
        leftMargin=geometry.margin,
        rightMargin=geometry.margin,
        topMargin=geometry.margin + header_height,
        bottomMargin=geometry.margin + footer_height,
        title=f"{head.title} {head.number}",
        author=head.issuer.center_name,
        creator="windowdesk",
        # The canvas's initial font is ours too, so the PDF names no font it does not embed.
        initialFontName=LATIN,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=partial(_draw_header, head, sheet))])
    doc.build(story, canvasmaker=partial(_NumberedCanvas, footer=partial(_draw_footer, head, sheet)))
    return buffer.getvalue()
