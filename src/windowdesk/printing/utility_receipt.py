"""The receipt for a utility payment taken at a street center: water, electricity,
heating, gas, phone or tax, passed on to the utility (代收).

Amounts in figures and in Chinese capital numerals, like every receipt.
"""

from __future__ import annotations

from windowdesk.domain.fees import utility_label
from windowdesk.i18n import _
from windowdesk.printing.blocks import Sheet
from windowdesk.printing.data import UtilityReceiptData
from windowdesk.printing.layout import build_pdf
from windowdesk.printing.money_receipt import receipt_body, receipt_close, receipt_head, receipt_rows
from windowdesk.printing.paper import PaperFormat, default_paper


def utility_receipt_title() -> str:
    return _("Utility Payment Receipt")


def render_utility_receipt(
    data: UtilityReceiptData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    rows = [*receipt_rows(data), (_("Payment for"), utility_label(data.utility))]
    if data.account_number:
        rows.append((_("Account number"), data.account_number))
    if data.period:
        rows.append((_("Billing period"), data.period))
    if data.payee:
        rows.append((_("Collected on behalf of"), data.payee))
    story = receipt_body(
        sheet,
        data,
        title=utility_receipt_title(),
        rows=rows,
        footer=_(
            "Collected by the service center on behalf of the payee. Keep this receipt until "
            "the payment shows on your next bill."
        ),
    )
    story.append(receipt_close(sheet, data, []))
    return build_pdf(receipt_head(utility_receipt_title(), data, reprint), story, sheet)
