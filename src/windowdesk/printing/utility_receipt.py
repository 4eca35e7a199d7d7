"""The receipt for a utility payment taken at a street center: water, electricity,
heating, gas, phone or tax, passed on to the utility (代收).

Amounts in figures and in Chinese capital numerals, like every receipt.
"""

from __future__ import annotations

from windowdesk.domain.fees import utility_label
from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    amount_table,
    applicant_text,
    field_table,
    gap,
    local_time,
    para,
    payment_rows,
    receipt_lines_table,
    window_text,
)
from windowdesk.printing.data import UtilityReceiptData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper

def utility_receipt_title() -> str:
    return _("Utility Payment Receipt")


def render_utility_receipt(
    data: UtilityReceiptData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(utility_receipt_title(), _("Receipt number"), data.receipt_number, issuer, reprint)
    rows = [
        (_("Receipt number"), data.receipt_number),
        (_("Date"), local_time(data.paid_at, issuer.zone)),
        (_("Payer"), applicant_text(data.payer)),
        (_("Payment for"), utility_label(data.utility)),
    ]
    if data.account_number:
        rows.append((_("Account number"), data.account_number))
    if data.period:
        rows.append((_("Billing period"), data.period))
    if data.payee:
        rows.append((_("Collected on behalf of"), data.payee))
    story = [
        para(utility_receipt_title(), styles.title),
        para(f"{issuer.center_name} \u00b7 {window_text(issuer)}", styles.subtitle),
        field_table(sheet, rows),
        gap(sheet, 0.5),
        receipt_lines_table(sheet, data.lines),
        gap(sheet, 0.5),
        amount_table(sheet, data.total_fen),
        field_table(sheet, [*payment_rows(data), (_("Received by"), issuer.operator_name)]),
        gap(sheet, 0.5),
        para(
            _("Collected by the service center on behalf of the payee. Keep this receipt until "
              "the payment shows on your next bill."),
            styles.small,
        ),
    ]
    return build_pdf(head, story, sheet)
