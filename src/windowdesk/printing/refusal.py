"""不予受理通知书: the item cannot be accepted; why, on what legal basis, and what the
applicant can do about it (administrative review within 60 days, a lawsuit within six
months — 《行政复议法》 and 《行政诉讼法》)."""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    applicant_text,
    field_table,
    gap,
    local_time,
    para,
    signature_table,
    window_text,
)
from windowdesk.printing.data import RefusalNoticeData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper

REVIEW_DAYS = 60
LAWSUIT_MONTHS = 6


def refusal_title() -> str:
    return _("Notice of Refusal to Accept")


def remedies_text() -> str:
    return _(
        "If you disagree with this decision, you may apply for administrative review to the "
        "people's government at the same level or to the department at the next higher level "
        "within {days} days of receiving this notice, or bring an administrative lawsuit before "
        "the people's court within {months} months."
    ).format(days=REVIEW_DAYS, months=LAWSUIT_MONTHS)


def render_refusal_notice(
    data: RefusalNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(refusal_title(), _("Notice number"), data.refusal_number, issuer, reprint)
    story = [
        para(refusal_title(), styles.title),
        para(issuer.center_name, styles.subtitle),
        field_table(sheet, [
            (_("Notice number"), data.refusal_number),
            (_("Applicant"), applicant_text(data.applicant)),
            (_("Item"), f"{data.item_name} ({data.item_code})"),
            (_("Department"), data.department_name),
            (_("Date"), local_time(data.refused_at, issuer.zone)),
            (_("Handled at"), f"{issuer.center_name} {window_text(issuer)}"),
        ]),
        gap(sheet, 0.5),
        para(
            _("{name}: your application for \u201c{item}\u201d has been examined and cannot be "
              "accepted, for the reason below.").format(name=data.applicant.name, item=data.item_name),
            styles.body,
        ),
        para(_("Reason"), styles.heading),
        para(data.reason, styles.body),
        para(_("Legal basis"), styles.heading),
        para(data.legal_basis, styles.body),
        para(_("Your rights"), styles.heading),
        para(remedies_text(), styles.body),
        para(
            _("Questions: call the window on {phone}.").format(
                phone=issuer.window_phone or issuer.center_phone),
            styles.body,
        ),
        gap(sheet),
        signature_table(sheet, [_("Operator"), _("Received by the applicant")]),
        gap(sheet, 0.5),
        para(
            _("{center} (seal)").format(center=issuer.center_name),
            styles.body,
        ),
    ]
    return build_pdf(head, story, sheet)
