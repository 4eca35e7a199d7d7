"""容缺受理's papers:

- 容缺受理通知书: the case is accepted with materials to follow; which, by when, and what
  happens if they do not come. Two copies on two pages: the applicant's and the file's;
- 承诺书: the applicant's signed commitment to bring them by that date;
- the refusal once that date passed without them, when the catalog's rule is to refuse,
  with its legal basis and the applicant's remedies.

ID numbers masked (printing.data); the center's seal and date as on every notice.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak

from windowdesk.domain.catalog_model import DeferralRule
from windowdesk.domain.query_codes import grouped
from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    applicant_text,
    field_table,
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
from windowdesk.printing.data import (
    DeferralCommitmentData,
    DeferralPaper,
    DeferralRefusalNoticeData,
    DeferredAcceptanceNoticeData,
)
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper
from windowdesk.printing.refusal import remedies_text


def deferred_acceptance_title() -> str:
    return _("Notice of Acceptance with Materials to Follow")


def commitment_title() -> str:
    return _("Commitment")


def deferral_refusal_title() -> str:
    return _("Notice of Refusal: Materials to Follow Not Brought")


def _rule_text(data: DeferralPaper) -> str:
    if data.when_missed is DeferralRule.REFUSE:
        return _("If they are not brought by that date, the application is refused ({basis}).").format(
            basis=data.legal_basis
        )
    text = _(
        "If they are not brought by that date, the case is suspended until they are; the days it waits do "
        "not count towards its time limit."
    )
    return text + (" " + _("Legal basis: {basis}").format(basis=data.legal_basis) if data.legal_basis else "")


def _to_follow_table(sheet: Sheet, data: DeferralPaper):  # noqa: ANN202 - a reportlab table
    return list_table(
        sheet,
        ["#", _("Material to follow"), _("To bring"), _("Bring by")],
        [
            [str(i), line.name, line.requirement, long_date(data.commitment_date)]
            for i, line in enumerate(data.to_follow, start=1)
        ],
        [0.6, 4, 4.4, 2.2],
    )


def _case_rows(data: DeferralPaper) -> list[tuple[str, str]]:
    issuer = data.issuer
    return [
        (_("Case number"), data.case_number),
        (_("Applicant"), applicant_text(data.applicant)),
        (_("Item"), f"{data.item_name} ({data.item_code})"),
        (_("Department"), data.department_name),
        (_("Accepted at"), local_time(data.accepted_at, issuer.zone)),
        (_("Window"), window_text(issuer)),
        (_("Promised completion date"), long_date(data.promised_date)),
        (_("Materials to follow by"), long_date(data.commitment_date)),
    ]


def render_deferred_acceptance_notice(
    data: DeferredAcceptanceNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(deferred_acceptance_title(), _("Case number"), data.case_number, issuer, reprint)
    story: list[Flowable] = []
    for copy_label in (_("Applicant's copy"), _("File copy")):
        rows = _case_rows(data)
        if data.query_code and not story:  # the applicant's copy only: the file never holds the code
            rows = [*rows, (_("Query code"), grouped(data.query_code))]
        if story:
            story.append(PageBreak())
        story += [
            para(deferred_acceptance_title(), styles.title),
            para(f"{issuer.center_name} \u00b7 {copy_label}", styles.subtitle),
            para(
                _(
                    "{name}: your application for \u201c{item}\u201d has been accepted and its time limit runs from "
                    "today. The materials below may follow: please bring them by the date you committed to."
                ).format(name=data.applicant.name, item=data.item_name),
                styles.body,
            ),
            *fields_with_qr(sheet, rows, data.case_number, data.status_url),
            gap(sheet, 0.5),
            _to_follow_table(sheet, data),
            gap(sheet, 0.5),
            para(_rule_text(data), styles.body),
            signatures_and_seal(
                sheet, [_("Operator"), _("Applicant")], issuer, local_day(data.accepted_at, issuer.zone)
            ),
        ]
    return build_pdf(head, story, sheet)


def render_deferral_commitment(
    data: DeferralCommitmentData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(commitment_title(), _("Case number"), data.case_number, issuer, reprint)
    story = [
        para(commitment_title(), styles.title),
        para(issuer.center_name, styles.subtitle),
        para(
            _(
                "I, {name}, applying for \u201c{item}\u201d (case {number}), commit to bring the materials below "
                "to {center} by {date}. I know what happens if I do not:"
            ).format(
                name=data.applicant.name,
                item=data.item_name,
                number=data.case_number,
                center=issuer.center_name,
                date=long_date(data.commitment_date),
            ),
            styles.body,
        ),
        gap(sheet, 0.5),
        _to_follow_table(sheet, data),
        gap(sheet, 0.5),
        para(_rule_text(data), styles.body),
        para(_("I confirm that what I have stated and handed in is true."), styles.body),
        field_table(sheet, _case_rows(data)),
        signatures_and_seal(
            sheet, [_("Applicant (commits)"), _("Operator")], issuer, local_day(data.accepted_at, issuer.zone)
        ),
    ]
    return build_pdf(head, story, sheet)


def render_deferral_refusal_notice(
    data: DeferralRefusalNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    refused_at = data.refused_at or data.accepted_at
    head = DocumentHead(deferral_refusal_title(), _("Case number"), data.case_number, issuer, reprint)
    story = [
        para(deferral_refusal_title(), styles.title),
        para(issuer.center_name, styles.subtitle),
        field_table(sheet, [*_case_rows(data), (_("Date"), local_time(refused_at, issuer.zone))]),
        gap(sheet, 0.5),
        para(
            _(
                "{name}: your application for \u201c{item}\u201d was accepted on your commitment to bring the "
                "materials below by {date}. They were not brought, so the application is refused."
            ).format(name=data.applicant.name, item=data.item_name, date=long_date(data.commitment_date)),
            styles.body,
        ),
        _to_follow_table(sheet, data),
        para(_("Legal basis"), styles.heading),
        para(data.legal_basis, styles.body),
        para(_("Your rights"), styles.heading),
        para(remedies_text(), styles.body),
        signatures_and_seal(
            sheet, [_("Operator"), _("Received by the applicant")], issuer, local_day(refused_at, issuer.zone)
        ),
    ]
    return build_pdf(head, story, sheet)
