"""The back office: a department's decision on a case, and notes about a case.

A decision moves the case through the same state machine as the window
(windowdesk.domain.case_state), is recorded on the case's timeline, and is published to
the case's center as a "case.decision" change, which the window picks up at its next
sync. Run in a ``write(feed=True)`` transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.case_state import CaseAction, CaseStatus, InvalidTransition, next_status
from windowdesk.domain.case_steps import StepKind, StepSource
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.language import Text, transition_text
from windowdesk.hub.services import case_figures, parallel_parts
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.storage.models import Case, CaseEvent, CatalogItem, Department
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_DECISION, CHANGE_NOTE, DECISIONS

MAX_NOTE_LENGTH = 2000

# The final step of each decision; approve and reject first bring the case under review.
_FINAL_ACTION = {
    "approve": CaseAction.APPROVE,
    "reject": CaseAction.REJECT,
    "request_materials": CaseAction.SUSPEND,
}
# How a case gets under review before a department approves or rejects it.
_INTO_REVIEW = {
    CaseStatus.ACCEPTED: CaseAction.START_REVIEW,
    CaseStatus.SUSPENDED: CaseAction.RESUME,  # the missing materials have come in
}


@dataclass(frozen=True)
class DecisionRecorded:
    case_id: str
    case_number: str
    decision: str
    department: str
    status: str
    seq: int
    at: dt.datetime


def find_case(session: Session, *, case_id: str | None = None, case_number: str | None = None) -> Case:
    """By id or by number, locked until the transaction ends (PostgreSQL) so that a
    window's push and a decision on the same case happen one after the other."""
    query = select(Case).with_for_update()
    query = query.where(Case.id == case_id) if case_id else query.where(Case.case_number == case_number)
    case = session.scalar(query)
    if case is None:
        raise NotFound(
            Text(N_("There is no case {case} on the hub (has its window synced?)."), case=case_id or case_number)
        )
    return case


def decision_actions(status: str, decision: str) -> list[CaseAction]:
    if decision not in DECISIONS:
        raise InvalidInput(Text(N_("The decision must be one of: {choices}."), choices=", ".join(DECISIONS)))
    final = _FINAL_ACTION[decision]
    current = CaseStatus(status)
    if final is CaseAction.SUSPEND or current not in _INTO_REVIEW:
        return [final]
    return [_INTO_REVIEW[current], final]


def check_department(session: Session, case: Case, department: str) -> None:
    if session.get(Department, department) is None:
        raise NotFound(Text(N_("There is no department {department} on the hub."), department=department))
    item = session.get(CatalogItem, case.item_code)
    deciders = {item.department_code, *item.parallel_departments} if item else set()
    if department not in deciders:
        if deciders:
            raise Forbidden(
                Text(
                    N_("Department {department} does not decide item {item} (its departments: {departments})."),
                    department=department,
                    item=case.item_code,
                    departments=", ".join(sorted(deciders)),
                )
            )
        raise Forbidden(
            Text(
                N_(
                    "Department {department} does not decide item {item}: the hub's catalog names no department for it."
                ),
                department=department,
                item=case.item_code,
            )
        )


def record_decision(
    session: Session,
    *,
    case: Case,
    decision: str,
    department: str,
    note: str,
    now: dt.datetime,
) -> DecisionRecorded:
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(Text(N_("The note is longer than {count} characters."), count=MAX_NOTE_LENGTH))
    check_department(session, case, department)
    # 并联审批: on a parallel item's case the department decides its own part, and the
    # case moves only as its parts allow (approved when all are, rejected when one is).
    part = parallel_parts.decide(session, case=case, decision=decision, department=department, note=note, now=now)
    actions = part.actions if part is not None else decision_actions(case.status, decision)
    status = case.status
    if part is not None:
        session.add(
            CaseEvent(
                case_id=case.id,
                source=StepSource.HUB,
                kind=StepKind.PART_DECISION,
                action=decision[:20],
                from_status=status,
                to_status=status,
                department_code=department,
                note=note,
                recorded_at=now,
            )
        )
    try:
        for action in actions:
            new_status = next_status(status, action)
            session.add(
                CaseEvent(
                    case_id=case.id,
                    source=StepSource.HUB,
                    kind=StepKind.DECISION,
                    action=action.value,
                    from_status=status,
                    to_status=new_status,
                    department_code=department,
                    note=note,
                    recorded_at=now,
                )
            )
            status = new_status
    except InvalidTransition as refusal:
        raise Conflict(
            Text(N_("Case {number}: {message}"), number=case.case_number, message=transition_text(refusal))
        ) from None
    case.status = status
    case.updated_at = now
    session.flush()
    case_figures.refresh(session, [case.id])  # a decision starts the delivery deadline
    seq = append_change(
        session,
        kind=CHANGE_DECISION,
        entity="case",
        entity_id=case.id,
        center_code=case.center_code,
        payload={
            "case_id": case.id,
            "case_number": case.case_number,
            "decision": decision,
            "department": department,
            "note": note,
            "status": status,
            "at": now.isoformat(),
            **(part.payload if part is not None else {}),
        },
        now=now,
    )
    return DecisionRecorded(case.id, case.case_number, decision, department, status, seq, now)


def record_note(session: Session, *, case: Case, department: str, note: str, now: dt.datetime) -> int:
    """A hub-side note on a case (a phone call, a correction), published to its center."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(N_("Please write the note."))
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(Text(N_("The note is longer than {count} characters."), count=MAX_NOTE_LENGTH))
    if session.get(Department, department) is None:
        raise NotFound(Text(N_("There is no department {department} on the hub."), department=department))
    session.add(
        CaseEvent(
            case_id=case.id,
            source=StepSource.HUB,
            kind=StepKind.NOTE,
            action=None,
            from_status=case.status,
            to_status=case.status,
            department_code=department,
            note=note,
            recorded_at=now,
        )
    )
    session.flush()
    return append_change(
        session,
        kind=CHANGE_NOTE,
        entity="case",
        entity_id=case.id,
        center_code=case.center_code,
        payload={
            "case_id": case.id,
            "case_number": case.case_number,
            "department": department,
            "note": note,
            "at": now.isoformat(),
        },
        now=now,
    )
