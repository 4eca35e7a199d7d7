"""A department's work in the console: the cases waiting for its part, most urgent first,
one case's whole record, and deciding its part or adding a note.

Deciding and noting go through :mod:`backoffice` (what ``windowdesk-hub decide`` and
``note`` run), so the windows learn them by the existing sync; here come the console's
rights (console_rights: a department's staff decide only for their own department, and
open only the cases their department takes part in) and the hub's audit entry, in the
same transaction. Run decisions in ``run_write(..., feed=True)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from windowdesk.domain.case_parts import DECIDABLE_CASE, PartStatus, part_departments
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.case_steps import StepKind
from windowdesk.domain.ids import mask_id_number
from windowdesk.hub.errors import Forbidden, InvalidInput, NotFound
from windowdesk.hub.language import Text, render
from windowdesk.hub.services import backoffice, case_pages, clock_stops, hub_audit, parallel_parts
from windowdesk.hub.services.case_pages import PageActor
from windowdesk.hub.services.clocks import center_time
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor, require_case_reader, require_department
from windowdesk.hub.services.figure_catchup import require_current
from windowdesk.hub.services.time_cards import (
    Card,
    card_due_date,
    card_of,
    center_clocks,
    spelled,
    today_and_warning_day,
    with_due,
)
from windowdesk.hub.storage.models import (
    OPEN_CASE_STATUSES,
    Case,
    CaseCommitment,
    CaseEvent,
    CatalogItem,
    Center,
    Organisation,
    PushedEvent,
    Resident,
)
from windowdesk.hub.storage.models_applications import OnlineApplication
from windowdesk.hub.storage.models_figures import CaseFigures
from windowdesk.hub.storage.models_quality import CasePart
from windowdesk.hub.storage.page_store import PageStore
from windowdesk.i18n import N_
from windowdesk.sync.protocol import EventEntity, EventKind, PushedEventStatus

PAGE_SIZE = 50
DECIDED_PARTS = (PartStatus.APPROVED.value, PartStatus.REJECTED.value)
MAX_FIELD = 600  # a reason or a legal basis; the note they make stays within backoffice's limit
# The note a decision carries to the window is printed there for the applicant, in Chinese.
NOTE_LANGUAGE = "zh_CN"


@dataclass(frozen=True)
class QueueRow:
    case_id: str
    case_number: str
    center: str
    item_code: str
    item_name: str
    status: str
    accepted_at: dt.datetime  # on the case's center's clock
    promised_date: dt.date | None  # as the cards count it: moved on by the suspensions
    light: Card  # a card, or why the case has none
    part_status: str | None  # the department's part of a parallel case, else None


@dataclass(frozen=True)
class QueuePage:
    department: str
    rows: list[QueueRow]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class Step:
    at: dt.datetime  # on the case's center's clock
    source: str  # window / hub
    kind: str  # accepted / status / decision / part_decision / note
    action: str | None
    to_status: str
    department: str | None
    note: str
    suspension_kind: str | None = None  # a step into "suspended": why the clock stops


@dataclass(frozen=True)
class Material:
    name: str
    status: str
    note: str


@dataclass(frozen=True)
class Part:
    department: str
    status: str
    decided_at: dt.datetime | None
    note: str


@dataclass(frozen=True)
class CommitmentState:
    verify_due: dt.date
    result: str | None


@dataclass(frozen=True)
class CaseRecord:
    case_id: str
    case_number: str
    status: str
    center_code: str
    center_name: str
    window_id: str | None  # None: accepted online by its department (全程网办)
    item_code: str
    item_name: str
    deciders: tuple[str, ...]
    applicant_kind: str
    applicant_name: str
    applicant_number: str  # masked
    accepted_at: dt.datetime
    promised_date: dt.date | None  # as the cards count it: moved on by the suspensions
    light: Card  # a card, or why the case has none
    materials: list[Material]
    steps: list[Step]
    parts: list[Part]
    pages: list[case_pages.CasePage]  # the case's scanned pages (case_pages.py), once electronic materials exist
    may_decide: bool  # the reader is staff of a department whose part is still open
    # 告知承诺制: the verification's due day and result ("true", "false": marked for
    # revocation, None: not recorded); None for a case accepted otherwise.
    commitment: CommitmentState | None = None
    # The reader's department decides the case: it may stop its clock (a hearing, an
    # inspection, an expert review) while it runs, or start it again while it stands.
    may_stop_clock: bool = False
    may_restart_clock: bool = False
    # 全程网办: the online application its department accepted it from (its values and
    # uploaded pages are read there); None for a case a window accepted.
    online_application_id: str | None = None


def item_deciders(item: CatalogItem | None) -> tuple[str, ...]:
    """The departments that decide an item, as backoffice checks it: its own and the parallel ones."""
    if item is None:
        return ()
    return tuple(part_departments(item.department_code, item.parallel_departments or ()))


def department_items(session: Session, department: str) -> dict[str, str]:
    """Code -> name of the items ``department`` decides (or takes part in)."""
    return {item.code: item.name for item in session.scalars(select(CatalogItem)) if department in item_deciders(item)}


def _waiting_for(department: str, items: list[str]) -> ColumnElement[bool]:
    """Open cases of the department's items whose part for it is not decided yet."""
    decided = exists().where(
        CasePart.case_id == Case.id, CasePart.department_code == department, CasePart.status.in_(DECIDED_PARTS)
    )
    return and_(Case.item_code.in_(items), Case.status.in_(spelled(OPEN_CASE_STATUSES)), ~decided)


def department_queue(
    session: Session, *, actor: ConsoleActor, now: dt.datetime, page: int = 1, page_size: int = PAGE_SIZE
) -> QueuePage:
    """The cases waiting for the actor's department, most urgent first: past their promised
    date, then near it, then the rest; of equal dates the oldest first. Paged in SQL."""
    require_current(session)  # no case's figures behind it (figure_catchup.current_figures)
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff have a queue of cases to decide."))
    department = actor.department_code
    items = department_items(session, department)
    if not items:
        return QueuePage(department, [], 1, 1, 0)
    waiting = _waiting_for(department, sorted(items))
    total = session.scalar(select(func.count()).select_from(Case).where(waiting)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    # Most urgent by the date the cards count to (time_cards.card_due_date, in SQL).
    due = sql_case((Case.promised_date.is_(None), None), else_=func.coalesce(CaseFigures.due_day, Case.promised_date))
    rows = session.execute(
        select(
            Case.id,
            Case.case_number,
            Case.center_code,
            Case.item_code,
            Case.status,
            Case.accepted_at,
            Case.promised_date,
            CaseFigures.due_day,
        )
        .outerjoin(*with_due(session))
        .where(waiting)
        .order_by(due.asc().nulls_last(), Case.accepted_at, Case.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    parts = (
        dict(
            session.execute(
                select(CasePart.case_id, CasePart.status).where(
                    CasePart.case_id.in_([row.id for row in rows]), CasePart.department_code == department
                )
            ).all()
        )
        if rows
        else {}
    )
    today, warning_day = today_and_warning_day(session, now)
    local_time = center_clocks(session)
    return QueuePage(
        department,
        [
            QueueRow(
                row.id,
                row.case_number,
                row.center_code,
                row.item_code,
                items[row.item_code],
                row.status,
                local_time(row.center_code, row.accepted_at),
                card_due_date(row.promised_date, row.due_day),
                card_of(row.status, row.promised_date, row.due_day, today, warning_day),
                parts.get(row.id),
            )
            for row in rows
        ],
        page,
        pages,
        total,
    )


def _find(session: Session, case_ref: str) -> Case:
    case = session.scalar(select(Case).where((Case.id == case_ref) | (Case.case_number == case_ref)))
    if case is None:
        raise NotFound(Text(N_("There is no case {case} on the hub (has its window synced?)."), case=case_ref))
    return case


def _applicant(session: Session, case: Case) -> tuple[str, str]:
    if case.applicant_kind == "organisation":
        organisation = session.get(Organisation, case.applicant_id)
        return (organisation.name, organisation.credit_code) if organisation else ("", "")
    resident = session.get(Resident, case.applicant_id)
    return (resident.name, mask_id_number(resident.id_number)) if resident else ("", "")


def _materials(session: Session, case: Case) -> list[Material]:
    """As the window checked them at acceptance (its case.accepted event).

    The acceptance is found by its id, which the case's first step keeps (the step is
    found by case, the event by its key): pushed events are not indexed by record
    (0021_h29pgidx), an entry every pushed case would pay for this one page."""
    accepted_by = (
        select(CaseEvent.event_id)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == StepKind.ACCEPTED, CaseEvent.event_id.is_not(None))
        .limit(1)  # a case is accepted once
        .scalar_subquery()
    )
    payload = session.scalar(
        select(PushedEvent.payload).where(
            PushedEvent.event_id == accepted_by,
            PushedEvent.kind == EventKind.CASE_ACCEPTED,
            PushedEvent.entity == EventEntity.CASE,
            PushedEvent.entity_id == case.id,
            PushedEvent.status == PushedEventStatus.APPLIED,
        )
    )
    found = (payload or {}).get("materials") if isinstance(payload, dict) else None
    return [
        Material(str(m.get("name") or m.get("code") or ""), str(m.get("status") or ""), str(m.get("note") or ""))
        for m in found or []
        if isinstance(m, dict)
    ]


def page_actor(actor: ConsoleActor) -> PageActor | None:
    """Who reads a case's pages for ``actor``: the staff of a department, as that department.
    The supervision office and the administrators see that pages exist, not the pages: a
    case's papers are for the departments that decide it and its center (issue 24)."""
    if actor.role == DEPARTMENT and actor.department_code:
        return PageActor(case_pages.DEPARTMENT, actor.department_code)
    return None


def scanned_pages(session: Session, *, actor: ConsoleActor, case: Case) -> list[case_pages.CasePage]:
    """The case's scanned pages as the windows last listed them (no bytes read: listing is
    not a reading; opening one page is, and is recorded)."""
    reader = page_actor(actor)
    if reader is not None and case_pages.may_see(session, case, reader):
        return case_pages.list_case_pages(session, case_id=case.id, actor=reader)
    return case_pages.current_pages(session, case.id)


def read_scanned_page(
    session: Session,
    store: PageStore,
    *,
    actor: ConsoleActor,
    case_ref: str,
    page_id: str,
    now: dt.datetime,
) -> tuple[case_pages.CasePage, bytes]:
    """One page's bytes for a department's staff, the reading recorded with the page and in
    the hub's audit log; Forbidden for anyone else."""
    case = _find(session, case_ref)
    reader = page_actor(actor)
    if reader is None:
        raise Forbidden(N_("A case's scanned pages are opened by the staff of the departments that decide it."))
    page, data = case_pages.read_case_page(session, store, case_id=case.id, page_id=page_id, actor=reader, now=now)
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="case_page.read",
        entity="case",
        entity_id=case.id,
        now=now,
        detail={"page": page.page_id, "material": page.material_code},
    )
    return page, data


def case_record(session: Session, *, actor: ConsoleActor, case_ref: str, now: dt.datetime) -> CaseRecord:
    """One case (by id or number) for a reader allowed to see it: the city's offices, or
    staff of a department that decides it (Forbidden for any other department)."""
    require_current(session)  # no case's figures behind it (figure_catchup.current_figures)
    case = _find(session, case_ref)
    item = session.get(CatalogItem, case.item_code)
    deciders = item_deciders(item)
    require_case_reader(actor, case_departments=set(deciders))
    center = session.get(Center, case.center_code)
    name, number = _applicant(session, case)
    parts_by = {part.department_code: part for part in parallel_parts.parts_of(session, case.id)}
    parallel = parallel_parts.item_departments(session, case)

    def decided_at(code: str) -> dt.datetime | None:
        at = parts_by[code].decided_at if code in parts_by else None
        return center_time(session, case.center_code, at) if at is not None else None

    parts = [
        Part(
            code,
            parts_by[code].status if code in parts_by else PartStatus.PENDING.value,
            decided_at(code),
            parts_by[code].note if code in parts_by else "",
        )
        for code in parallel
    ]
    steps = [
        Step(
            center_time(session, case.center_code, event.client_at or event.recorded_at),
            event.source,
            event.kind,
            event.action,
            event.to_status,
            event.department_code,
            event.note,
            event.suspension_kind,
        )
        for event in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq))
    ]
    own_part = parts_by.get(actor.department_code or "")
    may_decide = (
        actor.role == DEPARTMENT
        and actor.department_code in deciders
        and CaseStatus(case.status) in DECIDABLE_CASE
        and (own_part is None or own_part.status not in DECIDED_PARTS)
    )
    deciding = actor.role == DEPARTMENT and actor.department_code in deciders
    today, warning_day = today_and_warning_day(session, now)
    due_day = session.scalar(select(CaseFigures.due_day).where(CaseFigures.case_id == case.id))
    return CaseRecord(
        case.id,
        case.case_number,
        case.status,
        case.center_code,
        center.name if center else case.center_code,
        case.window_id,
        case.item_code,
        item.name if item else case.item_code,
        deciders,
        case.applicant_kind,
        name,
        number,
        center_time(session, case.center_code, case.accepted_at),
        card_due_date(case.promised_date, due_day),
        card_of(case.status, case.promised_date, due_day, today, warning_day),
        _materials(session, case),
        steps,
        parts,
        scanned_pages(session, actor=actor, case=case),
        may_decide,
        _commitment(session, case.id),
        deciding and case.status in (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS),
        deciding and case.status == CaseStatus.SUSPENDED,
        session.scalar(select(OnlineApplication.id).where(OnlineApplication.case_id == case.id))
        if case.window_id is None
        else None,
    )


def _commitment(session: Session, case_id: str) -> CommitmentState | None:
    row = session.get(CaseCommitment, case_id)
    return CommitmentState(row.verify_due, row.result) if row is not None else None


def _field(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(Text(N_("Please write the {what}."), what=Text(what)))
    if len(value) > MAX_FIELD:
        raise InvalidInput(Text(N_("The {what} is longer than {count} characters."), what=Text(what), count=MAX_FIELD))
    return value


def decision_note(decision: str, *, reason: str = "", legal_basis: str = "", missing: str = "", note: str = "") -> str:
    """What the window is told: a refusal names its reason and its legal basis, a request
    for materials what is missing (the 补正 notice), an approval any remark."""
    if decision == "reject":
        return render(
            Text(
                N_("{reason} (legal basis: {basis})"),
                reason=_field(reason, N_("reason")),
                basis=_field(legal_basis, N_("legal basis")),
            ),
            NOTE_LANGUAGE,
        )
    if decision == "request_materials":
        return _field(missing, N_("list of the materials to add or correct"))
    return (note or "").strip()


def decide(
    session: Session,
    *,
    actor: ConsoleActor,
    case_id: str,
    decision: str,
    reason: str = "",
    legal_basis: str = "",
    missing: str = "",
    note: str = "",
    now: dt.datetime,
    address: str = "",
) -> backoffice.DecisionRecorded:
    """The actor's department decides its part of the case (all of it, for an ordinary item)."""
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff decide cases."))
    require_department(actor, actor.department_code)
    if decision not in ("approve", "reject", "request_materials"):
        raise InvalidInput(N_("Choose approve, not approve, or ask for more materials."))
    text = decision_note(decision, reason=reason, legal_basis=legal_basis, missing=missing, note=note)
    case = backoffice.find_case(session, case_id=case_id)
    require_case_reader(actor, case_departments=set(item_deciders(session.get(CatalogItem, case.item_code))))
    recorded = backoffice.record_decision(
        session, case=case, decision=decision, department=actor.department_code, note=text, now=now
    )
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="case.decided",
        entity="case",
        entity_id=case.id,
        now=now,
        address=address,
        note=text,
        detail={
            "case_number": case.case_number,
            "decision": decision,
            "department": actor.department_code,
            "status": recorded.status,
            "change": recorded.seq,
        },
    )
    return recorded


def add_note(
    session: Session, *, actor: ConsoleActor, case_id: str, note: str, now: dt.datetime, address: str = ""
) -> int:
    """A note of the actor's department on a case it takes part in, published to the case's center."""
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff add notes to cases."))
    case = backoffice.find_case(session, case_id=case_id)
    require_case_reader(actor, case_departments=set(item_deciders(session.get(CatalogItem, case.item_code))))
    seq = backoffice.record_note(session, case=case, department=actor.department_code, note=note, now=now)
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="case.note_added",
        entity="case",
        entity_id=case.id,
        now=now,
        address=address,
        note=note.strip(),
        detail={"case_number": case.case_number, "department": actor.department_code, "change": seq},
    )
    return seq


def stop_clock(
    session: Session, *, actor: ConsoleActor, case_id: str, kind: str, reason: str, now: dt.datetime, address: str = ""
) -> backoffice.DecisionRecorded:
    """The actor's department stops the case's clock (clock_stops), audited under their name."""
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff decide cases."))
    case = backoffice.find_case(session, case_id=case_id)
    require_case_reader(actor, case_departments=set(item_deciders(session.get(CatalogItem, case.item_code))))
    return clock_stops.suspend_case(
        session,
        case=case,
        department=actor.department_code,
        kind=kind,
        reason=reason,
        now=now,
        by=actor.audit_name,
        address=address,
    )


def restart_clock(
    session: Session, *, actor: ConsoleActor, case_id: str, outcome: str, now: dt.datetime, address: str = ""
) -> backoffice.DecisionRecorded:
    """The actor's department starts the case's clock again, with the outcome."""
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff decide cases."))
    case = backoffice.find_case(session, case_id=case_id)
    require_case_reader(actor, case_departments=set(item_deciders(session.get(CatalogItem, case.item_code))))
    return clock_stops.resume_case(
        session,
        case=case,
        department=actor.department_code,
        outcome=outcome,
        now=now,
        by=actor.audit_name,
        address=address,
    )
