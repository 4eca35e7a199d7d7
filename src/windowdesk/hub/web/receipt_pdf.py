"""The acceptance receipt (受理回执) of a case a department accepted online (全程网办), as
a PDF the resident downloads from the application's page (A4 portrait).

A window prints its own receipt (printing/); this one has no window behind it, so the hub
draws it with reportlab and the CJK font the project ships, like the report's PDF, in the
language of the page that asked for it. The query code is not on it: the hub keeps only
its hash; the resident has it from the application.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from windowdesk import __version__
from windowdesk.hub.services.department_online import Receipt
from windowdesk.pdf_fonts import LATIN, ensure_fonts, markup


def written_day(value: dt.date | None, language: str) -> str:
    """A day as documents write it: 2026年12月7日 in Chinese, 2026-12-07 otherwise."""
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日" if language.startswith("zh") else value.isoformat()


def receipt_pdf(receipt: Receipt, *, gettext: Callable[[str], str], language: str, status_address: str) -> bytes:
    """``status_address``: where the resident follows the case (the public status page)."""
    _ = gettext
    ensure_fonts()
    title_style = ParagraphStyle("title", fontName=LATIN, fontSize=17, leading=24, alignment=1)
    text_style = ParagraphStyle("text", fontName=LATIN, fontSize=10.5, leading=15)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("Acceptance receipt"),
        author=f"windowdesk {__version__}",
    )
    lines = [
        (_("Case number"), receipt.case_number),
        (_("Business"), receipt.item_name),
        (_("Applicant"), receipt.applicant_name),
        (_("Accepted by"), _("{department}, online (no visit)").format(department=receipt.department_name)),
        (_("Center"), receipt.center_name),
        (_("Accepted on"), written_day(receipt.accepted_at.date(), language)),
        (_("Promised by"), written_day(receipt.promised_date, language)),
    ]
    rows = [[Paragraph(markup(label), text_style), Paragraph(markup(value), text_style)] for label, value in lines]
    table = Table(rows, colWidths=[40 * mm, 130 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5ae")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f4f6f8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    follow = _(
        "Follow the case at {address} with the case number and the query code you were given when you applied online."
    ).format(address=status_address)
    document.build(
        [
            Paragraph(markup(_("Acceptance receipt")), title_style),
            Spacer(1, 6 * mm),
            table,
            Spacer(1, 6 * mm),
            Paragraph(markup(follow), text_style),
        ]
    )
    return out.getvalue()
