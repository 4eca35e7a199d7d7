"""The queue ticket (排队号) a waiting applicant holds until called: the number big,
the queue, how many are ahead, and the time it was taken."""

from __future__ import annotations

from windowdesk.i18n import _
from windowdesk.printing.blocks import Sheet, field_table, gap, local_time, para, window_text
from windowdesk.printing.data import QueueTicketData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def ticket_title() -> str:
    return _("Queue Ticket")


def render_queue_ticket(data: QueueTicketData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(ticket_title(), _("Ticket"), data.ticket_number, issuer, reprint)
    rows = [
        (_("Queue"), data.service_name),
        (_("Taken at"), local_time(data.taken_at, issuer.zone)),
        (_("Waiting ahead of you"), str(data.waiting_ahead)),
    ]
    if issuer.window_code:
        rows.append((_("Window"), window_text(issuer)))
    story = [
        para(issuer.center_name, styles.subtitle),
        para(ticket_title(), styles.title),
        para(data.ticket_number, styles.big),
        gap(sheet, 0.5),
        field_table(sheet, rows),
        gap(sheet, 0.5),
        para(
            _(
                "Please wait until your number is called and shown on the screen. If you miss "
                "your turn, ask at the information desk."
            ),
            styles.small,
        ),
    ]
    return build_pdf(head, story, sheet)
