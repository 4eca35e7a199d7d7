"""办理时限中止告知书: the written notice that a case's time limits stand still.

The Administrative Licensing Law (《中华人民共和国行政许可法》 art. 45) leaves the time a
hearing, an inspection, testing, quarantine or appraisal, or an expert review takes out of
the legal time limits, and obliges the authority to tell the applicant so in writing; the
wait for supplementary materials stops the clock the same way (art. 32). One document
serves every kind: its title and wording name the kind, and a copy printed after the
case runs again also says when and why it did."""

from __future__ import annotations

from windowdesk.domain.suspensions import SuspensionKind, suspension_kind
from windowdesk.i18n import N_, _
from windowdesk.printing.blocks import (
    Sheet,
    applicant_text,
    field_table,
    gap,
    local_day,
    local_time,
    para,
    signatures_and_seal,
    window_text,
)
from windowdesk.printing.data import SuspensionNoticeData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper

_TITLES = {
    SuspensionKind.MATERIALS: N_("Notice of Suspension: Supplementary Materials"),
    SuspensionKind.HEARING: N_("Notice of Suspension: Hearing"),
    SuspensionKind.INSPECTION: N_("Notice of Suspension: Inspection, Testing or Appraisal"),
    SuspensionKind.EXPERT_REVIEW: N_("Notice of Suspension: Expert Review"),
}


def suspension_title(kind: str) -> str:
    return _(_TITLES[suspension_kind(kind)])


def legal_basis_text(kind: str) -> str:
    if suspension_kind(kind) is SuspensionKind.MATERIALS:
        return _(
            "Administrative Licensing Law of the People's Republic of China, article 32: where the "
            "application materials are incomplete, the applicant is told once of everything to be "
            "supplemented; the time until they are supplemented does not count against the time limits."
        )
    return _(
        "Administrative Licensing Law of the People's Republic of China, article 45: where a hearing, "
        "inspection, testing, quarantine, appraisal or expert review is needed by law, the time it takes "
        "does not count against the time limits, and the applicant is told so in writing."
    )


def render_suspension_notice(
    data: SuspensionNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    title = suspension_title(data.kind)
    head = DocumentHead(title, _("Case number"), data.case_number, issuer, reprint)
    fields = [
        (_("Case number"), data.case_number),
        (_("Applicant"), applicant_text(data.applicant)),
        (_("Item"), f"{data.item_name} ({data.item_code})"),
        (_("Department"), data.department_name),
        (_("Time limit suspended from"), local_time(data.started_at, issuer.zone)),
        (_("Suspended by"), issuer.operator_name),
        (_("Handled at"), f"{issuer.center_name} {window_text(issuer)}"),
    ]
    if data.ended_at is not None:
        fields += [
            (_("Time limit runs again from"), local_time(data.ended_at, issuer.zone)),
            (_("Resumed by"), data.ended_by),
        ]
    story = [
        para(title, styles.title),
        para(issuer.center_name, styles.subtitle),
        field_table(sheet, fields),
        gap(sheet, 0.5),
        para(
            _(
                "{name}: the handling of your application for \u201c{item}\u201d is suspended for the reason "
                "below. The time this takes does not count against the legal or the promised time limit; the "
                "limits run on, with the days already used, when it ends."
            ).format(name=data.applicant.name, item=data.item_name),
            styles.body,
        ),
        para(_("Reason"), styles.heading),
        para(data.reason, styles.body),
    ]
    if data.ended_at is not None and data.outcome:
        story += [para(_("Outcome"), styles.heading), para(data.outcome, styles.body)]
    story += [
        para(_("Legal basis"), styles.heading),
        para(legal_basis_text(data.kind), styles.body),
        para(
            _("Questions: call the window on {phone}.").format(phone=issuer.window_phone or issuer.center_phone),
            styles.body,
        ),
        signatures_and_seal(
            sheet, [_("Operator"), _("Received by the applicant")], issuer, local_day(data.started_at, issuer.zone)
        ),
    ]
    return build_pdf(head, story, sheet)
