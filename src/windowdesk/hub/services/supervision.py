"""The supervision office's watch over service quality: complaints and bad ratings with
their follow-up deadlines (回访, set at the window by service_quality_rules), the rectification
tasks and their state; replies to complaints and follow-up outcomes given at the hub; and
the changes the hub refused, which an administrator may answer.

Replies and outcomes go through :mod:`replies` (what ``windowdesk-hub complaint-reply`` and
``followup-outcome`` run), so the windows learn them by the existing sync; here come the
console's rights and the hub's audit entry, in the same transaction (``feed=True``).
Lists are paged in SQL over the indexes of migration 0014_h26ops.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, case, func, literal, select
from sqlalchemy.orm import Session

from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.ids import mask_id_numbers_in
from windowdesk.domain.quality_states import FollowUpStatus
from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit, replies
from windowdesk.hub.services.console_rights import ConsoleActor, require_administrator, require_supervision
from windowdesk.hub.services.refused_changes import RefusedList, refused_changes
from windowdesk.hub.services.time_cards import center_clocks, today_and_warning_day
from windowdesk.hub.storage.models import PushedEvent
from windowdesk.hub.storage.models_console import HubAuditEntry
from windowdesk.hub.storage.models_quality import Complaint, Rating, Rectification
from windowdesk.i18n import N_
from windowdesk.sync.protocol import REJECTED, EventKind

PAGE_SIZE = 50
# Spelled into the SQL, not bound: only then does SQLite use ix_ratings_open_follow_ups.
OPEN_FOLLOW_UP = literal(FollowUpStatus.OPEN.value, literal_execute=True)
MAX_ANSWER = hub_audit.MAX_DETAIL_TEXT  # kept whole in the audit entry
REFUSED_ANSWERED = "refused_change.answered"


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class QualitySummary:
    open_complaints: int
    overdue_complaints: int
    open_follow_ups: int
    overdue_follow_ups: int
    open_rectifications: int
    overdue_rectifications: int
    today: dt.date


@dataclass(frozen=True)
class ComplaintRow:
    id: str
    number: str
    center: str
    window_id: str | None  # None: filed on the public pages (source "web")
    about: str  # the window, department or item it is about, as codes
    facts: str  # ID numbers masked
    received_at: dt.datetime  # on the center's clock
    deadline: dt.date
    overdue: bool
    status: ComplaintStatus
    reply: str
    replied_by: str
    reply_source: ReplySource
    source: ComplaintSource = ComplaintSource.WINDOW
    kind: ComplaintKind = ComplaintKind.COMPLAINT

    @property
    def is_open(self) -> bool:
        """Not replied yet: the console offers the reply's form."""
        return self.status is ComplaintStatus.OPEN


@dataclass(frozen=True)
class FollowUpRow:
    follow_up_id: str
    rating_id: str
    center: str
    window_id: str
    level: int
    reason: str
    rated_at: dt.datetime
    deadline: dt.date | None
    overdue: bool
    status: FollowUpStatus | None
    outcome: str
    closed_by: str

    @property
    def is_open(self) -> bool:
        """Its outcome not recorded yet: the console offers the outcome's form."""
        return self.status is FollowUpStatus.OPEN


@dataclass(frozen=True)
class RectificationRow:
    id: str
    complaint_number: str
    center: str
    task: str
    unit: str
    responsible: str
    deadline: dt.date
    done: bool
    overdue: bool


def _paged(
    session: Session,
    query: Select[*tuple[Any, ...]],
    count_query: Select[int],
    page: int,
    page_size: int,
) -> tuple[list[Row[*tuple[Any, ...]]], int, int, int]:
    total = session.scalar(count_query) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    return list(session.execute(query.offset((page - 1) * page_size).limit(page_size)).all()), page, pages, total


def _today(session: Session, now: dt.datetime) -> dt.date:
    return today_and_warning_day(session, now)[0]


def quality_summary(session: Session, *, actor: ConsoleActor, now: dt.datetime) -> QualitySummary:
    """How many complaints, follow-ups and rectification tasks are open, and how many late."""
    require_supervision(actor)
    today = _today(session, now)

    def open_and_late(model: Any, is_open: ColumnElement[bool], deadline: Any) -> tuple[int, int]:
        late = func.sum(case((deadline < today, 1), else_=0))
        found = session.execute(select(func.count(), late).select_from(model).where(is_open)).one()
        return found[0] or 0, found[1] or 0

    complaints = open_and_late(Complaint, Complaint.status == ComplaintStatus.OPEN, Complaint.deadline)
    follow_ups = open_and_late(Rating, Rating.follow_up_status == OPEN_FOLLOW_UP, Rating.follow_up_deadline)
    tasks = open_and_late(Rectification, Rectification.done.is_(False), Rectification.deadline)
    return QualitySummary(*complaints, *follow_ups, *tasks, today)


def _about(row: Complaint) -> str:
    return " ".join(part for part in (row.about_window_id, row.about_department_code, row.about_item_code) if part)


def complaints(
    session: Session,
    *,
    actor: ConsoleActor,
    now: dt.datetime,
    open_only: bool = True,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Page:
    """Open ones by deadline, the nearest first; with ``open_only=False`` all, newest first."""
    require_supervision(actor)
    today = _today(session, now)
    where = [Complaint.status == ComplaintStatus.OPEN] if open_only else []
    order = (Complaint.deadline, Complaint.number) if open_only else (Complaint.received_at.desc(), Complaint.number)
    rows, page, pages, total = _paged(
        session,
        select(Complaint).where(*where).order_by(*order),
        select(func.count()).select_from(Complaint).where(*where),
        page,
        page_size,
    )
    local_time = center_clocks(session)
    return Page(
        [
            ComplaintRow(
                c.id,
                c.number,
                c.center_code,
                c.window_id,
                _about(c),
                mask_id_numbers_in(c.facts),
                local_time(c.center_code, c.received_at),
                c.deadline,
                c.status is ComplaintStatus.OPEN and c.deadline < today,
                c.status,
                c.reply,
                c.replied_by,
                c.reply_source,
                c.source,
                c.kind,
            )
            for (c,) in rows
        ],
        page,
        pages,
        total,
    )


def follow_ups(
    session: Session,
    *,
    actor: ConsoleActor,
    now: dt.datetime,
    open_only: bool = True,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Page:
    """Bad ratings' follow-ups: open ones by deadline; with ``open_only=False`` all, newest first."""
    require_supervision(actor)
    today = _today(session, now)
    where = [Rating.follow_up_status == OPEN_FOLLOW_UP] if open_only else [Rating.follow_up_id.is_not(None)]
    order = (Rating.follow_up_deadline, Rating.id) if open_only else (Rating.rated_at.desc(), Rating.id)
    rows, page, pages, total = _paged(
        session,
        select(Rating).where(*where).order_by(*order),
        select(func.count()).select_from(Rating).where(*where),
        page,
        page_size,
    )
    local_time = center_clocks(session)
    return Page(
        [
            FollowUpRow(
                r.follow_up_id or "",
                r.id,
                r.center_code,
                r.window_id,
                r.level,
                mask_id_numbers_in(r.reason),
                local_time(r.center_code, r.rated_at),
                r.follow_up_deadline,
                r.follow_up_status is FollowUpStatus.OPEN
                and r.follow_up_deadline is not None
                and r.follow_up_deadline < today,
                r.follow_up_status,
                r.follow_up_outcome,
                r.follow_up_closed_by,
            )
            for (r,) in rows
        ],
        page,
        pages,
        total,
    )


def rectifications(
    session: Session, *, actor: ConsoleActor, now: dt.datetime, page: int = 1, page_size: int = PAGE_SIZE
) -> Page:
    """整改 tasks: the open ones first, by deadline."""
    require_supervision(actor)
    today = _today(session, now)
    rows, page, pages, total = _paged(
        session,
        select(Rectification, Complaint.number)
        .join(Complaint, Complaint.id == Rectification.complaint_id)
        .order_by(Rectification.done, Rectification.deadline, Rectification.id),
        select(func.count()).select_from(Rectification),
        page,
        page_size,
    )
    return Page(
        [
            RectificationRow(
                task.id,
                number,
                task.center_code,
                mask_id_numbers_in(task.task),
                task.unit,
                task.responsible,
                task.deadline,
                task.done,
                not task.done and task.deadline < today,
            )
            for task, number in rows
        ],
        page,
        pages,
        total,
    )


def reply_to_complaint(
    session: Session, *, actor: ConsoleActor, complaint_id: str, reply: str, now: dt.datetime, address: str = ""
) -> int:
    """The supervision office's reply, published to the complaint's center; returns the change's seq."""
    require_supervision(actor)
    seq = replies.reply_to_complaint(session, complaint=complaint_id, reply=reply, by=actor.display_name, now=now)
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action=EventKind.COMPLAINT_REPLIED,
        entity="complaint",
        entity_id=complaint_id,
        now=now,
        address=address,
        note=reply.strip(),
        detail={"change": seq},
    )
    return seq


def record_follow_up_outcome(
    session: Session, *, actor: ConsoleActor, follow_up_id: str, outcome: str, now: dt.datetime, address: str = ""
) -> int:
    """The outcome of a bad rating's follow-up (回访), published to the rating's center."""
    require_supervision(actor)
    seq = replies.record_follow_up_outcome(
        session, follow_up_id=follow_up_id, outcome=outcome, by=actor.display_name, now=now
    )
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="follow_up.outcome_recorded",
        entity="follow_up",
        entity_id=follow_up_id,
        now=now,
        address=address,
        note=outcome.strip(),
        detail={"change": seq},
    )
    return seq


@dataclass(frozen=True)
class RefusedAnswer:
    by: str
    at: dt.datetime
    text: str


def refused(
    session: Session,
    *,
    actor: ConsoleActor,
    unresolved_only: bool = False,
    center: str | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[RefusedList, dict[str, RefusedAnswer]]:
    """What ``windowdesk-hub refused`` lists (supervision office and administrators), and
    the administrators' answers given here, by refused event id."""
    require_supervision(actor)
    found = refused_changes(session, center=center, unresolved_only=unresolved_only, limit=limit)
    ids = [change.event_id for change in found.changes]
    answers: dict[str, RefusedAnswer] = {}
    if ids:
        for entry in session.scalars(
            select(HubAuditEntry)
            .where(
                HubAuditEntry.entity == "pushed_event",
                HubAuditEntry.entity_id.in_(ids),
                HubAuditEntry.action == REFUSED_ANSWERED,
            )
            .order_by(HubAuditEntry.seq)
        ):
            answers.setdefault(
                entry.entity_id, RefusedAnswer(str(entry.detail.get("by") or entry.actor), entry.at, entry.note)
            )
    return found, answers


def answer_refused_change(
    session: Session, *, actor: ConsoleActor, event_id: str, answer: str, now: dt.datetime, address: str = ""
) -> None:
    """An administrator's answer to a refused change (what to do about it), kept in the
    hub's audit log beside it; one answer each. The window's supervisor reads it from
    whoever asked; the refusal itself stands."""
    require_administrator(actor)
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput(N_("Please write the answer."))
    if len(answer) > MAX_ANSWER:
        raise InvalidInput(Text(N_("The answer is longer than {count} characters."), count=MAX_ANSWER))
    status = session.scalar(select(PushedEvent.status).where(PushedEvent.event_id == event_id))
    if status != REJECTED:
        raise NotFound(Text(N_("The hub refused no change {event}."), event=event_id))
    earlier = session.scalar(
        select(HubAuditEntry.seq)
        .where(
            HubAuditEntry.entity == "pushed_event",
            HubAuditEntry.entity_id == event_id,
            HubAuditEntry.action == REFUSED_ANSWERED,
        )
        .limit(1)
    )
    if earlier is not None:
        raise Conflict(N_("This refused change has its answer already."))
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action=REFUSED_ANSWERED,
        entity="pushed_event",
        entity_id=event_id,
        now=now,
        address=address,
        note=answer,
        detail={"by": actor.display_name},
    )
