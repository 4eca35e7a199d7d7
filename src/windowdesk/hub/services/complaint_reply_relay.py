"""A window's reply to a web complaint, told to the center's other windows.

A complaint filed on the public pages is kept by every window of its center (the change
"complaint.web") and may be answered at any of them. The others learn of that answer the
way they learn of the console's: a "complaint.reply" change for the center, appended in
the push's own transaction, so the reply and the change that tells of it are stored
together or not at all. Its payload says ``"source": "window"``: the windows keep the
reply as a window's, and the one that gave it keeps its own (services/service_quality_apply).

A complaint received at a window is kept by that window alone: its reply is told to
nobody. Only a batch that carries a complaint reply needs the feed's transaction
(``HubDatabase.write(feed=True)``, which serializes it with the feed's other writers);
every other push still runs beside the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.complaints import ReplySource
from windowdesk.hub.services.public_complaints import WEB_SOURCE
from windowdesk.hub.services.push_rules import IncomingEvent
from windowdesk.hub.services.replies import tell_the_reply
from windowdesk.hub.storage.models import Operator
from windowdesk.hub.storage.models_quality import Complaint
from windowdesk.sync.protocol import APPLIED, EventKind

WINDOW_SOURCE = ReplySource.WINDOW  # the payload's "source": kept at the windows as a window's reply


def needs_feed(events: Sequence[IncomingEvent]) -> bool:
    """Whether applying ``events`` may append to the change feed."""
    return any(event.kind == EventKind.COMPLAINT_REPLIED for event in events)


def relay_replies(session: Session, events: Sequence[IncomingEvent], statuses: Sequence[str], now: dt.datetime) -> None:
    """A "complaint.reply" change for each web complaint a reply of this batch answered
    (``statuses``: each event's outcome, in order)."""
    replied = [
        event.entity_id
        for event, status in zip(events, statuses, strict=True)
        if status == APPLIED and event.kind == EventKind.COMPLAINT_REPLIED
    ]
    if not replied:
        return
    rows = session.execute(
        select(
            Complaint.id,
            Complaint.number,
            Complaint.center_code,
            Complaint.reply,
            Complaint.replied_at,
            Complaint.replied_by,
        )
        .where(Complaint.id.in_(replied), Complaint.source == WEB_SOURCE)
        .order_by(Complaint.number)
    ).all()
    operators = {row.replied_by for row in rows if row.replied_by}
    names = (
        dict(session.execute(select(Operator.id, Operator.display_name).where(Operator.id.in_(operators))).all())
        if operators
        else {}
    )
    for row in rows:
        # The window's operator by name when the hub has the account (the windows'
        # accounts come from the hub); a window keeps no bare id.
        tell_the_reply(
            session, row, by=names.get(row.replied_by, ""), at=row.replied_at or now, now=now, source=WINDOW_SOURCE
        )
