"""投诉: a complaint about a window, an operator, a department or an item — the facts,
an owner and a deadline, the reply to the complainant, and the rectification tasks
(整改) that follow. A reply may also come from the hub (services/service_quality_apply.py), and
so may a complaint a resident filed on the hub's public pages (no window received it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.permissions import Permission, is_allowed
from windowdesk.domain.service_quality import COMPLAINT_REPLY_WORKING_DAYS
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.service_quality import checked_text
from windowdesk.services.working_days import calendar_in_force
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage import queries_quality as q
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models_quality import Complaint, Rectification
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

OPEN, REPLIED = ComplaintStatus.OPEN, ComplaintStatus.REPLIED


@dataclass(frozen=True)
class ComplaintAbout:
    """What the complaint is about; at least one of them."""

    window_id: str | None = None
    operator_id: str | None = None
    department_code: str | None = None
    item_code: str | None = None
    case_id: str | None = None


@dataclass(frozen=True)
class RectificationTask:
    task: str
    unit: str
    responsible: str
    deadline: dt.date


@dataclass(frozen=True)
class RectificationView:
    id: str
    task: str
    unit: str
    responsible: str
    deadline: dt.date
    done: bool
    done_note: str


@dataclass(frozen=True)
class ComplaintView:
    id: str
    number: str
    received_at: dt.datetime
    complainant_name: str
    complainant_phone: str
    about: ComplaintAbout
    about_words: str
    facts: str
    owner_id: str
    owner_name: str
    deadline: dt.date
    status: ComplaintStatus
    reply: str
    replied_by: str
    overdue: bool
    rectifications: tuple[RectificationView, ...]
    source: ComplaintSource = ComplaintSource.WINDOW  # web: filed on the hub's public pages
    kind: ComplaintKind = ComplaintKind.COMPLAINT


def _check_about(session: Session, ctx: CounterContext, about: ComplaintAbout) -> ComplaintAbout:
    if not any((about.window_id, about.operator_id, about.department_code, about.item_code, about.case_id)):
        raise ValidationError(
            _("Please say what the complaint is about: a window, a staff member, a department or an item."),
            field="about",
        )
    if about.window_id and session.get(m.Window, about.window_id) is None:
        raise ValidationError(_("Unknown window."), field="about_window")
    if about.operator_id and session.get(m.Operator, about.operator_id) is None:
        raise ValidationError(_("Unknown staff member."), field="about_operator")
    if about.department_code and session.get(m.Department, about.department_code) is None:
        raise ValidationError(_("Unknown department."), field="about_department")
    if about.item_code and session.get(m.CatalogItem, about.item_code) is None:
        raise ValidationError(_("Please choose an item from the catalog."), field="about_item")
    if about.case_id:
        case = session.get(m.Case, about.case_id)
        if case is None or case.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        # A complaint about a case is about its window, operator and item as well.
        return ComplaintAbout(
            about.window_id or case.window_id,
            about.operator_id or case.operator_id,
            about.department_code,
            about.item_code or case.item_code,
            case.id,
        )
    return about


def _owner(session: Session, ctx: CounterContext, owner_id: str | None) -> m.Operator:
    owner = session.get(m.Operator, owner_id or ctx.operator_id)
    if owner is None or not owner.active or owner.center_code != ctx.center_code:
        raise ValidationError(_("Please choose an active staff member of this center."), field="owner")
    if not is_allowed(owner.role, Permission.HANDLE_SERVICE_QUALITY):
        raise ValidationError(_("The owner of a complaint must be a supervisor."), field="owner")
    return owner


def receive_complaint(
    db: Database,
    ctx: CounterContext,
    *,
    complainant_name: str,
    facts: str,
    about: ComplaintAbout,
    shipped_calendar: WorkingCalendar,
    complainant_phone: str = "",
    owner_id: str | None = None,
    deadline: dt.date | None = None,
) -> tuple[str, str]:
    """Record a complaint; it is owned by a supervisor (the one chosen, else the person
    recording it, who must then be one) and due in COMPLAINT_REPLY_WORKING_DAYS working
    days unless a deadline is given. Returns (id, number)."""
    name = checked_text(complainant_name, "complainant_name", message=_("Please write the complainant's name."))[:60]
    phone = checked_text(complainant_phone, "complainant_phone", required=False)[:30]
    facts = checked_text(facts, "facts", message=_("Please write the facts of the complaint."))
    with db.write() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        about = _check_about(session, ctx, about)
        owner = _owner(session, ctx, owner_id)
        now = ctx.now()
        today = now.astimezone(ctx.zone).date()
        if deadline is None:
            deadline = calendar_in_force(session, shipped_calendar).add_working_days(
                today, COMPLAINT_REPLY_WORKING_DAYS
            )
        elif deadline < today:
            raise ValidationError(_("The deadline cannot be in the past."), field="deadline")
        seq = queries.next_sequence_value(session, f"complaint:{ctx.center_code}:{ctx.window_code}:{today.year}")
        complaint = Complaint(
            id=new_uuid(),
            number=f"TS-{ctx.center_code}-{ctx.window_code}-{today.year}-{seq:04d}",
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            received_by=ctx.operator_id,
            received_at=now,
            complainant_name=name,
            complainant_phone=phone,
            about_window_id=about.window_id,
            about_operator_id=about.operator_id,
            about_department_code=about.department_code,
            about_item_code=about.item_code,
            case_id=about.case_id,
            facts=facts,
            owner_id=owner.id,
            deadline=deadline,
            status=OPEN,
            reply="",
            replied_at=None,
            replied_by="",
            reply_source=ReplySource.NONE,
        )
        session.add(complaint)
        session.flush()
        record_action(
            session,
            ctx,
            action="complaint.receive",
            entity="complaint",
            entity_id=complaint.id,
            detail={"number": complaint.number},
        )
        enqueue(
            session,
            entity=EventEntity.COMPLAINT,
            entity_id=complaint.id,
            kind=EventKind.COMPLAINT_RECEIVED,
            now=now,
            payload={
                "id": complaint.id,
                "number": complaint.number,
                "center": ctx.center_code,
                "window": ctx.window_id,
                "operator": ctx.operator_id,
                "complainant_name": name,
                "complainant_phone": phone,
                "about": {
                    "window": about.window_id,
                    "operator": about.operator_id,
                    "department": about.department_code,
                    "item": about.item_code,
                    "case_id": about.case_id,
                },
                "facts": facts,
                "owner": owner.id,
                "deadline": deadline.isoformat(),
                "received_at": now.isoformat(),
            },
        )
        return complaint.id, complaint.number


def _complaint(session: Session, ctx: CounterContext, complaint_id: str) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None or complaint.center_code != ctx.center_code:
        raise NotFoundError(_("Not found"), _("This complaint is not on this workstation."))
    return complaint


def reply_to_complaint(db: Database, ctx: CounterContext, *, complaint_id: str, reply: str) -> None:
    """The reply given to the complainant (a supervisor's word)."""
    reply = checked_text(reply, "reply", message=_("Please write the reply to the complainant."))
    with db.write() as session:
        authorize(session, ctx, Permission.HANDLE_SERVICE_QUALITY)
        complaint = _complaint(session, ctx, complaint_id)
        if complaint.status != OPEN:
            raise ValidationError(_("This complaint already has its reply."), field="reply")
        now = ctx.now()
        complaint.status, complaint.reply, complaint.replied_at = REPLIED, reply, now
        complaint.replied_by, complaint.reply_source = ctx.operator_name, ReplySource.WINDOW
        record_action(
            session,
            ctx,
            action="complaint.reply",
            entity="complaint",
            entity_id=complaint.id,
            detail={"number": complaint.number},
        )
        enqueue(
            session,
            entity=EventEntity.COMPLAINT,
            entity_id=complaint.id,
            kind=EventKind.COMPLAINT_REPLIED,
            now=now,
            payload={
                "id": complaint.id,
                "center": ctx.center_code,
                "reply": reply,
                "replied_at": now.isoformat(),
                "operator": ctx.operator_id,
            },
        )


def add_rectification(db: Database, ctx: CounterContext, *, complaint_id: str, task: RectificationTask) -> str:
    """整改: a task, the unit doing it, the person responsible, its deadline."""
    text = checked_text(task.task, "task", message=_("Please describe the rectification task."))
    unit = checked_text(task.unit, "unit", message=_("Please name the unit that carries it out."))[:100]
    responsible = checked_text(task.responsible, "responsible", message=_("Please name the person responsible."))[:60]
    with db.write() as session:
        authorize(session, ctx, Permission.HANDLE_SERVICE_QUALITY)
        complaint = _complaint(session, ctx, complaint_id)
        now = ctx.now()
        if task.deadline < now.astimezone(ctx.zone).date():
            raise ValidationError(_("The deadline cannot be in the past."), field="deadline")
        row = Rectification(
            id=new_uuid(),
            complaint_id=complaint.id,
            position=len(complaint.rectifications),
            task=text,
            unit=unit,
            responsible=responsible,
            deadline=task.deadline,
            done=False,
            done_at=None,
            done_note="",
        )
        complaint.rectifications.append(row)
        session.flush()
        record_action(
            session,
            ctx,
            action=EventKind.RECTIFICATION_SET,
            entity="rectification",
            entity_id=row.id,
            detail={"complaint": complaint.number},
        )
        enqueue(
            session,
            entity=EventEntity.RECTIFICATION,
            entity_id=row.id,
            kind=EventKind.RECTIFICATION_SET,
            now=now,
            payload={
                "id": row.id,
                "complaint_id": complaint.id,
                "center": ctx.center_code,
                "task": text,
                "unit": unit,
                "responsible": responsible,
                "deadline": task.deadline.isoformat(),
            },
        )
        return row.id


def complete_rectification(db: Database, ctx: CounterContext, *, rectification_id: str, note: str = "") -> None:
    note = checked_text(note, "note", required=False)
    with db.write() as session:
        authorize(session, ctx, Permission.HANDLE_SERVICE_QUALITY)
        row = session.get(Rectification, rectification_id)
        complaint = session.get(Complaint, row.complaint_id) if row else None
        if row is None or complaint is None or complaint.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This rectification task is not on this workstation."))
        if row.done:
            raise ValidationError(_("This rectification task is already done."))
        now = ctx.now()
        row.done, row.done_at, row.done_note = True, now, note
        record_action(
            session,
            ctx,
            action=EventKind.RECTIFICATION_DONE,
            entity="rectification",
            entity_id=row.id,
            detail={"complaint": complaint.number},
        )
        enqueue(
            session,
            entity=EventEntity.RECTIFICATION,
            entity_id=row.id,
            kind=EventKind.RECTIFICATION_DONE,
            now=now,
            payload={
                "id": row.id,
                "complaint_id": complaint.id,
                "center": ctx.center_code,
                "done_at": now.isoformat(),
                "note": note,
            },
        )


def _about_words(session: Session, complaint: Complaint, names: dict[str, str]) -> str:
    parts = []
    if complaint.about_window_id:
        window = session.get(m.Window, complaint.about_window_id)
        parts.append(_("window {code}").format(code=window.code if window else complaint.about_window_id))
    if complaint.about_operator_id:
        parts.append(names.get(complaint.about_operator_id, complaint.about_operator_id))
    if complaint.about_department_code:
        department = session.get(m.Department, complaint.about_department_code)
        parts.append(department.name if department else complaint.about_department_code)
    if complaint.about_item_code:
        item = session.get(m.CatalogItem, complaint.about_item_code)
        parts.append(item.name if item else complaint.about_item_code)
    return _(", ").join(parts)


def list_complaints(db: Database, ctx: CounterContext, *, open_only: bool = False) -> list[ComplaintView]:
    """The center's complaints, the earliest deadline first."""
    with db.read() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        names = q.operator_names(session)
        today = ctx.local_today()
        return [
            ComplaintView(
                c.id,
                c.number,
                c.received_at,
                c.complainant_name or _("(filed online)"),
                c.complainant_phone,
                ComplaintAbout(
                    c.about_window_id, c.about_operator_id, c.about_department_code, c.about_item_code, c.case_id
                ),
                _about_words(session, c, names),
                c.facts,
                c.owner_id,
                names.get(c.owner_id, ""),
                c.deadline,
                c.status,
                c.reply,
                c.replied_by,
                c.status == OPEN and c.deadline < today,
                tuple(
                    RectificationView(r.id, r.task, r.unit, r.responsible, r.deadline, r.done, r.done_note)
                    for r in c.rectifications
                ),
                c.source,
                c.kind,
            )
            for c in q.complaints(session, ctx.center_code, open_only=open_only)
        ]


@dataclass(frozen=True)
class ComplaintChoices:
    """What a complaint may be about, and who may own it, for the form."""

    staff: tuple
    windows: tuple[tuple[str, str], ...]  # (window id, words)
    departments: tuple[tuple[str, str], ...]  # (code, name)


def complaint_choices(db: Database, ctx: CounterContext) -> ComplaintChoices:
    from windowdesk.services.service_quality import StaffMember

    with db.read() as session:
        authorize(session, ctx, Permission.RECORD_SERVICE_QUALITY)
        return ComplaintChoices(
            tuple(StaffMember(o.id, o.display_name, o.role) for o in q.active_staff(session, ctx.center_code)),
            tuple((w.id, f"{w.code} {w.name}") for w in queries.windows_of_center(session, ctx.center_code)),
            tuple((d.code, d.name) for d in queries.all_departments(session)),
        )
