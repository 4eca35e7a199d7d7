"""收费收据: all fees of one case, collected once at the window, on one receipt.

The amount appears in figures and in Chinese capital numerals (大写), as financial
receipts require; the capitals are what settles a dispute over a smudged digit.
"""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import QrCode, Sheet, gap, qr_size, signature_table
from windowdesk.printing.data import FeeReceiptData
from windowdesk.printing.layout import build_pdf
from windowdesk.printing.money_receipt import receipt_body, receipt_head, receipt_rows
from windowdesk.printing.paper import PaperFormat, default_paper


def fee_receipt_title() -> str:
    return _("Fee Receipt")


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
        sheet, data, title=fee_receipt_title(), rows=rows,
        footer=_("All fees of this case are collected once, by the published fee standard; no other "
                 "fee may be asked for it. Keep this receipt."),
    )
    if data.case_number:
        story += [gap(sheet, 0.5), QrCode(data.case_number, qr_size(sheet), align="CENTER")]
    story += [gap(sheet), signature_table(sheet, [_("Payer")])]
    return build_pdf(receipt_head(fee_receipt_title(), data, reprint), story, sheet)
