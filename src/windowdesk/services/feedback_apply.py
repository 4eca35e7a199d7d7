"""Hub-side replies to the citizen's voice, applied from the change feed: a complaint's
reply and a follow-up's outcome recorded at the hub (the city e-government office).

Idempotent like every change handler (services/sync_apply.py): the same change applied
twice leaves the same result. A reply already given at the window is kept, not
overwritten: the window's word reached the complainant first.
"""

from __future__ import annotations

import datetime as dt

from windowdesk.storage.db import Session
from windowdesk.storage.models_service import Complaint, FollowUp
from windowdesk.sync import protocol


def _at(payload: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(payload["at"]).astimezone(dt.UTC)


def _complaint_reply(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    complaint = session.get(Complaint, payload["complaint_id"])
    if complaint is None:
        return None  # received at another window of this center: not kept here
    if complaint.status == "replied" and complaint.reply_source != "hub":
        return None
    complaint.status = "replied"
    complaint.reply = str(payload["reply"])
    complaint.replied_at = _at(payload)
    complaint.replied_by = str(payload.get("by") or "")[:60]
    complaint.reply_source = "hub"
    return change.kind


def _followup_outcome(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    row = session.get(FollowUp, payload["follow_up_id"])
    if row is None:
        return None
    if row.status == "closed" and row.source != "hub":
        return None
    row.status = "closed"
    row.outcome = str(payload["outcome"])
    row.closed_at = _at(payload)
    row.closed_by = str(payload.get("by") or "")[:60]
    row.source = "hub"
    return change.kind


FEEDBACK_HANDLERS = {
    protocol.CHANGE_COMPLAINT_REPLY: _complaint_reply,
    protocol.CHANGE_FOLLOWUP_OUTCOME: _followup_outcome,
}
