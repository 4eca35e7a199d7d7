"""收费收据: all fees of one case, collected once at the window, on one receipt.

The amount appears in figures and in Chinese capital numerals (大写), as financial
receipts require; the capitals are what settles a dispute over a smudged digit.
"""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    QrCode,
    Sheet,
    amount_table,
    applicant_text,
    field_table,
    gap,
    local_time,
    para,
    payment_rows,
    qr_size,
    receipt_lines_table,
    signature_table,
    window_text,
)
from windowdesk.printing.data import FeeReceiptData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def fee_receipt_title() -> str:
    return _("Fee Receipt")


def render_fee_receipt(data: FeeReceiptData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(fee_receipt_title(), _("Receipt number"), data.receipt_number, issuer, reprint)
    rows = [
        (_("Receipt number"), data.receipt_number),
        (_("Date"), local_time(data.paid_at, issuer.zone)),
        (_("Payer"), applicant_text(data.payer)),
    ]
    if data.case_number:
        rows.append((_("Case number"), data.case_number))
    if data.item_name:
        rows.append((_("Item"), data.item_name))
    if data.department_name:
        rows.append((_("Charged for"), data.department_name))
    story = [
        para(fee_receipt_title(), styles.title),
        para(f"{issuer.center_name} \u00b7 {window_text(issuer)}", styles.subtitle),
        field_table(sheet, rows),
        gap(sheet, 0.5),
        receipt_lines_table(sheet, data.lines),
        gap(sheet, 0.5),
        amount_table(sheet, data.total_fen),
        field_table(sheet, [*payment_rows(data), (_("Received by"), issuer.operator_name)]),
        gap(sheet, 0.5),
        para(
            _("All fees of this case are collected once, by the published fee standard; no other "
              "fee may be asked for it. Keep this receipt."),
            styles.small,
        ),
    ]
    if data.case_number:
        story += [gap(sheet, 0.5), QrCode(data.case_number, qr_size(sheet), align="CENTER")]
    story += [gap(sheet), signature_table(sheet, [_("Payer")])]
    return build_pdf(head, story, sheet)
