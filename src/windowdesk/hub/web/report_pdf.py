"""The performance report as a PDF (A4 landscape), for the console's download.

The hub draws it itself with reportlab and the CJK font the project ships
(resources/fonts), in the language of the page that asked for it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from windowdesk import __version__
from windowdesk.domain.assessment import Report
from windowdesk.hub.report_table import COLUMNS, GROUPING_HEADINGS, GROUPING_WORDS, lines
from windowdesk.pdf_fonts import LATIN, ensure_fonts, markup


def report_pdf(report: Report, *, gettext: Callable[[str], str], scope: str, made_at: dt.datetime) -> bytes:
    """``scope``: what the report covers, in words (the city, a center, a department)."""
    _ = gettext
    ensure_fonts()
    font = LATIN  # Chinese runs switch to the CJK font in the markup (pdf_fonts.markup)
    title_style = ParagraphStyle("title", fontName=font, fontSize=15, leading=20)
    text_style = ParagraphStyle("text", fontName=font, fontSize=9, leading=12)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_("Performance report"),
        author=f"windowdesk {__version__}",
    )
    heading = _("Performance {start} to {end}, by {by}").format(
        start=report.start.isoformat(), end=report.end.isoformat(), by=_(GROUPING_WORDS[report.by])
    )
    header = [_(GROUPING_HEADINGS[report.by]), *(_(title) for _name, title in COLUMNS)]
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)
    number_style = ParagraphStyle("number", parent=cell_style, alignment=2)
    rows = [
        [Paragraph(markup(value), cell_style if column == 0 else number_style) for column, value in enumerate(line)]
        for line in [header, *lines(report, _("TOTAL"))]
    ]
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f4f6f8")),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa5ae")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    made = _("Made {at} (UTC) by the city hub; the same figures as the windows' reports.").format(
        at=made_at.strftime("%Y-%m-%d %H:%M")
    )
    document.build(
        [
            Paragraph(markup(heading), title_style),
            Paragraph(markup(scope), text_style),
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 4 * mm),
            Paragraph(markup(made), text_style),
        ]
    )
    return out.getvalue()
