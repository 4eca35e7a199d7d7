"""One entry point for every document: the data's type picks the renderer.

The UI and ``print-samples`` hold a document as its data and call ``render_document``
again when the operator picks another paper or asks for a reprint.
"""

from __future__ import annotations

from collections.abc import Callable

from windowdesk.printing import data as d
from windowdesk.printing.acceptance import render_acceptance_receipt
from windowdesk.printing.case_list import render_case_list
from windowdesk.printing.commitment_forms import render_commitment_notice
from windowdesk.printing.day_report import render_day_report
from windowdesk.printing.deferral_forms import (
    render_deferral_commitment,
    render_deferral_refusal_notice,
    render_deferred_acceptance_notice,
)
from windowdesk.printing.fee_receipt import render_fee_receipt
from windowdesk.printing.guide import render_service_guide
from windowdesk.printing.notification import render_notification_slip
from windowdesk.printing.paper import PaperFormat
from windowdesk.printing.proxy_forms import (
    render_power_of_attorney,
    render_proxy_completion_notice,
    render_proxy_suspension_notice,
)
from windowdesk.printing.refusal import render_refusal_notice
from windowdesk.printing.suspension_notice import render_suspension_notice
from windowdesk.printing.ticket import render_queue_ticket
from windowdesk.printing.utility_receipt import render_utility_receipt
from windowdesk.printing.void_slip import render_void_slip

RENDERERS: dict[type, Callable[..., bytes]] = {
    d.AcceptanceReceiptData: render_acceptance_receipt,
    d.NotificationSlipData: render_notification_slip,
    d.RefusalNoticeData: render_refusal_notice,
    d.FeeReceiptData: render_fee_receipt,
    d.UtilityReceiptData: render_utility_receipt,
    d.VoidSlipData: render_void_slip,
    d.ServiceGuideData: render_service_guide,
    d.DayReportData: render_day_report,
    d.CaseListData: render_case_list,
    d.QueueTicketData: render_queue_ticket,
    d.SuspensionNoticeData: render_suspension_notice,
    d.PowerOfAttorneyData: render_power_of_attorney,
    d.ProxySuspensionNoticeData: render_proxy_suspension_notice,
    d.ProxyCompletionNoticeData: render_proxy_completion_notice,
    d.DeferredAcceptanceNoticeData: render_deferred_acceptance_notice,
    d.DeferralCommitmentData: render_deferral_commitment,
    d.DeferralRefusalNoticeData: render_deferral_refusal_notice,
    d.CommitmentNoticeData: render_commitment_notice,
}


def render_document(data: d.DocumentData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    """The PDF of any document; ``paper`` None means the document's default paper."""
    try:
        renderer = RENDERERS[type(data)]
    except KeyError:
        raise TypeError(f"no renderer for {type(data).__name__}") from None
    return renderer(data, paper=paper, reprint=reprint)
