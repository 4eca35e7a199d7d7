"""作废单: the slip printed when a receipt is voided.

It is stapled to the voided receipt (the payer hands theirs back when there is one), so
an auditor finds both together: what the receipt said, why it was taken back and which
supervisor approved it. The amount is printed in capitals like on every receipt.
"""

from __future__ import annotations

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
    payment_method_label,
    signatures_and_seal,
    window_text,
)
from windowdesk.printing.data import VoidSlipData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def void_slip_title() -> str:
    return _("Receipt Void Slip")


def render_void_slip(data: VoidSlipData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(void_slip_title(), _("Void number"), data.void_number, issuer, reprint)
    receipt_rows = [
        (_("Voided receipt"), f"{data.receipt_title} {data.receipt_number}"),
        (_("Issued"), local_time(data.receipt_paid_at, issuer.zone)),
        (_("Payer"), applicant_text(data.payer)),
    ]
    if data.what:
        receipt_rows.append((_("For"), data.what))
    receipt_rows.append((_("Payment method"), payment_method_label(data.payment_method)))
    story = [
        para(void_slip_title(), styles.title),
        para(f"{issuer.center_name} \u00b7 {window_text(issuer)}", styles.subtitle),
        field_table(
            sheet, [(_("Void number"), data.void_number), (_("Voided"), local_time(data.voided_at, issuer.zone))]
        ),
        gap(sheet, 0.5),
        field_table(sheet, receipt_rows),
        gap(sheet, 0.5),
        amount_table(sheet, data.amount_fen),
        field_table(
            sheet,
            [
                (_("Reason"), data.reason),
                (_("Voided by"), issuer.operator_name),
                (_("Approved by"), data.approved_by),
            ],
        ),
        gap(sheet, 0.5),
        para(
            _(
                "The receipt above is void: its amount is not part of the day's takings. Keep this "
                "slip with the original receipt."
            ),
            styles.small,
        ),
        signatures_and_seal(sheet, [_("Operator"), _("Supervisor")], issuer, local_day(data.voided_at, issuer.zone)),
    ]
    return build_pdf(head, story, sheet)
