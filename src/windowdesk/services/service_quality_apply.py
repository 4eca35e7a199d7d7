"""Hub-side replies in service quality, applied from the change feed: a complaint's
reply and a follow-up's outcome recorded at the hub (the city e-government office), a
rating a resident gave on the hub's public pages (kept by the window that accepted
the case, counted in its reports with the window's own, and followed up here when bad),
and a complaint a resident filed there (kept by every window of its center, answered
at any of them or at the hub).

Idempotent like every change handler (services/sync_apply.py): the same change applied
twice leaves the same result. A reply already given at the window is kept, not
overwritten: the window's word reached the complainant first. A web complaint's reply
given at another window of the center comes the same way ("complaint.reply", source
"window").
"""

from __future__ import annotations

import datetime as dt
import logging

from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.permissions import Role
from windowdesk.domain.quality_states import FollowUpSource, FollowUpStatus
from windowdesk.domain.service_quality import WEB_CHANNEL
from windowdesk.storage import models as m
from windowdesk.storage import queries_quality as q
from windowdesk.storage.db import Session
from windowdesk.storage.models_quality import Complaint, FollowUp, Rating
from windowdesk.sync import protocol

log = logging.getLogger("windowdesk.sync")


def _at(payload: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(payload["at"]).astimezone(dt.UTC)


def _complaint_reply(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    complaint = session.get(Complaint, payload["complaint_id"])
    if complaint is None:
        return None  # received at another window of this center: not kept here
    if complaint.status is ComplaintStatus.REPLIED and complaint.reply_source is not ReplySource.HUB:
        return None
    complaint.status = ComplaintStatus.REPLIED
    complaint.reply = str(payload["reply"])
    complaint.replied_at = _at(payload)
    complaint.replied_by = str(payload.get("by") or "")[:60]
    # Given at the console, or at another window of this center (a web complaint, which
    # every window keeps): kept as that window's, so the hub's word does not replace it.
    complaint.reply_source = ReplySource.WINDOW if payload.get("source") == "window" else ReplySource.HUB
    return change.kind


def _followup_outcome(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    row = session.get(FollowUp, payload["follow_up_id"])
    if row is None:
        return None
    if row.status is FollowUpStatus.CLOSED and row.source is not FollowUpSource.HUB:
        return None
    row.status = FollowUpStatus.CLOSED
    row.outcome = str(payload["outcome"])
    row.closed_at = _at(payload)
    row.closed_by = str(payload.get("by") or "")[:60]
    row.source = FollowUpSource.HUB
    return change.kind


def _owner_here(session: Session, owner_id: object, case: m.Case) -> str:
    """The supervisor the hub named; one whose account has not reached this window yet is
    stood in for by a supervisor of the center known here, else by the case's operator."""
    if isinstance(owner_id, str) and session.get(m.Operator, owner_id) is not None:
        return owner_id
    supervisors = q.active_staff(session, case.center_code, (Role.SUPERVISOR.value, Role.ADMINISTRATOR.value))
    return supervisors[0].id if supervisors else case.operator_id


def _web_rating(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    if session.get(Rating, payload["id"]) is not None:
        return None  # applied already
    case = session.get(m.Case, payload["case_id"])
    if case is None:
        return None  # accepted at another window: rated there
    rated_at = dt.datetime.fromisoformat(payload["rated_at"]).astimezone(dt.UTC)
    session.add(
        Rating(
            id=payload["id"],
            center_code=case.center_code,
            window_id=case.window_id,
            operator_id=case.operator_id,
            case_id=case.id,
            item_code=case.item_code,
            level=int(payload["level"]),
            reason=str(payload.get("comment") or ""),
            channel=WEB_CHANNEL,
            rated_at=rated_at,
        )
    )
    session.flush()
    follow_up = payload.get("follow_up")
    if isinstance(follow_up, dict):
        session.add(
            FollowUp(
                id=follow_up["id"],
                rating_id=payload["id"],
                center_code=case.center_code,
                owner_id=_owner_here(session, follow_up.get("owner"), case),
                status=FollowUpStatus.OPEN,
                outcome="",
                deadline=dt.date.fromisoformat(follow_up["deadline"]),
                created_at=rated_at,
                closed_at=None,
                closed_by="",
                source=FollowUpSource.WINDOW,
            )
        )
    return change.kind


def _web_complaint(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    if session.get(Complaint, payload["id"]) is not None:
        return None  # applied already
    kind = _complaint_kind(change)
    if kind is None:
        return None
    about = payload.get("about") or {}
    case_id = about.get("case_id")
    if case_id and session.get(m.Case, case_id) is None:
        case_id = None  # accepted at another window: the facts name its number
    operator_id = about.get("operator")
    if operator_id and session.get(m.Operator, operator_id) is None:
        operator_id = None
    item_code = about.get("item")
    if item_code and session.get(m.CatalogItem, item_code) is None:
        item_code = None
    owner_id = payload.get("owner")
    if not (isinstance(owner_id, str) and session.get(m.Operator, owner_id) is not None):
        supervisors = q.active_staff(session, payload["center"], (Role.SUPERVISOR.value, Role.ADMINISTRATOR.value))
        if not supervisors:
            return None  # nobody here may own it yet; the hub's console answers it
        owner_id = supervisors[0].id
    session.add(
        Complaint(
            id=payload["id"],
            number=str(payload["number"])[:40],
            center_code=payload["center"],
            window_id=None,
            received_by=None,
            source=ComplaintSource.WEB,
            kind=kind,
            received_at=dt.datetime.fromisoformat(payload["received_at"]).astimezone(dt.UTC),
            complainant_name="",
            complainant_phone=str(payload.get("phone") or "")[:30],
            about_window_id=about.get("window") or None,
            about_operator_id=operator_id,
            about_department_code=None,
            about_item_code=item_code,
            case_id=case_id,
            facts=str(payload["facts"]),
            owner_id=owner_id,
            deadline=dt.date.fromisoformat(payload["deadline"]),
            status=ComplaintStatus.OPEN,
            reply="",
            replied_at=None,
            replied_by="",
            reply_source=ReplySource.NONE,
        )
    )
    return change.kind


def _complaint_kind(change: protocol.Change) -> ComplaintKind | None:
    """A web complaint's kind (none: a complaint, as from a hub before kinds); None when it
    is a word this window does not know (a newer hub's): complaints.kind holds only
    ComplaintKind's words, and the window cannot list or count a kind it has no words for.
    The change is skipped and logged, the feed goes on (stopping the pull for it would hold
    back every later change of the center); the hub keeps the complaint and its console
    answers it."""
    try:
        return ComplaintKind(change.payload.get("kind") or ComplaintKind.COMPLAINT)
    except ValueError:
        log.warning("%s seq %s skipped: its kind is not one this window knows", change.kind, change.seq)
        return None


SERVICE_QUALITY_HANDLERS = {
    protocol.CHANGE_WEB_COMPLAINT: _web_complaint,
    protocol.CHANGE_WEB_RATING: _web_rating,
    protocol.CHANGE_COMPLAINT_REPLY: _complaint_reply,
    protocol.CHANGE_FOLLOWUP_OUTCOME: _followup_outcome,
}
