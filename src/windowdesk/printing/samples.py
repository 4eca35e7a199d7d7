"""Sample documents made from fixed data, with no database: the fee receipt, the utility
receipt, the void slip, the queue ticket, a proxy case's completion notice (the demo
cannot complete a case: that needs the back office's approval) and the refusal of a case
whose materials to follow did not come (that needs the committed day to pass), whose
records the demo does not make.

``windowdesk print-samples`` (windowdesk/cli/print_samples.py) prints them beside the
documents it makes from the demo database; tests render them directly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from windowdesk.domain.fees import Utility
from windowdesk.domain.numbering import format_receipt_number
from windowdesk.printing.data import (
    Applicant,
    DeferralRefusalNoticeData,
    DeferredAcceptanceNoticeData,
    FeeReceiptData,
    Issuer,
    ProxyCompletionNoticeData,
    ProxySuspensionNoticeData,
    QueueTicketData,
    ReceiptLine,
    UtilityReceiptData,
    VoidSlipData,
)


def sample_fee_receipt(
    issuer: Issuer,
    *,
    payer: Applicant,
    case_number: str,
    item_name: str,
    department_name: str,
    paid_at: dt.datetime,
    seq: int = 1,
) -> FeeReceiptData:
    return FeeReceiptData(
        issuer=issuer,
        receipt_number=format_receipt_number(f"CH{issuer.window_code}", paid_at.year, seq),
        payer=payer,
        lines=(ReceiptLine("住房登记费（每件）", 8000), ReceiptLine("房屋所有权证书工本费", 1000, 1, "本")),
        payment_method="cash",
        paid_at=paid_at,
        case_number=case_number,
        item_name=item_name,
        department_name=department_name,
    )


def sample_utility_receipt(
    issuer: Issuer, *, payer: Applicant, paid_at: dt.datetime, seq: int = 2
) -> UtilityReceiptData:
    return UtilityReceiptData(
        issuer=issuer,
        receipt_number=format_receipt_number(f"CH{issuer.window_code}", paid_at.year, seq),
        payer=payer,
        lines=(ReceiptLine("居民生活用水 12 m\u00b3", 3050),),
        payment_method="mobile",
        paid_at=paid_at,
        utility=Utility.WATER,
        account_number="0102-335871",
        period="2026-10",
        payee="七台河市供水有限公司",
    )


def sample_void_slip(
    issuer: Issuer, *, payer: Applicant, receipt: FeeReceiptData, voided_at: dt.datetime
) -> VoidSlipData:
    return VoidSlipData(
        issuer=issuer,
        void_number="ZF-" + receipt.receipt_number,
        receipt_number=receipt.receipt_number,
        receipt_paid_at=receipt.paid_at,
        receipt_title="收费收据",
        payer=payer,
        amount_fen=receipt.total_fen,
        payment_method=receipt.payment_method,
        what=f"{receipt.case_number} {receipt.item_name}",
        voided_at=voided_at,
        reason="收费项目录入错误，重新收费",
        approved_by="李建华",
    )


def sample_ticket(issuer: Issuer, *, taken_at: dt.datetime) -> QueueTicketData:
    return QueueTicketData(
        issuer=issuer, ticket_number="A023", service_name="综合受理", waiting_ahead=4, taken_at=taken_at
    )


def sample_proxy_completion_notice(
    suspended: ProxySuspensionNoticeData, *, completed_at: dt.datetime, decision: str
) -> ProxyCompletionNoticeData:
    """The 办结单 the suspended proxy case of the demo will get once decided."""
    fields = {field.name: getattr(suspended, field.name) for field in dataclasses.fields(suspended)}
    return ProxyCompletionNoticeData(**{**fields, "step_at": completed_at, "note": decision})


def sample_deferral_refusal_notice(
    accepted: DeferredAcceptanceNoticeData, *, refused_at: dt.datetime
) -> DeferralRefusalNoticeData:
    """The refusal the demo's case with materials to follow gets if they never come."""
    fields = {
        field.name: getattr(accepted, field.name)
        for field in dataclasses.fields(accepted)
        if field.name not in ("status_url", "query_code")
    }
    return DeferralRefusalNoticeData(**fields, refused_at=refused_at)
