"""What every receipt for money has in common (fee receipt, utility receipt): the number,
date and payer, the lines, the amount in figures and in capitals, how it was paid."""

from __future__ import annotations

from typing import TYPE_CHECKING

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    amount_table,
    applicant_text,
    field_table,
    gap,
    local_day,
    local_time,
    para,
    payment_rows,
    receipt_lines_table,
    signatures_and_seal,
    window_text,
)
from windowdesk.printing.layout import DocumentHead

if TYPE_CHECKING:
    from reportlab.platypus import Table

    from windowdesk.printing.data import FeeReceiptData, UtilityReceiptData


def receipt_head(title: str, data: FeeReceiptData | UtilityReceiptData, reprint: bool) -> DocumentHead:
    return DocumentHead(title, _("Receipt number"), data.receipt_number, data.issuer, reprint)


def receipt_rows(data: FeeReceiptData | UtilityReceiptData) -> list[tuple[str, str]]:
    """The first rows of any receipt: its number, when, and who paid."""
    return [
        (_("Receipt number"), data.receipt_number),
        (_("Date"), local_time(data.paid_at, data.issuer.zone)),
        (_("Payer"), applicant_text(data.payer)),
    ]


def receipt_close(sheet: Sheet, data: FeeReceiptData | UtilityReceiptData, labels: list[str]) -> Table:
    """The signatures, and the center's seal over the day the money was taken."""
    return signatures_and_seal(sheet, labels, data.issuer, local_day(data.paid_at, data.issuer.zone))


def receipt_body(
    sheet: Sheet, data: FeeReceiptData | UtilityReceiptData, *, title: str, rows: list[tuple[str, str]], footer: str
) -> list:
    issuer = data.issuer
    styles = sheet.styles
    return [
        para(title, styles.title),
        para(f"{issuer.center_name} \u00b7 {window_text(issuer)}", styles.subtitle),
        field_table(sheet, rows),
        gap(sheet, 0.5),
        receipt_lines_table(sheet, data.lines),
        gap(sheet, 0.5),
        amount_table(sheet, data.total_fen),
        field_table(sheet, [*payment_rows(data), (_("Received by"), issuer.operator_name)]),
        gap(sheet, 0.5),
        para(footer, styles.small),
    ]
