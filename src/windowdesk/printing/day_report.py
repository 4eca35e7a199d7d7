"""日结单: the end-of-day closing of one window — the day's decisions by item and the
money taken by way of payment, signed by the operator and the supervisor."""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import (
    Sheet,
    amount_table,
    field_table,
    gap,
    list_table,
    local_time,
    long_date,
    para,
    payment_method_label,
    signature_table,
    window_text,
    yuan,
)
from windowdesk.printing.data import DayReportData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def day_report_title() -> str:
    return _("End-of-Day Closing Report")


def render_day_report(data: DayReportData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(day_report_title(), _("Report"), data.number, issuer, reprint)
    total = data.accepted + data.notified + data.refused
    facts = [
        (_("Day"), long_date(data.day)),
        (_("Window"), f"{issuer.center_name} {window_text(issuer)}"),
        (_("Operator"), issuer.operator_name),
        (
            _("Decisions"),
            _("{total} in all: {accepted} accepted, {notified} one-time notifications, {refused} refused").format(
                total=total, accepted=data.accepted, notified=data.notified, refused=data.refused
            ),
        ),
    ]
    if data.first_number:
        facts.append((_("Case numbers"), f"{data.first_number} \u2013 {data.last_number}"))
    story = [
        para(day_report_title(), styles.title),
        para(f"{issuer.center_name} \u00b7 {long_date(data.day)}", styles.subtitle),
        field_table(sheet, facts),
        para(_("By item"), styles.heading),
    ]
    if data.by_item:
        story.append(
            list_table(
                sheet,
                [_("Item"), _("Accepted"), _("Notified"), _("Refused")],
                [[row.item_name, str(row.accepted), str(row.notified), str(row.refused)] for row in data.by_item],
                [6, 1.3, 1.3, 1.3],
            )
        )
    else:
        story.append(para(_("Nothing was decided at this window on this day."), styles.body))
    story.append(para(_("Money collected"), styles.heading))
    if data.collections:
        story += [
            list_table(
                sheet,
                [_("Payment method"), _("Receipts"), _("Amount")],
                [
                    [payment_method_label(line.payment_method), str(line.receipts), yuan(line.total_fen)]
                    for line in data.collections
                ],
                [4, 2, 3],
            ),
            gap(sheet, 0.3),
        ]
    else:
        story.append(para(_("No money was collected at this window on this day."), styles.body))
    story += [amount_table(sheet, data.total_fen), *_cash_part(data, sheet)]
    story += [gap(sheet, 1.5), signature_table(sheet, [_("Operator"), _("Supervisor")])]
    return build_pdf(head, story, sheet)


def _cash_part(data: DayReportData, sheet: Sheet) -> list:
    """Receipt numbers, voids and waivers, and the cash count with its difference."""
    rows = []
    if data.first_receipt:
        rows.append((_("Receipt numbers"), f"{data.first_receipt} \u2013 {data.last_receipt}"))
    if data.voided and data.voided.receipts:
        rows.append(
            (
                _("Voided receipts"),
                _("{count}, {amount} (not counted above)").format(
                    count=data.voided.receipts, amount=yuan(data.voided.total_fen)
                ),
            )
        )
    if data.waived and data.waived.receipts:
        rows.append(
            (
                _("Waived fees"),
                _("{count}, {amount} (no money collected)").format(
                    count=data.waived.receipts, amount=yuan(data.waived.total_fen)
                ),
            )
        )
    rows.append((_("Cash expected in the till"), yuan(data.expected_cash_fen)))
    if data.counted_cash_fen is None:
        rows.append((_("Cash counted"), _("not closed yet")))
    else:
        rows.append((_("Cash counted"), yuan(data.counted_cash_fen)))
        rows.append((_("Difference"), yuan(data.difference_fen)))
        if data.explanation:
            rows.append((_("Explanation"), data.explanation))
        if data.closed_at is not None:
            rows.append((_("Closed"), local_time(data.closed_at, data.issuer.zone)))
        rows.append((_("Confirmed by supervisor"), data.supervisor_name))
    return [para(_("Cash closing"), sheet.styles.heading), field_table(sheet, rows)]
