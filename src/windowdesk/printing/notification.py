"""一次性告知单 / 补正材料通知书: everything missing or wrong, in one list, at once.

The rule of one-time notification is that the applicant never comes back twice for the
same item: so the slip lists every material with exactly what is needed, the item's
legal basis, where and when to come back, and the window's phone for questions.
"""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    agent_rows,
    applicant_text,
    field_table,
    gap,
    list_table,
    local_day,
    local_time,
    para,
    signatures_and_seal,
    window_text,
)
from windowdesk.printing.data import MaterialLine, NotificationSlipData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def notification_title() -> str:
    return _("One-Time Notification of Missing Materials")


def problem_label(problem: str) -> str:
    return {"missing": _("Missing"), "correction": _("Needs correction")}.get(problem, problem)


def _what_is_needed(line: MaterialLine) -> str:
    if line.note and line.note != line.requirement:
        return line.requirement + "\n" + _("To correct: {what}").format(what=line.note)
    return line.requirement


def _return_rows(data: NotificationSlipData) -> list[tuple[str, str]]:
    """One place to bring the materials, labelled: where the item is handled, else this
    window; its opening hours only when it is this center (others keep their own)."""
    issuer = data.issuer
    if data.where:
        rows = [(_("Bring the materials to"), data.where)]
    else:
        rows = [
            (
                _("Bring the materials to"),
                _("{center} {window}, {address}").format(
                    center=issuer.center_name, window=window_text(issuer), address=issuer.center_address
                ),
            )
        ]
        if issuer.center_hours:
            rows.append((_("Opening hours"), issuer.center_hours))
    rows.append((_("Questions"), issuer.window_phone or issuer.center_phone))
    return rows


def render_notification_slip(
    data: NotificationSlipData, *, paper: PaperFormat | None = None, reprint: bool = False
) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(notification_title(), _("Notification number"), data.notification_number, issuer, reprint)
    story = [
        para(notification_title(), styles.title),
        para(issuer.center_name, styles.subtitle),
        field_table(
            sheet,
            [
                (_("Notification number"), data.notification_number),
                (_("Applicant"), applicant_text(data.applicant)),
                (_("Item"), f"{data.item_name} ({data.item_code})"),
                (_("Department"), data.department_name),
                (_("Date"), local_time(data.given_at, issuer.zone)),
                *agent_rows(data.proxy),
            ],
        ),
        gap(sheet, 0.5),
        para(
            _(
                "{name}: the materials for your application for \u201c{item}\u201d are not yet "
                "complete. Below is everything that is missing or must be corrected ({count} in "
                "all), told to you once and in full: when you bring all of it, the application "
                "will be accepted."
            ).format(name=data.applicant.name, item=data.item_name, count=len(data.entries)),
            styles.body,
        ),
        list_table(
            sheet,
            ["#", _("Material"), _("Problem"), _("What exactly is needed")],
            [
                [str(i), line.name, problem_label(line.problem), _what_is_needed(line)]
                for i, line in enumerate(data.entries, start=1)
            ],
            [0.6, 4, 1.6, 6],
        ),
        para(_("Legal basis"), styles.heading),
        para(data.legal_basis, styles.body),
        gap(sheet, 0.5),
        field_table(sheet, _return_rows(data)),
    ]
    if data.note:
        story += [para(_("Note"), styles.heading), para(data.note, styles.body)]
    story += [
        gap(sheet, 0.5),
        para(
            _(
                "Bring this slip when you come back. Anything not on this slip may not be asked "
                "of you for this application."
            ),
            styles.small,
        ),
        signatures_and_seal(
            sheet, [_("Operator"), _("Received by the applicant")], issuer, local_day(data.given_at, issuer.zone)
        ),
    ]
    return build_pdf(head, story, sheet)
