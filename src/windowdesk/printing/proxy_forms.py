"""帮办代办: the forms of a case an agent applied for, beside its acceptance receipt (受理单,
printing.acceptance, which names the agent too):

- 授权委托书 (power of attorney): what the principal authorised, for which case, with the
  lines the principal and the agent sign and the window's note that it saw the original;
- 中止单 (suspension notice): the case waits and its clock is stopped, and why;
- 办结单 (completion notice): the case is decided; the agent takes the result.

Both notices are addressed to the principal and handed to the agent, who signs for them.
ID numbers are masked (printing.data), like every other paper the window gives out.
"""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    applicant_text,
    field_table,
    gap,
    local_day,
    local_time,
    long_date,
    para,
    signatures_and_seal,
    window_text,
)
from windowdesk.printing.data import (
    PowerOfAttorneyData,
    ProxyCompletionNoticeData,
    ProxyStepNotice,
    ProxySuspensionNoticeData,
)
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def power_of_attorney_title() -> str:
    return _("Power of Attorney")


def suspension_title() -> str:
    return _("Suspension Notice (Proxy Case)")


def completion_title() -> str:
    return _("Completion Notice (Proxy Case)")


def _parties(data: PowerOfAttorneyData | ProxyStepNotice) -> list[tuple[str, str]]:
    return [
        (_("Case number"), data.case_number),
        (_("Principal (applicant)"), applicant_text(data.principal)),
        (_("Agent"), applicant_text(data.proxy.agent)),
        (_("Power of attorney dated"), long_date(data.proxy.power_of_attorney_date)),
        (_("Item"), f"{data.item_name} ({data.item_code})"),
        (_("Department"), data.department_name),
        (_("Accepted at"), local_time(data.accepted_at, data.issuer.zone)),
    ]


def render_power_of_attorney(
    data: PowerOfAttorneyData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(power_of_attorney_title(), _("Case number"), data.case_number, issuer, reprint)
    story = [
        para(power_of_attorney_title(), styles.title),
        para(issuer.center_name, styles.subtitle),
        para(
            _(
                "I, {principal}, authorise {agent} to apply on my behalf for \u201c{item}\u201d at {center}: "
                "to hand in and collect materials, to sign the forms of the case and to receive its notices "
                "and its result. I accept as my own what the agent does within this authority, for this "
                "case only."
            ).format(
                principal=data.principal.name,
                agent=data.proxy.agent.name,
                item=data.item_name,
                center=issuer.center_name,
            ),
            styles.body,
        ),
        gap(sheet, 0.5),
        field_table(sheet, _parties(data)),
        gap(sheet, 0.5),
        para(
            _(
                "Checked at {window}: the signed original of this power of attorney and the identity "
                "documents of the principal and the agent were presented and checked against the "
                "originals."
            ).format(window=f"{issuer.center_name} {window_text(issuer)}"),
            styles.small,
        ),
        signatures_and_seal(
            sheet, [_("Principal"), _("Agent"), _("Operator")], issuer, local_day(data.accepted_at, issuer.zone)
        ),
    ]
    return build_pdf(head, story, sheet)


def _render_step(
    data: ProxyStepNotice, title: str, message: str, note_heading: str, paper: PaperFormat | None, reprint: bool
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(title, _("Case number"), data.case_number, issuer, reprint)
    story = [
        para(title, styles.title),
        para(issuer.center_name, styles.subtitle),
        field_table(
            sheet,
            [
                *_parties(data),
                (_("Date"), local_time(data.step_at, issuer.zone)),
                (_("Handled at"), f"{issuer.center_name} {window_text(issuer)}"),
            ],
        ),
        gap(sheet, 0.5),
        para(message, styles.body),
    ]
    if data.note:
        story += [para(note_heading, styles.heading), para(data.note, styles.body)]
    story += [
        para(
            _("Questions: call the window on {phone}.").format(phone=issuer.window_phone or issuer.center_phone),
            styles.body,
        ),
        signatures_and_seal(
            sheet, [_("Operator"), _("Received by the agent")], issuer, local_day(data.step_at, issuer.zone)
        ),
    ]
    return build_pdf(head, story, sheet)


def render_proxy_suspension_notice(
    data: ProxySuspensionNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    message = _(
        "{principal}: your application for \u201c{item}\u201d, handed in by your agent {agent}, is "
        "suspended. The days it waits do not count towards its time limit; the case goes on when "
        "the reason below is resolved."
    ).format(principal=data.principal.name, item=data.item_name, agent=data.proxy.agent.name)
    return _render_step(data, suspension_title(), message, _("Reason"), paper, reprint)


def render_proxy_completion_notice(
    data: ProxyCompletionNoticeData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    message = _(
        "{principal}: your application for \u201c{item}\u201d, handed in by your agent {agent}, has "
        "been decided. The agent collects the result with this notice, the power of attorney and "
        "their identity card."
    ).format(principal=data.principal.name, item=data.item_name, agent=data.proxy.agent.name)
    return _render_step(data, completion_title(), message, _("Decision"), paper, reprint)
