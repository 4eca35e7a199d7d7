"""不予受理通知书: the item cannot be accepted; why, on what legal basis, and what the
applicant can do about it.

The appeal route follows the Administrative Reconsideration Law as revised in 2023 (in
force since 1 January 2024): reconsideration is asked of the people's government at the
same level as the department that decided (本级人民政府, art. 24), no longer of the
department above it, except for the vertically led offices (customs, finance, foreign
exchange, tax, state security: art. 27), within 60 days (art. 20); or a lawsuit within
six months (《行政诉讼法》 art. 46)."""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    agent_rows,
    applicant_text,
    field_table,
    gap,
    local_day,
    local_time,
    para,
    signatures_and_seal,
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
        "If you disagree with this decision, you may, within {days} days of receiving this "
        "notice, apply for administrative reconsideration to the people's government at the "
        "same level as the department that decided (for customs, financial, foreign exchange, "
        "tax and state security authorities: to the authority at the next higher level), under "
        "the Administrative Reconsideration Law as revised in 2023; or, within {months} months, "
        "bring an administrative lawsuit before the people's court."
    ).format(days=REVIEW_DAYS, months=LAWSUIT_MONTHS)


def render_refusal_notice(data: RefusalNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(refusal_title(), _("Notice number"), data.refusal_number, issuer, reprint)
    story = [
        para(refusal_title(), styles.title),
        para(issuer.center_name, styles.subtitle),
        field_table(
            sheet,
            [
                (_("Notice number"), data.refusal_number),
                (_("Applicant"), applicant_text(data.applicant)),
                (_("Item"), f"{data.item_name} ({data.item_code})"),
                (_("Department"), data.department_name),
                (_("Date"), local_time(data.refused_at, issuer.zone)),
                (_("Handled at"), f"{issuer.center_name} {window_text(issuer)}"),
                *agent_rows(data.proxy),
            ],
        ),
        gap(sheet, 0.5),
        para(
            _(
                "{name}: your application for \u201c{item}\u201d has been examined and cannot be "
                "accepted, for the reason below."
            ).format(name=data.applicant.name, item=data.item_name),
            styles.body,
        ),
        para(_("Reason"), styles.heading),
        para(data.reason, styles.body),
        para(_("Legal basis"), styles.heading),
        para(data.legal_basis, styles.body),
        para(_("Your rights"), styles.heading),
        para(remedies_text(), styles.body),
        para(
            _("Questions: call the window on {phone}.").format(phone=issuer.window_phone or issuer.center_phone),
            styles.body,
        ),
        signatures_and_seal(
            sheet, [_("Operator"), _("Received by the applicant")], issuer, local_day(data.refused_at, issuer.zone)
        ),
    ]
    return build_pdf(head, story, sheet)
