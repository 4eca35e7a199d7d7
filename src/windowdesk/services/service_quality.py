"""Service quality at the window: satisfaction ratings (好差评) with the follow-up of a
bad one, and the first-inquiry register (首问登记).

Each call is one write transaction: the record, its audit entry (ids and numbers only,
no names or phone numbers) and its outbox event commit together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.permissions import Permission, Role, is_allowed
from windowdesk.domain.quality_states import FollowUpSource, FollowUpStatus, InquiryStatus
from windowdesk.domain.service_quality import (
    FOLLOW_UP_WORKING_DAYS,
    WINDOW_CHANNELS,
    RatingChannel,
    RatingLevel,
    level_label,
    needs_follow_up,
)
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import PermissionDenied, authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.working_days import calendar_in_force
from windowdesk.storage import models as m
from windowdesk.storage import queries_quality as q
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models_quality import FollowUp, Inquiry, InquiryHandover, Rating
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

CHANNELS = WINDOW_CHANNELS
MAX_TEXT = 2000


@dataclass(frozen=True)
class RatingResult:
    rating_id: str
    level: int
    follow_up_id: str | None = None
    owner_name: str = ""
    deadline: dt.date | None = None


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class FollowUpView:
    id: str
    rating_id: str
    level: int
    level_words: str
    reason: str
    rated_at: dt.datetime
    case_number: str
    window_id: str
    operator_name: str
    owner_id: str
    owner_name: str
    deadline: dt.date
    status: FollowUpStatus
    outcome: str
    overdue: bool


@dataclass(frozen=True)
class InquiryView:
    id: str
    asked_at: dt.datetime
    question: str
    inquirer_name: str
    inquirer_phone: str
    item_code: str
    first_operator_name: str
    owner_id: str
    owner_name: str
    status: InquiryStatus
    answer: str
    handovers: tuple[tuple[dt.datetime, str, str, str], ...]  # at, from name, to name, note


def checked_text(value: str, field: str, *, required: bool = True, message: str = "") -> str:
    """Text typed into a form, stripped; refused in words if required and empty, or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(message or _("Please fill in this field."), field=field)
    if len(value) > MAX_TEXT:
        raise ValidationError(_("This text is too long (at most {n} characters).").format(n=MAX_TEXT), field=field)
    return value


def staff_of_center(db: Database, ctx: CounterContext) -> list[StaffMember]:
    """Active operators of this center, for choosing an owner or a hand-over."""
    with db.read() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        return [StaffMember(o.id, o.display_name, o.role) for o in q.active_staff(session, ctx.center_code)]


def _supervisor(session: Session, ctx: CounterContext, owner_id: str | None) -> m.Operator:
    """The follow-up's owner: the one chosen, else the center's supervisor."""
    if owner_id:
        owner = session.get(m.Operator, owner_id)
        if owner is None or not owner.active or owner.center_code != ctx.center_code:
            raise ValidationError(_("Please choose an active staff member of this center."), field="owner")
        if not is_allowed(owner.role, Permission.HANDLE_SERVICE_QUALITY):
            raise ValidationError(_("The owner of a follow-up must be a supervisor."), field="owner")
        return owner
    candidates = q.active_staff(session, ctx.center_code, (Role.SUPERVISOR.value, Role.ADMINISTRATOR.value))
    if not candidates:
        raise ValidationError(
            _("This center has no supervisor account to own the follow-up. Ask the administrator to add one."),
            field="owner",
        )
    # A supervisor before an administrator.
    return sorted(candidates, key=lambda o: (o.role != Role.SUPERVISOR.value, o.display_name))[0]


def rate_service(
    db: Database,
    ctx: CounterContext,
    *,
    level: int,
    shipped_calendar: WorkingCalendar,
    reason: str = "",
    case_id: str | None = None,
    channel: str = "operator_screen",
    owner_id: str | None = None,
) -> RatingResult:
    """好差评: the applicant's rating; dissatisfied or worse opens a follow-up owned by a
    supervisor, due after FOLLOW_UP_WORKING_DAYS working days."""
    try:
        level = RatingLevel(int(level))
    except (TypeError, ValueError):
        raise ValidationError(_("Please choose one of the five levels."), field="level") from None
    if channel not in CHANNELS:
        raise ValidationError(_("Unknown rating channel."), field="channel")
    reason = checked_text(reason, "reason", required=False)
    with db.write() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        item_code = None
        if case_id:
            case = session.get(m.Case, case_id)
            if case is None or case.center_code != ctx.center_code:
                raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
            item_code = case.item_code
        now = ctx.now()
        rating = Rating(
            id=new_uuid(),
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            operator_id=ctx.operator_id,
            case_id=case_id or None,
            item_code=item_code,
            level=int(level),
            reason=reason,
            channel=RatingChannel(channel),
            rated_at=now,
        )
        session.add(rating)
        session.flush()
        follow_up: FollowUp | None = None
        follow_up_event: dict[str, object] | None = None  # the follow-up as the hub learns of it
        owner_name = ""
        if needs_follow_up(level):
            owner = _supervisor(session, ctx, owner_id)
            owner_name = owner.display_name
            calendar = calendar_in_force(session, shipped_calendar)
            follow_up = FollowUp(
                id=new_uuid(),
                rating_id=rating.id,
                center_code=ctx.center_code,
                owner_id=owner.id,
                deadline=calendar.add_working_days(now.astimezone(ctx.zone).date(), FOLLOW_UP_WORKING_DAYS),
                status=FollowUpStatus.OPEN,
                outcome="",
                created_at=now,
                closed_at=None,
                closed_by="",
                source=FollowUpSource.WINDOW,
            )
            session.add(follow_up)
            session.flush()
            follow_up_event = {
                "id": follow_up.id,
                "owner": owner.id,
                "owner_name": owner.display_name,
                "deadline": follow_up.deadline.isoformat(),
            }
        record_action(
            session,
            ctx,
            action="rating.give",
            entity="rating",
            entity_id=rating.id,
            detail={"level": int(level), "follow_up": follow_up.id if follow_up else None},
        )
        enqueue(
            session,
            entity=EventEntity.RATING,
            entity_id=rating.id,
            kind=EventKind.RATING_GIVEN,
            now=now,
            payload={
                "id": rating.id,
                "center": ctx.center_code,
                "window": ctx.window_id,
                "operator": ctx.operator_id,
                "case_id": rating.case_id,
                "item": item_code,
                "level": int(level),
                "reason": reason,
                "channel": channel,
                "rated_at": now.isoformat(),
                "follow_up": follow_up_event,
            },
        )
        if follow_up is None:
            return RatingResult(rating.id, int(level))
        return RatingResult(rating.id, int(level), follow_up.id, owner_name, follow_up.deadline)


def list_follow_ups(db: Database, ctx: CounterContext, *, open_only: bool = True) -> list[FollowUpView]:
    """The center's follow-ups of bad ratings, the earliest deadline first."""
    with db.read() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        names = q.operator_names(session)
        today = ctx.local_today()
        found = []
        for row in q.follow_ups(session, ctx.center_code, open_only=open_only):
            rating = row.rating
            case = session.get(m.Case, rating.case_id) if rating.case_id else None
            found.append(
                FollowUpView(
                    row.id,
                    rating.id,
                    rating.level,
                    level_label(rating.level),
                    rating.reason,
                    rating.rated_at,
                    case.case_number if case else "",
                    rating.window_id,
                    names.get(rating.operator_id, ""),
                    row.owner_id,
                    names.get(row.owner_id, ""),
                    row.deadline,
                    row.status,
                    row.outcome,
                    row.status is FollowUpStatus.OPEN and row.deadline < today,
                )
            )
        return found


def record_follow_up_outcome(db: Database, ctx: CounterContext, *, follow_up_id: str, outcome: str) -> None:
    """What was done about a bad rating; closes the follow-up (a supervisor's word)."""
    outcome = checked_text(outcome, "outcome", message=_("Please write what was done about this rating."))
    with db.write() as session:
        authorize(session, ctx, Permission.HANDLE_SERVICE_QUALITY)
        row = session.get(FollowUp, follow_up_id)
        if row is None or row.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This follow-up is not on this workstation."))
        if row.status is not FollowUpStatus.OPEN:
            raise ValidationError(_("This follow-up is already closed."), field="outcome")
        now = ctx.now()
        row.status, row.outcome, row.closed_at, row.closed_by, row.source = (
            FollowUpStatus.CLOSED,
            outcome,
            now,
            ctx.operator_name,
            FollowUpSource.WINDOW,
        )
        record_action(
            session,
            ctx,
            action="followup.close",
            entity="follow_up",
            entity_id=row.id,
            detail={"rating": row.rating_id},
        )
        enqueue(
            session,
            entity=EventEntity.FOLLOW_UP,
            entity_id=row.id,
            kind=EventKind.FOLLOWUP_CLOSED,
            now=now,
            payload={
                "id": row.id,
                "rating_id": row.rating_id,
                "center": ctx.center_code,
                "outcome": outcome,
                "closed_at": now.isoformat(),
                "closed_by": ctx.operator_id,
            },
        )


# --- 首问登记 -------------------------------------------------------------------------


def log_inquiry(
    db: Database,
    ctx: CounterContext,
    *,
    question: str,
    inquirer_name: str = "",
    inquirer_phone: str = "",
    item_code: str | None = None,
) -> str:
    """The first staff member asked records the inquiry and owns it from now on."""
    question = checked_text(question, "question", message=_("Please write what the person asked."))
    inquirer_name = checked_text(inquirer_name, "inquirer_name", required=False)[:60]
    inquirer_phone = checked_text(inquirer_phone, "inquirer_phone", required=False)[:30]
    with db.write() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        if item_code and session.get(m.CatalogItem, item_code) is None:
            raise ValidationError(_("Please choose an item from the catalog."), field="item")
        now = ctx.now()
        inquiry = Inquiry(
            id=new_uuid(),
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            first_operator_id=ctx.operator_id,
            owner_id=ctx.operator_id,
            asked_at=now,
            inquirer_name=inquirer_name,
            inquirer_phone=inquirer_phone,
            item_code=item_code or None,
            question=question,
            status=InquiryStatus.OPEN,
            answer="",
            answered_at=None,
            answered_by=None,
        )
        session.add(inquiry)
        session.flush()
        record_action(
            session, ctx, action="inquiry.log", entity="inquiry", entity_id=inquiry.id, detail={"item": item_code}
        )
        enqueue(
            session,
            entity=EventEntity.INQUIRY,
            entity_id=inquiry.id,
            kind=EventKind.INQUIRY_LOGGED,
            now=now,
            payload={
                "id": inquiry.id,
                "center": ctx.center_code,
                "window": ctx.window_id,
                "operator": ctx.operator_id,
                "owner": ctx.operator_id,
                "question": question,
                "inquirer_name": inquirer_name,
                "inquirer_phone": inquirer_phone,
                "item": item_code,
                "asked_at": now.isoformat(),
            },
        )
        return inquiry.id


def _owned_inquiry(session: Session, ctx: CounterContext, inquiry_id: str) -> Inquiry:
    operator = authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
    inquiry = session.get(Inquiry, inquiry_id)
    if inquiry is None or inquiry.center_code != ctx.center_code:
        raise NotFoundError(_("Not found"), _("This inquiry is not on this workstation."))
    if inquiry.status is not InquiryStatus.OPEN:
        raise ValidationError(_("This inquiry is already answered."))
    if inquiry.owner_id != ctx.operator_id and not is_allowed(operator.role, Permission.HANDLE_SERVICE_QUALITY):
        raise PermissionDenied(
            _("Not allowed"),
            _("This inquiry belongs to another staff member; they answer it or hand it over."),
        )
    return inquiry


def answer_inquiry(db: Database, ctx: CounterContext, *, inquiry_id: str, answer: str) -> None:
    answer = checked_text(answer, "answer", message=_("Please write the answer given."))
    with db.write() as session:
        inquiry = _owned_inquiry(session, ctx, inquiry_id)
        now = ctx.now()
        inquiry.status, inquiry.answer, inquiry.answered_at, inquiry.answered_by = (
            InquiryStatus.ANSWERED,
            answer,
            now,
            ctx.operator_id,
        )
        record_action(session, ctx, action="inquiry.answer", entity="inquiry", entity_id=inquiry.id)
        enqueue(
            session,
            entity=EventEntity.INQUIRY,
            entity_id=inquiry.id,
            kind=EventKind.INQUIRY_ANSWERED,
            now=now,
            payload={
                "id": inquiry.id,
                "center": ctx.center_code,
                "answer": answer,
                "answered_at": now.isoformat(),
                "operator": ctx.operator_id,
            },
        )


def hand_over_inquiry(db: Database, ctx: CounterContext, *, inquiry_id: str, to_operator_id: str, note: str) -> None:
    """Formally hand the inquiry to a colleague, who owns it from now on."""
    note = checked_text(note, "note", message=_("Please write a note for the colleague taking it over."))
    with db.write() as session:
        inquiry = _owned_inquiry(session, ctx, inquiry_id)
        target = session.get(m.Operator, to_operator_id)
        if target is None or not target.active or target.center_code != ctx.center_code:
            raise ValidationError(_("Please choose an active staff member of this center."), field="to")
        if target.id == inquiry.owner_id:
            raise ValidationError(_("This staff member already owns the inquiry."), field="to")
        now = ctx.now()
        handover = InquiryHandover(
            id=new_uuid(),
            inquiry_id=inquiry.id,
            at=now,
            from_operator_id=inquiry.owner_id,
            to_operator_id=target.id,
            note=note,
        )
        session.add(handover)
        previous, inquiry.owner_id = inquiry.owner_id, target.id
        record_action(
            session, ctx, action="inquiry.hand_over", entity="inquiry", entity_id=inquiry.id, detail={"to": target.id}
        )
        enqueue(
            session,
            entity=EventEntity.INQUIRY,
            entity_id=inquiry.id,
            kind=EventKind.INQUIRY_HANDED_OVER,
            now=now,
            payload={
                "id": inquiry.id,
                "center": ctx.center_code,
                "from": previous,
                "to": target.id,
                "note": note,
                "at": now.isoformat(),
                "handover_id": handover.id,
            },
        )


def list_inquiries(
    db: Database, ctx: CounterContext, *, open_only: bool = True, mine_only: bool = False
) -> list[InquiryView]:
    with db.read() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        names = q.operator_names(session)
        rows = q.inquiries(
            session, ctx.center_code, open_only=open_only, owner_id=ctx.operator_id if mine_only else None
        )
        return [
            InquiryView(
                row.id,
                row.asked_at,
                row.question,
                row.inquirer_name,
                row.inquirer_phone,
                row.item_code or "",
                names.get(row.first_operator_id, ""),
                row.owner_id,
                names.get(row.owner_id, ""),
                row.status,
                row.answer,
                tuple(
                    (h.at, names.get(h.from_operator_id, ""), names.get(h.to_operator_id, ""), h.note)
                    for h in row.handovers
                ),
            )
            for row in rows
        ]
