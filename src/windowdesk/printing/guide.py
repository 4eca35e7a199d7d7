"""办事指南: the service guide of one catalog item, handed to an applicant to take home.

Everything needed to come back once and be accepted: preconditions, every material
with originals and copies, the procedure, time limits, fees, legal basis and where to go.
"""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    field_table,
    gap,
    list_table,
    numbered,
    para,
    yuan,
)
from windowdesk.printing.data import GuideFee, ServiceGuideData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def guide_title() -> str:
    return _("Service Guide")


def _fee_text(fee: GuideFee) -> str:
    text = f"{fee.department_name}: {fee.description}"
    if fee.amount_fen is not None:
        amount = yuan(fee.amount_fen)
        text += f" {amount}/{fee.unit}" if fee.unit else f" {amount}"
    if fee.exemptions:
        text += " (" + _("exempt: {who}").format(who=_("; ").join(fee.exemptions)) + ")"
    return text


def render_service_guide(data: ServiceGuideData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(guide_title(), _("Item code"), data.item_code, issuer, reprint)
    days = _("{days} working days")
    facts = [
        (_("Item"), f"{data.item_name} ({data.item_code})"),
        (_("Department"), data.department_name),
        (_("Category"), data.category),
        (_("Legal time limit"), days.format(days=data.legal_limit_days)),
        (_("Promised time limit"), days.format(days=data.promised_limit_days)),
        (_("Fee"), data.fee_summary),
    ]
    if data.parallel_departments:
        facts.append((_("Parallel approval by"), _(", ").join(data.parallel_departments)))
    facts.append((_("Where"), data.where))
    story = [
        para(guide_title(), styles.title),
        para(data.item_name, styles.subtitle),
        field_table(sheet, facts),
        para(_("Preconditions"), styles.heading),
        *numbered(data.preconditions, sheet),
        para(_("Materials"), styles.heading),
        list_table(
            sheet,
            ["#", _("Material"), _("Required"), _("What to bring")],
            [
                [str(i), line.name, _("Yes") if required else _("If applicable"), line.requirement]
                for i, (line, required) in enumerate(data.materials, start=1)
            ],
            [0.6, 4, 1.4, 6],
        ),
        para(_("Procedure"), styles.heading),
        *numbered(data.procedure, sheet),
        para(_("Fee standard"), styles.heading),
        *numbered([_fee_text(fee) for fee in data.fees] or [data.fee_summary], sheet),
        para(_("Legal basis"), styles.heading),
        para(data.legal_basis, styles.body),
        para(_("Contact"), styles.heading),
        para(
            _("{center}, {address}. Phone {phone}. Opening hours: {hours}.").format(
                center=issuer.center_name,
                address=issuer.center_address,
                phone=issuer.center_phone,
                hours=issuer.center_hours,
            ),
            styles.body,
        ),
        gap(sheet, 0.5),
        para(_("Catalog version {version}").format(version=data.catalog_version), styles.small),
    ]
    return build_pdf(head, story, sheet)
