"""Hub-side answers in service quality: the city e-government office replies to a
complaint or records a bad rating's follow-up outcome; the center's windows learn it
from the change feed ("complaint.reply", "followup.outcome"). Run in ``write(feed=True)``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.complaints import ComplaintStatus, ReplySource
from windowdesk.domain.quality_states import FollowUpStatus
from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.storage.models_quality import Complaint, Rating
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_COMPLAINT_REPLY, CHANGE_FOLLOWUP_OUTCOME

MAX_TEXT = 2000


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(Text(N_("Please write the {what}."), what=Text(what)))
    if len(value) > MAX_TEXT:
        raise InvalidInput(Text(N_("The {what} is longer than {count} characters."), what=Text(what), count=MAX_TEXT))
    return value


def reply_to_complaint(session: Session, *, complaint: str, reply: str, by: str, now: dt.datetime) -> int:
    """``complaint``: its id or number. Returns the change's seq."""
    reply, by = _text(reply, N_("reply")), _text(by, N_("name of the person replying"))[:60]
    row = session.scalar(
        select(Complaint).where((Complaint.id == complaint) | (Complaint.number == complaint)).with_for_update()
    )
    if row is None:
        raise NotFound(
            Text(N_("There is no complaint {complaint} on the hub (has its window synced?)."), complaint=complaint)
        )
    if row.status is not ComplaintStatus.OPEN:
        raise Conflict(Text(N_("Complaint {number} already has its reply."), number=row.number))
    row.status, row.reply, row.replied_at = ComplaintStatus.REPLIED, reply, now
    row.replied_by, row.reply_source = by, ReplySource.HUB
    session.flush()
    return tell_the_reply(session, row, by=by, at=now, now=now)


def tell_the_reply(
    session: Session, complaint: Any, *, by: str, at: dt.datetime, now: dt.datetime, source: str | None = None
) -> int:
    """The "complaint.reply" change that tells the complaint's center of its reply
    (``complaint``: its row, or a row of its id, number, center_code and reply; ``source``:
    absent for the hub's own reply). Returns the change's seq."""
    payload = {
        "complaint_id": complaint.id,
        "number": complaint.number,
        "reply": complaint.reply,
        "by": by,
        "at": at.isoformat(),
    }
    if source is not None:
        payload["source"] = source
    return append_change(
        session,
        kind=CHANGE_COMPLAINT_REPLY,
        entity="complaint",
        entity_id=complaint.id,
        center_code=complaint.center_code,
        payload=payload,
        now=now,
    )


def record_follow_up_outcome(session: Session, *, follow_up_id: str, outcome: str, by: str, now: dt.datetime) -> int:
    outcome, by = _text(outcome, N_("outcome")), _text(by, N_("name of the person recording it"))[:60]
    row = session.scalar(select(Rating).where(Rating.follow_up_id == follow_up_id).with_for_update())
    if row is None:
        raise NotFound(
            Text(N_("There is no follow-up {follow_up} on the hub (has its window synced?)."), follow_up=follow_up_id)
        )
    if row.follow_up_status is not FollowUpStatus.OPEN:
        raise Conflict(Text(N_("Follow-up {follow_up} is already closed."), follow_up=follow_up_id))
    row.follow_up_status, row.follow_up_outcome, row.follow_up_closed_at, row.follow_up_closed_by = (
        FollowUpStatus.CLOSED,
        outcome,
        now,
        by,
    )
    session.flush()
    return append_change(
        session,
        kind=CHANGE_FOLLOWUP_OUTCOME,
        entity="follow_up",
        entity_id=follow_up_id,
        center_code=row.center_code,
        payload={
            "follow_up_id": follow_up_id,
            "rating_id": row.id,
            "outcome": outcome,
            "by": by,
            "at": now.isoformat(),
        },
        now=now,
    )
