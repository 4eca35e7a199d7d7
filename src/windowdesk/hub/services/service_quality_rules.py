"""Push rules for service quality: ratings and their follow-ups, first inquiries,
complaints and their rectification tasks (the kinds services/service_quality.py and
services/complaints.py enqueue at the window).

They join push_rules.RULES (see the end of that module) and follow its contract: read
the event against the BatchView, refuse with a plain reason or return a Plan. The view's
``service_quality`` map (id -> :class:`QualityFacts`) is filled by :func:`load_into`, called from
push_view.load_view. Reasons name ids and numbers, never names or phone numbers.

This module only needs push_rules' helpers when a rule runs, so it imports it at the
end: push_rules imports this module at its own end, and either may be imported first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, literal, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from windowdesk.domain.complaints import ComplaintStatus, ReplySource
from windowdesk.domain.quality_states import FollowUpStatus, InquiryStatus
from windowdesk.domain.service_quality import WINDOW_CHANNELS, RatingChannel
from windowdesk.hub.language import Text
from windowdesk.hub.storage.database import storable_text
from windowdesk.hub.storage.models import PushedEvent, Workstation
from windowdesk.hub.storage.models_quality import Complaint, Inquiry, Rating, Rectification
from windowdesk.i18n import N_
from windowdesk.sync.protocol import EventEntity, EventKind, PushedEventStatus

if TYPE_CHECKING:
    from windowdesk.hub.services.push_rules import BatchView, IncomingEvent, PayloadReader, Plan, Pusher

RATING, FOLLOW_UP, INQUIRY, COMPLAINT, RECTIFICATION = (
    EventEntity.RATING,
    EventEntity.FOLLOW_UP,
    EventEntity.INQUIRY,
    EventEntity.COMPLAINT,
    EventEntity.RECTIFICATION,
)
_RECORD_WORDS: dict[str, str] = {
    RATING: N_("rating"),
    FOLLOW_UP: N_("follow-up"),
    INQUIRY: N_("inquiry"),
    COMPLAINT: N_("complaint"),
    RECTIFICATION: N_("rectification task"),
}
MAX_TEXT = 2000


@dataclass(frozen=True)
class QualityFacts:
    kind: str
    center_code: str
    # Whether the record still takes its closing step: a follow-up not closed, an inquiry
    # not answered, a complaint not replied to, a rectification not done (a rating never).
    is_open: bool


INSERT_RATING = insert(Rating.__table__)
INSERT_INQUIRY = insert(Inquiry.__table__)
INSERT_COMPLAINT = insert(Complaint.__table__)
INSERT_RECTIFICATION = insert(Rectification.__table__)
_r, _i, _c, _x = Rating.__table__.c, Inquiry.__table__.c, Complaint.__table__.c, Rectification.__table__.c
CLOSE_FOLLOW_UP = (
    update(Rating.__table__)
    .where(_r.follow_up_id == bindparam("fid"))
    .values(
        follow_up_status=FollowUpStatus.CLOSED,
        follow_up_outcome=bindparam("outcome"),
        follow_up_closed_at=bindparam("at"),
        follow_up_closed_by=bindparam("by"),
    )
)
ANSWER_INQUIRY = (
    update(Inquiry.__table__)
    .where(_i.id == bindparam("iid"))
    .values(status=InquiryStatus.ANSWERED, answered_at=bindparam("at"))
)
HAND_OVER_INQUIRY = update(Inquiry.__table__).where(_i.id == bindparam("iid")).values(owner_id=bindparam("owner"))
REPLY_COMPLAINT = (
    update(Complaint.__table__)
    .where(_c.id == bindparam("cid"))
    .values(
        status=ComplaintStatus.REPLIED,
        reply=bindparam("reply"),
        replied_at=bindparam("at"),
        replied_by=bindparam("by"),
        reply_source=ReplySource.WINDOW,
    )
)
RECTIFICATION_DONE = (
    update(Rectification.__table__).where(_x.id == bindparam("rid")).values(done=True, done_at=bindparam("at"))
)
# After push_rules' own statements, inserts before the updates that may follow them.
STATEMENTS: tuple[Executable, ...] = (
    INSERT_RATING,
    INSERT_INQUIRY,
    INSERT_COMPLAINT,
    INSERT_RECTIFICATION,
    CLOSE_FOLLOW_UP,
    ANSWER_INQUIRY,
    HAND_OVER_INQUIRY,
    REPLY_COMPLAINT,
    RECTIFICATION_DONE,
)
CREATING_KINDS: frozenset[str] = frozenset(
    {EventKind.RATING_GIVEN, EventKind.INQUIRY_LOGGED, EventKind.COMPLAINT_RECEIVED, EventKind.RECTIFICATION_SET}
)


def _optional_id(read: PayloadReader, name: str) -> str | None:
    value = read.payload.get(name)
    if value in (None, ""):
        return None
    if not base.is_uuid(value):
        raise base.Rejected(N_("The {kind} event's field {name!r} must be an id."), kind=read.event.kind, name=name)
    return value


def _day(read: PayloadReader, name: str, value: Any = None) -> dt.date:
    value = read.payload.get(name) if value is None else value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise base.Rejected(
            N_("The {kind} event's field {name!r} is not a date like 2026-12-01."),
            kind=read.event.kind,
            name=name,
        ) from None


def _known(view: BatchView, read: PayloadReader, record_id: str, kind: str, pusher: Pusher) -> QualityFacts:
    words = Text(_RECORD_WORDS[kind])
    facts: QualityFacts | None = view.service_quality.get(record_id)
    # Another center's record is answered as one that does not exist: a window learns
    # nothing about records outside its center.
    if facts is None or facts.kind != kind or facts.center_code != pusher.center_code:
        earlier = view.rejected.get(record_id)
        if earlier:
            raise base.Rejected(
                N_("The {kind} {record_id} is not on the hub: the event creating it was rejected ({earlier})"),
                kind=words,
                record_id=record_id,
                earlier=earlier,
            )
        raise base.Rejected(
            N_("The {kind} {record_id} is not on the hub: the event creating it never arrived."),
            kind=words,
            record_id=record_id,
        )
    return facts


def _set(record_id: str, facts: QualityFacts) -> Callable[[BatchView], None]:
    return lambda v: v.service_quality.__setitem__(record_id, facts)


def rating_given(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    rating_id = read.own_id(RATING)
    center = read.center(pusher)
    window = read.window(view, center)
    level = read.integer("level")
    if not 1 <= level <= 5:
        raise base.Rejected(N_("The rating.given event's level must be 1 to 5."))
    if rating_id in view.service_quality:
        raise base.Rejected(
            N_("Rating {rating_id} is already on the hub (sent by another event)."),
            rating_id=rating_id,
        )
    follow_up = read.payload.get("follow_up") or None
    if follow_up is not None and not (
        isinstance(follow_up, dict) and base.is_uuid(follow_up.get("id")) and base.is_uuid(follow_up.get("owner"))
    ):
        raise base.Rejected(N_('The rating.given event\'s follow_up must be {{"id", "owner", "deadline"}}.'))
    values: dict[str, Any] = dict(
        id=rating_id,
        center_code=center,
        window_id=window,
        operator_id=read.text("operator", 36),
        case_id=_optional_id(read, "case_id"),
        item_code=read.text("item", 16, required=False) or None,
        level=level,
        reason=read.text("reason", MAX_TEXT, required=False),
        channel=_window_channel(read),
        rated_at=read.timestamp("rated_at"),
        received_at=now,
        follow_up_id=None,
        follow_up_owner=None,
        follow_up_deadline=None,
        follow_up_status=None,
        follow_up_outcome="",
        follow_up_closed_at=None,
        follow_up_closed_by="",
    )
    if follow_up is not None:
        values.update(
            follow_up_id=follow_up["id"][:36],
            follow_up_owner=follow_up["owner"][:36],
            follow_up_deadline=_day(read, "follow_up.deadline", follow_up.get("deadline")),
            follow_up_status=FollowUpStatus.OPEN,
        )

    def remember(v: BatchView) -> None:
        v.service_quality[rating_id] = QualityFacts(RATING, center, is_open=False)
        if follow_up is not None:
            v.service_quality[follow_up["id"]] = QualityFacts(FOLLOW_UP, center, is_open=True)

    return base.Plan([(INSERT_RATING, values)], remember)


def followup_closed(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    follow_up_id = read.own_id(FOLLOW_UP)
    read.center(pusher)
    facts = _known(view, read, follow_up_id, FOLLOW_UP, pusher)
    if not facts.is_open:
        raise base.Rejected(
            N_("Follow-up {follow_up_id} was already closed at the hub; its outcome there stands."),
            follow_up_id=follow_up_id,
        )
    values = dict(
        fid=follow_up_id,
        outcome=read.text("outcome", MAX_TEXT),
        at=read.timestamp("closed_at"),
        by=read.text("closed_by", 36, required=False),
    )
    return base.Plan([(CLOSE_FOLLOW_UP, values)], _set(follow_up_id, replace(facts, is_open=False)))


def inquiry_logged(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    inquiry_id = read.own_id(INQUIRY)
    center = read.center(pusher)
    window = read.window(view, center)
    if inquiry_id in view.service_quality:
        raise base.Rejected(
            N_("Inquiry {inquiry_id} is already on the hub (sent by another event)."),
            inquiry_id=inquiry_id,
        )
    read.text("question", MAX_TEXT)
    values = dict(
        id=inquiry_id,
        center_code=center,
        window_id=window,
        first_operator_id=read.text("operator", 36),
        owner_id=read.text("owner", 36),
        item_code=read.text("item", 16, required=False) or None,
        status=InquiryStatus.OPEN,
        asked_at=read.timestamp("asked_at"),
        answered_at=None,
        received_at=now,
    )
    return base.Plan([(INSERT_INQUIRY, values)], _set(inquiry_id, QualityFacts(INQUIRY, center, is_open=True)))


def inquiry_answered(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    inquiry_id = read.own_id(INQUIRY)
    read.center(pusher)
    facts = _known(view, read, inquiry_id, INQUIRY, pusher)
    if not facts.is_open:
        raise base.Rejected(N_("Inquiry {inquiry_id} is already answered."), inquiry_id=inquiry_id)
    read.text("answer", MAX_TEXT)
    values = dict(iid=inquiry_id, at=read.timestamp("answered_at"))
    return base.Plan([(ANSWER_INQUIRY, values)], _set(inquiry_id, replace(facts, is_open=False)))


def inquiry_handed_over(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    inquiry_id = read.own_id(INQUIRY)
    read.center(pusher)
    facts = _known(view, read, inquiry_id, INQUIRY, pusher)
    if not facts.is_open:
        raise base.Rejected(
            N_("Inquiry {inquiry_id} is already answered and cannot be handed over."),
            inquiry_id=inquiry_id,
        )
    read.text("from", 36)
    read.text("note", MAX_TEXT)
    read.timestamp("at")
    return base.Plan([(HAND_OVER_INQUIRY, dict(iid=inquiry_id, owner=read.text("to", 36)))], base._nothing)


def _window_channel(read: PayloadReader) -> RatingChannel:
    """The screen a window's rating was given on; none named is kept as "" (the column's
    default, as before). Another word, "web" included (the public pages' ratings are the
    hub's own), is refused with the channels a window has: ratings.channel holds only
    RatingChannel's words, and reports count the web's apart."""
    channel = read.text("channel", 20, required=False)
    if channel and channel not in WINDOW_CHANNELS:
        raise base.Rejected(
            N_("The rating.given event's channel {channel!r} is not one of: {channels}."),
            channel=channel,
            channels=", ".join(WINDOW_CHANNELS),
        )
    return RatingChannel(channel)


def complaint_received(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    complaint_id = read.own_id(COMPLAINT)
    center = read.center(pusher)
    window = read.window(view, center)
    if complaint_id in view.service_quality:
        raise base.Rejected(
            N_("Complaint {complaint_id} is already on the hub (sent by another event)."),
            complaint_id=complaint_id,
        )
    about = read.payload.get("about") or {}
    if not isinstance(about, dict) or not all(
        value is None or (isinstance(value, str) and len(value) <= 36) for value in about.values()
    ):
        raise base.Rejected(N_("The complaint.received event's about must be an object of ids and codes."))
    values = dict(
        id=complaint_id,
        number=read.text("number", 40),
        center_code=center,
        window_id=window,
        operator_id=read.text("operator", 36, required=False) or read.text("owner", 36),
        about_window_id=(about.get("window") or None) and about["window"][:12],
        about_operator_id=about.get("operator") or None,
        about_department_code=(about.get("department") or None) and about["department"][:8],
        about_item_code=(about.get("item") or None) and about["item"][:16],
        case_id=about.get("case_id") or None,
        facts=read.text("facts", MAX_TEXT),
        owner_id=read.text("owner", 36),
        deadline=_day(read, "deadline"),
        status=ComplaintStatus.OPEN,
        reply="",
        replied_at=None,
        replied_by="",
        reply_source=ReplySource.NONE,
        received_at=read.timestamp("received_at"),
        stored_at=now,
    )
    return base.Plan([(INSERT_COMPLAINT, values)], _set(complaint_id, QualityFacts(COMPLAINT, center, is_open=True)))


def complaint_replied(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    complaint_id = read.own_id(COMPLAINT)
    read.center(pusher)
    facts = _known(view, read, complaint_id, COMPLAINT, pusher)
    if not facts.is_open:
        raise base.Rejected(
            N_("Complaint {complaint_id} already has its reply (given at the hub); it stands."),
            complaint_id=complaint_id,
        )
    values = dict(
        cid=complaint_id,
        reply=read.text("reply", MAX_TEXT),
        at=read.timestamp("replied_at"),
        by=read.text("operator", 36, required=False),
    )
    return base.Plan([(REPLY_COMPLAINT, values)], _set(complaint_id, replace(facts, is_open=False)))


def rectification_set(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    rectification_id = read.own_id(RECTIFICATION)
    center = read.center(pusher)
    complaint_id = read.text("complaint_id", 36)
    _known(view, read, complaint_id, COMPLAINT, pusher)
    if rectification_id in view.service_quality:
        raise base.Rejected(
            N_("Rectification task {rectification_id} is already on the hub."),
            rectification_id=rectification_id,
        )
    values = dict(
        id=rectification_id,
        complaint_id=complaint_id,
        center_code=center,
        task=read.text("task", MAX_TEXT),
        unit=read.text("unit", 100),
        responsible=read.text("responsible", 60),
        deadline=_day(read, "deadline"),
        done=False,
        done_at=None,
    )
    return base.Plan(
        [(INSERT_RECTIFICATION, values)], _set(rectification_id, QualityFacts(RECTIFICATION, center, is_open=True))
    )


def rectification_done(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = base.PayloadReader(event)
    rectification_id = read.own_id(RECTIFICATION)
    read.center(pusher)
    facts = _known(view, read, rectification_id, RECTIFICATION, pusher)
    if not facts.is_open:
        raise base.Rejected(
            N_("Rectification task {rectification_id} is already done."),
            rectification_id=rectification_id,
        )
    return base.Plan(
        [(RECTIFICATION_DONE, dict(rid=rectification_id, at=read.timestamp("done_at")))],
        _set(rectification_id, replace(facts, is_open=False)),
    )


RULES: dict[str, base.Rule] = {
    EventKind.RATING_GIVEN: rating_given,
    EventKind.FOLLOWUP_CLOSED: followup_closed,
    EventKind.INQUIRY_LOGGED: inquiry_logged,
    EventKind.INQUIRY_ANSWERED: inquiry_answered,
    EventKind.INQUIRY_HANDED_OVER: inquiry_handed_over,
    EventKind.COMPLAINT_RECEIVED: complaint_received,
    EventKind.COMPLAINT_REPLIED: complaint_replied,
    EventKind.RECTIFICATION_SET: rectification_set,
    EventKind.RECTIFICATION_DONE: rectification_done,
}


def load_into(session: Session, events: Sequence[IncomingEvent], view: BatchView, center_code: str) -> None:
    """What the hub knows of the service-quality records this batch mentions (by id)."""
    mentioned: set[str] = set()
    for event in events:
        if event.kind in RULES:
            mentioned.add(event.entity_id)
            for name in ("complaint_id", "rating_id"):
                if isinstance(event.payload.get(name), str):
                    mentioned.add(event.payload[name])
            follow_up = event.payload.get("follow_up")
            if isinstance(follow_up, dict) and isinstance(follow_up.get("id"), str):
                mentioned.add(follow_up["id"])
    ids = sorted(value for value in mentioned if storable_text(value))  # others name no record
    if not ids:
        return
    for rating_id, center, follow_up_id, follow_up_status in session.execute(
        select(Rating.id, Rating.center_code, Rating.follow_up_id, Rating.follow_up_status).where(
            Rating.id.in_(ids) | Rating.follow_up_id.in_(ids)
        )
    ):
        view.service_quality[rating_id] = QualityFacts(RATING, center, is_open=False)
        if follow_up_id:
            view.service_quality[follow_up_id] = QualityFacts(
                FOLLOW_UP, center, is_open=follow_up_status != FollowUpStatus.CLOSED
            )
    for model, kind, open_status in (
        (Inquiry, INQUIRY, InquiryStatus.OPEN),
        (Complaint, COMPLAINT, ComplaintStatus.OPEN),
    ):
        for record_id, center, status in session.execute(
            select(model.id, model.center_code, model.status).where(model.id.in_(ids))
        ):
            view.service_quality[record_id] = QualityFacts(kind, center, is_open=status == open_status)
    for record_id, center, done in session.execute(
        select(Rectification.id, Rectification.center_code, Rectification.done).where(Rectification.id.in_(ids))
    ):
        view.service_quality[record_id] = QualityFacts(RECTIFICATION, center, is_open=not done)
    rejected = session.execute(
        select(PushedEvent.entity_id, PushedEvent.reason).where(
            # Spelled out, not bound: only then may SQLite use the partial index.
            PushedEvent.status == literal(PushedEventStatus.REJECTED.value, literal_execute=True),
            PushedEvent.kind.in_(CREATING_KINDS),
            PushedEvent.entity_id.in_(ids),
            # Only this center's windows' reasons: another center's would name its records.
            PushedEvent.workstation_id.in_(select(Workstation.id).where(Workstation.center_code == center_code)),
        )
    )
    for entity_id, reason in rejected:
        view.rejected.setdefault(entity_id, reason)


from windowdesk.hub.services import push_rules as base  # noqa: E402 - see the module's docstring
