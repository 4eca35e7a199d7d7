"""受理回执 / 受理通知书: the applicant's proof that the case was accepted.

It carries what the applicant needs later: the case number (also as a QR code, for the
status inquiry), the promised completion date, and where to collect the result.
"""

from __future__ import annotations

from windowdesk.domain.query_codes import grouped
from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    agent_rows,
    applicant_text,
    fields_with_qr,
    gap,
    list_table,
    local_day,
    local_time,
    long_date,
    para,
    signatures_and_seal,
    window_text,
)
from windowdesk.printing.data import AcceptanceReceiptData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def acceptance_title() -> str:
    return _("Acceptance Receipt")


def _query_code_rows(data: AcceptanceReceiptData) -> list[tuple[str, str]]:
    """The query code on the copy printed when it was made; on any other copy, how to get
    a new one (the window cannot show it again)."""
    if data.query_code:
        return [(_("Query code"), grouped(data.query_code))]
    if data.has_query_code:
        return [
            (
                _("Query code"),
                _("printed on the first copy only; if it is lost, a supervisor at the window issues a new one"),
            )
        ]
    return []


def _agent_rows(data: AcceptanceReceiptData) -> list[tuple[str, str]]:
    """帮办代办: the agent who applied and the power of attorney they showed."""
    return agent_rows(data.proxy)


def render_acceptance_receipt(
    data: AcceptanceReceiptData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(acceptance_title(), _("Case number"), data.case_number, issuer, reprint)
    rows = [
        (_("Case number"), data.case_number),
        (_("Applicant"), applicant_text(data.applicant)),
        *_agent_rows(data),
        (_("Item"), f"{data.item_name} ({data.item_code})"),
        (_("Department"), data.department_name),
        (_("Accepted at"), local_time(data.accepted_at, issuer.zone)),
        (_("Window"), window_text(issuer)),
        (_("Operator"), issuer.operator_name),
        (
            _("Promised completion date"),
            _("{date} (within {days} working days)").format(
                date=long_date(data.promised_date), days=data.promised_days
            ),
        ),
        (_("Legal time limit ends"), long_date(data.legal_date)),
        *_query_code_rows(data),
        (_("How the result reaches you"), data.delivery)
        if data.delivery
        else (_("Collect the result at"), data.where or issuer.center_address),
        (_("Inquiries"), issuer.window_phone or issuer.center_phone),
    ]
    story = [
        para(acceptance_title(), styles.title),
        para(issuer.center_name, styles.subtitle),
        para(
            _(
                "{name}: your application for \u201c{item}\u201d has been accepted. Please keep this "
                "receipt; with the case number or the QR code you can ask about the case at any "
                "window, by phone or online."
            ).format(name=data.applicant.name, item=data.item_name)
            + (
                (
                    " "
                    + _(
                        "Online and by phone, the case number opens the case only with the query code "
                        "on this receipt: keep it to yourself."
                    )
                )
                if data.query_code
                else ""
            ),
            styles.body,
        ),
        *fields_with_qr(sheet, rows, data.case_number, data.status_url),
        gap(sheet, 0.5),
    ]
    if data.materials:
        story += [
            para(_("Materials received"), styles.heading),
            list_table(
                sheet,
                ["#", _("Material"), _("Received as")],
                [[str(i), line.name, line.requirement] for i, line in enumerate(data.materials, start=1)],
                [0.6, 5, 5],
            ),
        ]
    story += [
        gap(sheet, 0.5),
        para(
            _(
                "The dates count working days only: weekends and public holidays are not counted, "
                "make-up working days are. If the case is not decided by the promised date, the "
                "center's supervisor answers for it."
            ),
            styles.small,
        ),
        signatures_and_seal(
            sheet,
            [_("Operator"), _("Agent") if data.proxy else _("Applicant")],
            issuer,
            local_day(data.accepted_at, issuer.zone),
        ),
    ]
    return build_pdf(head, story, sheet)
