"""收费收据: all fees of one case, collected once at the window, on one receipt.

The amount appears in figures and in Chinese capital numerals (大写), as financial
receipts require; the capitals are what settles a dispute over a smudged digit.
"""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import Sheet, case_qr, gap, window_text
from windowdesk.printing.data import FeeReceiptData
from windowdesk.printing.layout import build_pdf
from windowdesk.printing.money_receipt import receipt_body, receipt_close, receipt_head, receipt_rows
from windowdesk.printing.paper import PaperFormat, default_paper


def fee_receipt_title() -> str:
    return _("Fee Receipt")


def fiscal_receipt_text(data: FeeReceiptData) -> str:
    """Where the payer gets the official fiscal receipt (财政票据): this receipt only
    records the money taken at the window."""
    place = f"{data.issuer.center_name} {window_text(data.issuer)}"
    if data.department_name:
        return _(
            "This receipt records the payment at the window; the official fiscal receipt "
            "for these fees is issued by {department}: collect it at {place} with this "
            "receipt."
        ).format(department=data.department_name, place=place)
    return _(
        "This receipt records the payment at the window; the official fiscal receipt for "
        "these fees is issued by the department that charges them: collect it at {place} "
        "with this receipt."
    ).format(place=place)


def render_fee_receipt(data: FeeReceiptData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    rows = receipt_rows(data)
    if data.case_number:
        rows.append((_("Case number"), data.case_number))
    if data.item_name:
        rows.append((_("Item"), data.item_name))
    if data.department_name:
        rows.append((_("Charged for"), data.department_name))
    story = receipt_body(
        sheet,
        data,
        title=fee_receipt_title(),
        rows=rows,
        footer=_(
            "All fees of this case are collected once, by the published fee standard; no other "
            "fee may be asked for it. Keep this receipt."
        )
        + " "
        + fiscal_receipt_text(data),
    )
    if data.case_number:
        story += [gap(sheet, 0.5), *case_qr(sheet, data.case_number, data.status_url)]
    story.append(receipt_close(sheet, data, [_("Payer")]))
    return build_pdf(receipt_head(fee_receipt_title(), data, reprint), story, sheet)
