"""The back office stops a case's clock and starts it again: a hearing (听证), inspection,
testing or appraisal (检验、检测、鉴定), or expert review (专家评审), whose time does not count
towards the legal and promised limits (domain.suspensions).

The same state machine as the window (suspend, resume), the step on the case's timeline
with its kind, and a "case.decision" change to the case's center (decision "suspend" or
"resume", with ``suspension_kind``), which the window applies with its own rules: its
clock, its case watch and its reports read the kind from the step as from its own. The
wait for materials (补正) stays the decision "request_materials" (backoffice.py).
Run in a ``write(feed=True)`` transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.case_state import CaseAction, CaseStatus, InvalidTransition, next_status
from windowdesk.domain.case_steps import StepKind, StepSource
from windowdesk.domain.suspensions import SuspensionKind, end_needs_reason, suspension_kind
from windowdesk.errors import ValidationError
from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.language import Text, transition_text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.backoffice import MAX_NOTE_LENGTH, DecisionRecorded, check_department
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.storage.models import Case, CaseEvent
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_DECISION

# The kinds the back office stops a clock for; the wait for materials is "request_materials".
BACK_OFFICE_KINDS = tuple(kind.value for kind in SuspensionKind if kind is not SuspensionKind.MATERIALS)
SUSPEND, RESUME = "suspend", "resume"


def _note(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(Text(N_("Please write the {what}."), what=Text(what)))
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput(Text(N_("The note is longer than {count} characters."), count=MAX_NOTE_LENGTH))
    return text


def _running_kind(session: Session, case: Case) -> SuspensionKind:
    """Why the case's clock stands still now: the kind of its last step into "suspended"."""
    last = session.scalar(
        select(CaseEvent.suspension_kind)
        .where(CaseEvent.case_id == case.id, CaseEvent.to_status == CaseStatus.SUSPENDED)
        .order_by(CaseEvent.seq.desc())
        .limit(1)
    )
    return suspension_kind(last)


def _step(
    session: Session,
    case: Case,
    action: CaseAction,
    *,
    department: str,
    note: str,
    kind: str | None,
    now: dt.datetime,
    by: str,
    address: str,
) -> DecisionRecorded:
    try:
        status = next_status(case.status, action)
    except InvalidTransition as refusal:
        raise Conflict(
            Text(N_("Case {number}: {message}"), number=case.case_number, message=transition_text(refusal))
        ) from None
    session.add(
        CaseEvent(
            case_id=case.id,
            source=StepSource.HUB,
            kind=StepKind.DECISION,
            action=action.value,
            from_status=case.status,
            to_status=status,
            department_code=department,
            note=note,
            recorded_at=now,
            suspension_kind=kind,
        )
    )
    case.status, case.updated_at = status, now
    session.flush()
    decision = SUSPEND if action is CaseAction.SUSPEND else RESUME
    payload = {
        "case_id": case.id,
        "case_number": case.case_number,
        "decision": decision,
        "department": department,
        "note": note,
        "status": status,
        "at": now.isoformat(),
    }
    if kind is not None:
        payload["suspension_kind"] = kind
    seq = append_change(
        session,
        kind=CHANGE_DECISION,
        entity="case",
        entity_id=case.id,
        center_code=case.center_code,
        payload=payload,
        now=now,
    )
    hub_audit.record(
        session,
        actor=by,
        action=f"case.{decision}",
        entity="case",
        entity_id=case.id,
        now=now,
        address=address,
        note=note,
        detail={"case_number": case.case_number, "department": department, "suspension_kind": kind, "change": seq},
    )
    return DecisionRecorded(case.id, case.case_number, decision, department, status, seq, now)


def suspend_case(
    session: Session,
    *,
    case: Case,
    department: str,
    kind: str,
    reason: str,
    now: dt.datetime,
    by: str,
    address: str = "",
) -> DecisionRecorded:
    """A deciding department stops the case's clock for a hearing, an inspection or an
    expert review, with the reason the applicant is told in writing."""
    if kind not in BACK_OFFICE_KINDS:
        raise InvalidInput(
            Text(N_("The kind of suspension must be one of: {kinds}."), kinds=", ".join(BACK_OFFICE_KINDS))
        )
    check_department(session, case, department)
    return _step(
        session,
        case,
        CaseAction.SUSPEND,
        department=department,
        note=_note(reason, N_("reason")),
        kind=kind,
        now=now,
        by=by,
        address=address,
    )


def resume_case(
    session: Session, *, case: Case, department: str, outcome: str, now: dt.datetime, by: str, address: str = ""
) -> DecisionRecorded:
    """The clock runs again; a hearing, an inspection or an expert review ends with its
    outcome on record (the window asks the same)."""
    check_department(session, case, department)
    running = _running_kind(session, case) if case.status == CaseStatus.SUSPENDED else None
    try:
        needs_outcome = running is not None and end_needs_reason(running)
    except ValidationError:  # a kind this hub does not know: ask for the outcome all the same
        needs_outcome = True
    if needs_outcome:
        note = _note(outcome, N_("outcome of the hearing, the inspection or the review"))
    else:
        note = (outcome or "").strip()[:MAX_NOTE_LENGTH]
    return _step(
        session, case, CaseAction.RESUME, department=department, note=note, kind=None, now=now, by=by, address=address
    )
