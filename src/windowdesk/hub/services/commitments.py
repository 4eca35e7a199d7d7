"""告知承诺制 at the hub: the verifications (核查) a department owes, recording one, and the
credit flags a false one puts on the applicant (and a supervisor lifts).

- A case a window accepted on the applicant's commitment arrives with its verification
  due date (push_rules, ``case_commitments``). The departments that decide its item see
  it in their list until one of them records the verification.
- True: done. False: the case is marked for revocation (撤销) and the applicant gets a
  credit flag. Both reach the windows through the feed: the verification to the case's
  center, the flag to every center.
- A flag is keyed by an HMAC-SHA256 of the applicant's ID number (or credit code) under
  the city's credit key (``credit_key``): the windows hold the key (published in the feed
  before the first flag) and find a flag by hashing the number they have at the counter;
  the feed, and the windows' copies, never carry the number.

Every write runs in ``run_write(..., feed=True)`` and leaves its entry in the hub's audit
log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.case_steps import StepKind, StepSource
from windowdesk.domain.commitment import (
    VERIFICATION_RESULTS,
    VERIFIED_FALSE,
    VerificationResult,
    credit_key_hash,
    verification_overdue,
)
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.clocks import city_time
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor, require_supervision
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.services.time_cards import center_clocks
from windowdesk.hub.storage.models import (
    Case,
    CaseCommitment,
    CaseEvent,
    CatalogItem,
    CreditFlag,
    CreditKey,
    Organisation,
    Resident,
)
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_CREDIT_FLAG, CHANGE_CREDIT_KEY, CHANGE_VERIFICATION

MAX_TEXT = 600


@dataclass(frozen=True)
class VerificationDue:
    case_id: str
    case_number: str
    center: str
    item_code: str
    item_name: str
    accepted_at: dt.datetime
    verify_due: dt.date
    overdue: bool


@dataclass(frozen=True)
class VerificationRecorded:
    case_id: str
    case_number: str
    result: str
    flag_id: str | None  # the credit flag put on the applicant (a false verification)
    seq: int


@dataclass(frozen=True)
class FlagRow:
    flag_id: str
    case_number: str
    flagged_at: dt.datetime
    flagged_by: str
    reason: str
    lifted_at: dt.datetime | None
    lifted_by: str
    lift_reason: str


def _deciders(item: CatalogItem | None) -> set[str]:
    if item is None:
        return set()
    return {item.department_code, *(item.parallel_departments or ())}


def _today(session: Session, now: dt.datetime) -> dt.date:
    return (city_time(session, now) or now).date()


def _text(value: str, what: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(Text(N_("Please write the {what}."), what=Text(what)))
    if len(value) > MAX_TEXT:
        raise InvalidInput(Text(N_("The {what} is longer than {count} characters."), what=Text(what), count=MAX_TEXT))
    return value


def verifications_due(session: Session, *, department: str, now: dt.datetime) -> list[VerificationDue]:
    """The verifications not recorded yet of the cases whose item ``department`` decides,
    the earliest due first, overdue ones marked (accepted: on the case's center's clock)."""
    items = {item.code: item.name for item in session.scalars(select(CatalogItem)) if department in _deciders(item)}
    if not items:
        return []
    today = _today(session, now)
    rows = session.execute(
        select(Case.id, Case.case_number, Case.center_code, Case.item_code, Case.accepted_at, CaseCommitment.verify_due)
        .join(CaseCommitment, CaseCommitment.case_id == Case.id)
        .where(Case.item_code.in_(sorted(items)), CaseCommitment.result.is_(None))
        .order_by(CaseCommitment.verify_due, Case.accepted_at, Case.id)
    ).all()
    local_time = center_clocks(session)
    return [
        VerificationDue(
            row.id,
            row.case_number,
            row.center_code,
            row.item_code,
            items[row.item_code],
            local_time(row.center_code, row.accepted_at),
            row.verify_due,
            verification_overdue(row.verify_due, today),
        )
        for row in rows
    ]


def credit_key(session: Session, now: dt.datetime) -> bytes:
    """The city's credit key; made (and published to every window) the first time one is needed."""
    row = session.get(CreditKey, 1)
    if row is None:
        row = CreditKey(id=1, key=secrets.token_hex(32), created_at=now)
        session.add(row)
        session.flush()
        append_change(
            session,
            kind=CHANGE_CREDIT_KEY,
            entity="credit_key",
            entity_id="1",
            center_code=None,
            payload={"key": row.key},
            now=now,
        )
    return bytes.fromhex(row.key)


def _applicant_number(session: Session, case: Case) -> str:
    if case.applicant_kind == "organisation":
        organisation = session.get(Organisation, case.applicant_id)
        number = organisation.credit_code if organisation else ""
    else:
        resident = session.get(Resident, case.applicant_id)
        number = resident.id_number if resident else ""
    if not number:
        raise Conflict(
            Text(
                N_(
                    "Case {number}: its applicant has not reached the hub, so no credit flag can be put "
                    "on them. Sync the case's window first."
                ),
                number=case.case_number,
            )
        )
    return number


def _flag_payload(flag: CreditFlag, case_number: str) -> dict[str, Any]:
    return {
        "id": flag.id,
        "key_hash": flag.key_hash,
        "case_number": case_number,
        "flagged_at": flag.flagged_at.isoformat(),
        "reason": flag.reason,
        "lifted_at": flag.lifted_at.isoformat() if flag.lifted_at else None,
        "lift_reason": flag.lift_reason,
    }


def record_verification(
    session: Session,
    *,
    case_number: str,
    department: str,
    result: str,
    note: str,
    by: str,
    now: dt.datetime,
    address: str = "",
) -> VerificationRecorded:
    """``department`` records the verification of a case's commitment. False: the case is
    marked for revocation and its applicant flagged, every window told by the feed."""
    if result not in VERIFICATION_RESULTS:
        raise InvalidInput(N_("The verification's result must be true (the commitment holds) or false."))
    note = _text(note, N_("finding of the verification"), required=result == VERIFIED_FALSE)
    case = session.scalar(select(Case).where(Case.case_number == case_number).with_for_update())
    commitment = session.get(CaseCommitment, case.id) if case is not None else None
    if case is None or commitment is None:
        raise NotFound(
            Text(
                N_("There is no case {case} accepted under notify-and-commit on the hub (has its window synced?)."),
                case=case_number,
            )
        )
    if department not in _deciders(session.get(CatalogItem, case.item_code)):
        raise Forbidden(
            Text(
                N_("Department {department} does not decide item {item}, so it does not verify its commitments."),
                department=department,
                item=case.item_code,
            )
        )
    if commitment.result is not None:
        raise Conflict(
            Text(
                N_("The commitment of case {number} was verified already ({date})."),
                number=case.case_number,
                date=commitment.verified_at.date().isoformat() if commitment.verified_at else "",
            )
        )
    commitment.result, commitment.verified_at = VerificationResult(result), now
    commitment.department_code, commitment.verified_by, commitment.note = department, by[:80], note
    session.add(
        CaseEvent(
            case_id=case.id,
            source=StepSource.HUB,
            kind=StepKind.VERIFICATION,
            action=result,
            from_status=case.status,
            to_status=case.status,
            department_code=department,
            note=note,
            recorded_at=now,
        )
    )
    flag_id = None
    if result == VERIFIED_FALSE:
        key = credit_key(session, now)  # published before the flag it keys
        flag = CreditFlag(
            id=new_uuid(),
            key_hash=credit_key_hash(key, _applicant_number(session, case)),
            case_id=case.id,
            flagged_at=now,
            flagged_by=by[:80],
            reason=note,
        )
        session.add(flag)
        session.flush()
        flag_id = flag.id
    seq = append_change(
        session,
        kind=CHANGE_VERIFICATION,
        entity="case",
        entity_id=case.id,
        center_code=case.center_code,
        payload={
            "case_id": case.id,
            "case_number": case.case_number,
            "result": result,
            "department": department,
            "note": note,
            "at": now.isoformat(),
        },
        now=now,
    )
    if flag_id is not None:
        append_change(
            session,
            kind=CHANGE_CREDIT_FLAG,
            entity="credit_flag",
            entity_id=flag.id,
            center_code=None,
            payload=_flag_payload(flag, case.case_number),
            now=now,
        )
    hub_audit.record(
        session,
        actor=by,
        action="case.verified",
        entity="case",
        entity_id=case.id,
        now=now,
        address=address,
        note=note,
        detail={"case_number": case.case_number, "department": department, "result": result, "credit_flag": flag_id},
    )
    return VerificationRecorded(case.id, case.case_number, result, flag_id, seq)


def credit_flags(session: Session, *, include_lifted: bool = False) -> list[FlagRow]:
    """The city's credit flags, the newest first (lifted ones only when asked; times on the
    city's clock). No ID number: a flag names the case whose commitment was found untrue."""
    query = (
        select(CreditFlag, Case.case_number)
        .join(Case, Case.id == CreditFlag.case_id)
        .order_by(CreditFlag.flagged_at.desc(), CreditFlag.id)
    )
    if not include_lifted:
        query = query.where(CreditFlag.lifted_at.is_(None))

    def local(at: dt.datetime) -> dt.datetime:  # the city's clock, as the console shows times
        return city_time(session, at) or at

    return [
        FlagRow(
            flag.id,
            number,
            local(flag.flagged_at),
            flag.flagged_by,
            flag.reason,
            local(flag.lifted_at) if flag.lifted_at else None,
            flag.lifted_by,
            flag.lift_reason,
        )
        for flag, number in session.execute(query)
    ]


def lift_flag(session: Session, *, flag_id: str, reason: str, by: str, now: dt.datetime, address: str = "") -> int:
    """A supervisor lifts a credit flag with the reason; every window learns it by the feed."""
    reason = _text(reason, N_("reason for lifting the flag"), required=True)
    flag = session.scalar(select(CreditFlag).where(CreditFlag.id == flag_id[:36]).with_for_update())
    if flag is None:
        raise NotFound(Text(N_("There is no credit flag {flag} on the hub."), flag=flag_id[:36]))
    if flag.lifted_at is not None:
        raise Conflict(
            Text(N_("This credit flag was lifted already ({date})."), date=flag.lifted_at.date().isoformat())
        )
    flag.lifted_at, flag.lifted_by, flag.lift_reason = now, by[:80], reason
    case_number = session.scalar(select(Case.case_number).where(Case.id == flag.case_id)) or ""
    session.flush()
    seq = append_change(
        session,
        kind=CHANGE_CREDIT_FLAG,
        entity="credit_flag",
        entity_id=flag.id,
        center_code=None,
        payload=_flag_payload(flag, case_number),
        now=now,
    )
    hub_audit.record(
        session,
        actor=by,
        action="credit_flag.lifted",
        entity="credit_flag",
        entity_id=flag.id,
        now=now,
        address=address,
        note=reason,
        detail={"case_number": case_number, "change": seq},
    )
    return seq


# --- the console: the same rules, with the console's rights -------------------------


def department_verifications(session: Session, *, actor: ConsoleActor, now: dt.datetime) -> list[VerificationDue]:
    """The verifications waiting for the actor's department (its staff only)."""
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff verify commitments."))
    return verifications_due(session, department=actor.department_code, now=now)


def verify_in_console(
    session: Session,
    *,
    actor: ConsoleActor,
    case_number: str,
    result: str,
    note: str,
    now: dt.datetime,
    address: str = "",
) -> VerificationRecorded:
    """A department's staff record the verification for their own department."""
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff verify commitments."))
    return record_verification(
        session,
        case_number=case_number[:40],
        department=actor.department_code,
        result=result,
        note=note,
        by=actor.audit_name,
        now=now,
        address=address,
    )


def flags_in_console(session: Session, *, actor: ConsoleActor, include_lifted: bool = False) -> list[FlagRow]:
    require_supervision(actor)
    return credit_flags(session, include_lifted=include_lifted)


def lift_in_console(
    session: Session, *, actor: ConsoleActor, flag_id: str, reason: str, now: dt.datetime, address: str = ""
) -> int:
    """A supervisor (or an administrator) lifts a flag; audited under their console name."""
    require_supervision(actor)
    return lift_flag(session, flag_id=flag_id, reason=reason, by=actor.audit_name, now=now, address=address)
