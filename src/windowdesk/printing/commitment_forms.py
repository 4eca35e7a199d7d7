"""告知承诺制's paper: the 告知承诺书, in two copies on two pages (the applicant's and the
file's). One document with its two halves, as service halls print it:

- 告知: the conditions of the item, told in writing; that the case is decided on the
  applicant's commitment; that the department verifies it within so many working days;
  what a commitment found untrue leads to (the decision revoked, a credit flag that bars
  容缺受理 and 告知承诺制 at every window);
- 承诺: the applicant's commitment that they meet the conditions and that what they
  stated and handed in is true, signed.

ID numbers masked (printing.data); the center's seal and date as on every notice.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
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
from windowdesk.printing.data import CommitmentNoticeData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def commitment_notice_title() -> str:
    return _("Notice and Commitment (Notify-and-Commit)")


def _rows(data: CommitmentNoticeData) -> list[tuple[str, str]]:
    issuer = data.issuer
    return [
        (_("Case number"), data.case_number),
        (_("Applicant"), applicant_text(data.applicant)),
        (_("Item"), f"{data.item_name} ({data.item_code})"),
        (_("Department"), data.department_name),
        (_("Accepted at"), local_time(data.accepted_at, issuer.zone)),
        (_("Window"), window_text(issuer)),
        (_("To be verified by"), long_date(data.verify_due)),
    ]


def _conditions(sheet: Sheet, data: CommitmentNoticeData):  # noqa: ANN202 - a reportlab table
    conditions = data.conditions or (_("As the service guide of the item states them."),)
    return list_table(
        sheet,
        ["#", _("Condition the applicant meets")],
        [[str(i), text] for i, text in enumerate(conditions, start=1)],
        [0.6, 10.4],
    )


def render_commitment_notice(
    data: CommitmentNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(commitment_notice_title(), _("Case number"), data.case_number, issuer, reprint)
    story: list[Flowable] = []
    for copy_label in (_("Applicant's copy"), _("File copy")):
        if story:
            story.append(PageBreak())
        story += [
            para(commitment_notice_title(), styles.title),
            para(f"{issuer.center_name} \u00b7 {copy_label}", styles.subtitle),
            *fields_with_qr(sheet, _rows(data), data.case_number, data.status_url),
            para(_("Notice"), styles.heading),
            para(
                _(
                    "{name}: \u201c{item}\u201d is handled under notify-and-commit. These are its conditions; "
                    "on your written commitment that you meet them, your application is decided without further "
                    "proof."
                ).format(name=data.applicant.name, item=data.item_name),
                styles.body,
            ),
            _conditions(sheet, data),
            gap(sheet, 0.3),
            para(
                _("{department} verifies your commitment within {days} working days, by {date}.").format(
                    department=data.department_name, days=data.verify_days, date=long_date(data.verify_due)
                ),
                styles.body,
            ),
            para(
                _(
                    "If the commitment is found untrue, the decision is revoked, and a credit flag is kept on you: "
                    "until it is lifted, no window accepts an application of yours with materials to follow or "
                    "under notify-and-commit."
                ),
                styles.body,
            ),
            para(_("Legal basis: {basis}").format(basis=data.legal_basis), styles.body),
            para(_("Commitment"), styles.heading),
            para(
                _(
                    "I, {name}, have read the conditions above. I commit that I meet them, that what I have stated "
                    "and handed in is true, and I accept the consequences of an untrue commitment."
                ).format(name=data.applicant.name),
                styles.body,
            ),
            signatures_and_seal(
                sheet, [_("Applicant (commits)"), _("Operator")], issuer, local_day(data.accepted_at, issuer.zone)
            ),
        ]
    return build_pdf(head, story, sheet)
